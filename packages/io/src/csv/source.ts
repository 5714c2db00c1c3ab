import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { IoError } from '@linreg/errors';
import { byteChunks } from '../bytes/byte-stream.js';
import { fsError } from '../detect.js';

/** Size of each read from disk; memory per reader stays a few times this. */
export const CSV_READ_BYTES = 1 << 20;

/**
 * The bytes of `file[start, end)` (or the whole decompressed file when
 * `gzip`), as a stream of chunks read through the file's ByteSource (local
 * or remote, bytes/byte-stream.ts), with read and zlib failures mapped to
 * IoError.
 */
export async function* csvBytes(
  file: string,
  range: { start: number; end: number } | null,
  gzip: boolean,
): AsyncGenerator<Buffer> {
  const raw = Readable.from(
    range === null ? byteChunks(file) : byteChunks(file, range.start, range.end),
    { objectMode: false, highWaterMark: CSV_READ_BYTES },
  );
  const stream = gzip ? raw.pipe(createGunzip({ chunkSize: CSV_READ_BYTES })) : raw;
  let rawError: unknown;
  raw.on('error', (error) => {
    rawError = error;
    if (gzip) stream.destroy(error);
  });
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (error) {
    if (rawError !== undefined) throw fsError(file, rawError);
    if (gzip) throw new IoError('corrupt', { file }, `gzip: ${(error as Error).message}`);
    throw fsError(file, error);
  } finally {
    raw.destroy();
    stream.destroy();
  }
}

/**
 * A growable byte buffer holding the not-yet-parsed tail of the input: append
 * a chunk, parse from the front, drop what was used.
 */
export class ByteCarry {
  private buffer = Buffer.allocUnsafe(2 * CSV_READ_BYTES);
  private length = 0;

  append(chunk: Uint8Array): void {
    if (this.length + chunk.length > this.buffer.length) {
      const grown = Buffer.allocUnsafe(
        Math.max(2 * this.buffer.length, this.length + chunk.length),
      );
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    this.buffer.set(chunk, this.length);
    this.length += chunk.length;
  }

  /** The buffered bytes (a view, valid until the next append/drop). */
  view(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  drop(count: number): void {
    this.buffer.copyWithin(0, count, this.length);
    this.length -= count;
  }

  get size(): number {
    return this.length;
  }
}
