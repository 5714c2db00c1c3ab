import { IoError } from '@linreg/errors';
import { parseS3 } from './remote-url.js';
import {
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  s3Client,
  s3Error,
} from './s3-client.js';

/** One listed object: its URL and size. */
export interface ListedObject {
  readonly url: string;
  readonly bytes: number;
}

/**
 * Every object whose key starts with `prefix` in `s3://bucket/…`, through
 * ListObjectsV2 page by page (1,000 keys a page, ContinuationToken), in the
 * store's order (ascending UTF-8 bytes of the key).
 */
export async function listS3(base: string): Promise<ListedObject[]> {
  const location = parseS3(base);
  if (location === undefined) {
    throw new IoError('not-found', { file: base }, 'not an S3 URL (s3://bucket/prefix)');
  }
  const out: ListedObject[] = [];
  let token: string | undefined;
  do {
    let page: ListObjectsV2CommandOutput;
    try {
      page = await s3Client().send(
        new ListObjectsV2Command({
          Bucket: location.bucket,
          Prefix: location.key,
          ...(token === undefined ? {} : { ContinuationToken: token }),
        }),
      );
    } catch (error) {
      throw s3Error(base, undefined, error);
    }
    for (const item of page.Contents ?? []) {
      if (item.Key === undefined) continue;
      out.push({ url: `s3://${location.bucket}/${item.Key}`, bytes: item.Size ?? 0 });
    }
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return out;
}
