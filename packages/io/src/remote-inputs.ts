import { IoError } from '@linreg/errors';
import { remoteScheme } from './bytes/remote-url.js';
import { isDataFileName } from './detect.js';
import { globBase, globToRegExp, hasGlob } from './glob.js';

/** A remote input's object URLs and its root for hive partitions (see inputs.ts). */
export interface RemoteExpanded {
  readonly files: string[];
  readonly root: string;
}

/**
 * Expands a remote input:
 * - `https://…/file` is one object (HTTP has no listing, so no globs);
 * - `s3://bucket/prefix/` is every data object under the prefix, recursively
 *   (names as for a local directory, skipping segments starting with '.' or
 *   '_'); `s3://bucket/dir` without the slash is the object `dir` when it
 *   exists, else the prefix `dir/`;
 * - `s3://bucket/data/*.parquet` is the objects under the glob's base prefix
 *   whose key matches (glob.ts).
 * Listing is ListObjectsV2 (s3-list.ts, loaded with the AWS SDK only here).
 */
export async function expandRemote(input: string): Promise<RemoteExpanded> {
  if (remoteScheme(input) === 'http') {
    if (hasGlob(new URL(input).pathname)) {
      throw new IoError(
        'unsupported',
        { file: input },
        'HTTP has no listing: name each file (globs work with s3://)',
      );
    }
    return { files: [input], root: parentOf(input) };
  }
  const { listS3 } = await import('./bytes/s3-list.js');
  const { bucket, key } = splitS3(input);
  const bucketUrl = `s3://${bucket}/`;
  if (hasGlob(key)) {
    const { base, rest } = globBase(key);
    const prefix = base === '.' ? '' : `${base}/`;
    const matcher = globToRegExp(rest);
    const listed = await listS3(`${bucketUrl}${prefix}`);
    const files = listed
      .map((o) => o.url)
      .filter((url) => {
        const below = url.slice(bucketUrl.length + prefix.length);
        return !hidden(below) && matcher.test(below);
      });
    if (files.length === 0) {
      throw new IoError('not-found', { file: input }, 'no object matches the pattern');
    }
    return { files: sortUrls(files), root: `${bucketUrl}${prefix}`.replace(/\/$/, '') };
  }
  const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
  const listed = await listS3(key === '' || key.endsWith('/') ? input : `${bucketUrl}${key}`);
  if (prefix !== key && listed.some((o) => o.url === input)) {
    return { files: [input], root: parentOf(input) };
  }
  const files = listed
    .map((o) => o.url)
    .filter((url) => {
      if (!url.startsWith(`${bucketUrl}${prefix}`)) return false;
      const below = url.slice(bucketUrl.length + prefix.length);
      return (
        below !== '' && !hidden(below) && isDataFileName(below.slice(below.lastIndexOf('/') + 1))
      );
    });
  if (files.length === 0) {
    const what = prefix === key ? 'the prefix holds no data files' : 'no such object or prefix';
    throw new IoError('not-found', { file: input }, what);
  }
  return { files: sortUrls(files), root: `${bucketUrl}${prefix}`.replace(/\/$/, '') };
}

function splitS3(input: string): { bucket: string; key: string } {
  const rest = input.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  if (bucket === '')
    throw new IoError('not-found', { file: input }, 'no bucket name (s3://bucket/key)');
  return { bucket, key: slash < 0 ? '' : rest.slice(slash + 1) };
}

/** A key below the root with a segment starting with '.' or '_' (as a directory walk skips). */
function hidden(below: string): boolean {
  return below.split('/').some((s) => s.startsWith('.') || s.startsWith('_'));
}

/** The URL up to its last '/', without it. */
export function parentOf(url: string): string {
  return url.slice(0, url.lastIndexOf('/'));
}

function sortUrls(urls: string[]): string[] {
  return urls.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The longest '/'-separated prefix of every one of `roots` (URLs). */
export function commonUrlRoot(roots: readonly string[]): string | undefined {
  const [first, ...rest] = roots;
  if (first === undefined) return undefined;
  let common = first.split('/');
  for (const root of rest) {
    const segments = root.split('/');
    let n = 0;
    while (n < common.length && n < segments.length && common[n] === segments[n]) n += 1;
    common = common.slice(0, n);
  }
  return common.join('/');
}

/** The directory segments of `url` below `root`, or undefined when it is not below it. */
export function segmentsBelow(root: string, url: string): string[] | undefined {
  if (!url.startsWith(`${root}/`)) return undefined;
  return url
    .slice(root.length + 1)
    .split('/')
    .slice(0, -1);
}
