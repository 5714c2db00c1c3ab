import { IoError } from '@linreg/errors';
import type { ByteSource } from './byte-source.js';
import { changedError, rangeBuffer } from './range-check.js';
import { parseS3 } from './remote-url.js';
import { TransientFailure, withRetries } from './retry.js';
import { GetObjectCommand, HeadObjectCommand, s3Client, s3Error } from './s3-client.js';

/**
 * An `s3://bucket/key` object as a ByteSource: HeadObject for the size and
 * ETag, then one ranged GetObject per read. The SDK retries failed requests
 * (s3-client.ts); a body cut short is retried here (retry.ts). A response
 * whose ETag differs from the one seen at open means the object changed.
 */
export class S3Bytes implements ByteSource {
  private constructor(
    readonly file: string,
    private readonly bucket: string,
    private readonly key: string,
    readonly size: number,
    readonly version: string,
  ) {}

  static async open(url: string): Promise<S3Bytes> {
    const location = parseS3(url);
    if (location === undefined || location.key === '' || location.key.endsWith('/')) {
      throw new IoError('not-found', { file: url }, 'not an S3 object URL (s3://bucket/key)');
    }
    try {
      const head = await s3Client().send(
        new HeadObjectCommand({ Bucket: location.bucket, Key: location.key }),
      );
      const version = head.ETag ?? head.LastModified?.toISOString() ?? '';
      return new S3Bytes(url, location.bucket, location.key, head.ContentLength ?? 0, version);
    } catch (error) {
      throw s3Error(url, undefined, error);
    }
  }

  async read(
    start: number,
    end: number,
    where: string,
    column?: string,
    allocate?: (size: number) => Uint8Array,
  ): Promise<Uint8Array> {
    const out = rangeBuffer(this, start, end, where, column, allocate);
    const length = end - start;
    if (length === 0) return out;
    await withRetries(this.file, where, async () => {
      let body: Uint8Array;
      try {
        const response = await s3Client().send(
          new GetObjectCommand({
            Bucket: this.bucket,
            Key: this.key,
            Range: `bytes=${start}-${end - 1}`,
          }),
        );
        if (response.ETag !== undefined && this.version !== '' && response.ETag !== this.version) {
          await response.Body?.transformToByteArray().catch(() => undefined);
          throw changedError(this.file, where, this.version, response.ETag);
        }
        if (response.Body === undefined) throw new TransientFailure('S3: empty response body');
        try {
          body = await response.Body.transformToByteArray();
        } catch (error) {
          throw new TransientFailure(`S3: the response was cut (${String(error)})`);
        }
      } catch (error) {
        if (error instanceof TransientFailure) throw error;
        throw s3Error(this.file, where, error);
      }
      if (body.length !== length) {
        throw new IoError(
          'changed',
          { file: this.file, where },
          `asked for ${length} bytes at ${start}, got ${body.length}: the object changed`,
        );
      }
      out.set(body);
    });
    return out;
  }

  async close(): Promise<void> {}
}
