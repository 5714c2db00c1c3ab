import type { ByteSource } from './byte-source.js';

/**
 * The part of node's FileHandle that apache-arrow's file reader and the Arrow
 * footer checks use: positioned reads and the size. `fd` is only there because
 * apache-arrow recognises a file handle by it; it is never used as a descriptor.
 */
export interface ReadHandle {
  readonly fd: number;
  stat(): Promise<{ size: number }>;
  read(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesRead: number; buffer: Uint8Array }>;
  close(): Promise<void>;
}

/**
 * A ByteSource seen as a ReadHandle. A read past the end returns what there
 * is (0 bytes at the end), as a file handle does.
 */
export function readHandle(bytes: ByteSource): ReadHandle {
  return {
    fd: -1,
    stat: async () => ({ size: bytes.size }),
    read: async (buffer, offset, length, position) => {
      const end = Math.min(bytes.size, position + length);
      if (end <= position) return { bytesRead: 0, buffer };
      const target = buffer.subarray(offset, offset + (end - position));
      await bytes.read(position, end, `bytes ${position}-${end}`, undefined, () => target);
      return { bytesRead: end - position, buffer };
    },
    close: () => bytes.close(),
  };
}

/**
 * The handle typed as node's FileHandle for apache-arrow's
 * `RecordBatchReader.from`, whose types name it although the reader only
 * uses `fd` (to recognise it), `stat` and `read` (AsyncRandomAccessFile).
 */
export function asNodeFileHandle(handle: ReadHandle): import('node:fs/promises').FileHandle {
  return handle as unknown as import('node:fs/promises').FileHandle;
}
