import { type FileHandle, open } from 'node:fs/promises';
import { IoError } from '@linreg/errors';
import type { ByteSource } from './byte-source.js';
import { rangeBuffer } from './range-check.js';

/**
 * A local file as a ByteSource: an open handle, its size, and exact reads of
 * byte ranges (one positioned `read` per range, into a fresh Buffer). A short
 * read means the file changed or was cut, reported as 'truncated'.
 */
export class LocalBytes implements ByteSource {
  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
    readonly size: number,
    /** Modification time, so cached metadata is dropped when the file changes. */
    readonly mtimeMs: number,
  ) {}

  get version(): string {
    return String(this.mtimeMs);
  }

  static async open(file: string): Promise<LocalBytes> {
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch (e: unknown) {
      throw openError(file, e);
    }
    try {
      const stat = await handle.stat();
      if (stat.isDirectory()) throw new IoError('unreadable', { file }, 'is a directory');
      if (!stat.isFile()) throw new IoError('unreadable', { file }, 'not a regular file');
      return new LocalBytes(file, handle, stat.size, stat.mtimeMs);
    } catch (e: unknown) {
      await handle.close();
      throw e;
    }
  }

  async read(
    start: number,
    end: number,
    where: string,
    column?: string,
    allocate?: (size: number) => Uint8Array,
  ): Promise<Uint8Array> {
    const buffer = rangeBuffer(this, start, end, where, column, allocate, (size) =>
      Buffer.allocUnsafe(size),
    );
    const length = end - start;
    let done = 0;
    while (done < length) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await this.handle.read(buffer, done, length - done, start + done));
      } catch (e: unknown) {
        throw openError(this.file, e);
      }
      if (bytesRead === 0) {
        throw new IoError(
          'truncated',
          { file: this.file, column, where },
          `file ended ${length - done} bytes early`,
        );
      }
      done += bytesRead;
    }
    return buffer instanceof Buffer
      ? new Uint8Array(buffer.buffer, buffer.byteOffset, length)
      : buffer;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

function openError(file: string, e: unknown): IoError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new IoError('not-found', { file }, 'no such file or directory');
  if (code === 'EISDIR') return new IoError('unreadable', { file }, 'is a directory');
  return new IoError('unreadable', { file }, e instanceof Error ? e.message : String(e));
}
