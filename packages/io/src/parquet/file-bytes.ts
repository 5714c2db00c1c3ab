import { type FileHandle, open } from 'node:fs/promises';
import { IoError } from '@linreg/errors';

/**
 * The only way the Parquet reader touches a file: an open handle, its size, and
 * exact reads of byte ranges (one `read` per range, into a fresh Buffer). A
 * short read means the file changed or was cut, reported as 'truncated'.
 */
export class FileBytes {
  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
    readonly size: number,
    /** Modification time, so cached metadata is dropped when the file changes. */
    readonly mtimeMs: number,
  ) {}

  static async open(file: string): Promise<FileBytes> {
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch (e: unknown) {
      throw openError(file, e);
    }
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw new IoError('unreadable', { file }, 'not a regular file');
      return new FileBytes(file, handle, stat.size, stat.mtimeMs);
    } catch (e: unknown) {
      await handle.close();
      throw e;
    }
  }

  /**
   * Bytes [start, end) of the file; `where` names the part for the error
   * message. `allocate` supplies the buffer (default: a fresh one).
   */
  async read(
    start: number,
    end: number,
    where: string,
    column?: string,
    allocate?: (size: number) => Uint8Array,
  ): Promise<Uint8Array> {
    const length = end - start;
    if (start < 0 || length < 0 || end > this.size) {
      throw new IoError(
        'corrupt',
        { file: this.file, column, where },
        `byte range ${start}-${end} lies outside the file of ${this.size} bytes`,
      );
    }
    const buffer = allocate === undefined ? Buffer.allocUnsafe(length) : allocate(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.handle.read(buffer, done, length - done, start + done);
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
  if (code === 'ENOENT') return new IoError('not-found', { file }, 'no such file');
  if (code === 'EISDIR') return new IoError('unreadable', { file }, 'is a directory');
  return new IoError('unreadable', { file }, e instanceof Error ? e.message : String(e));
}
