/**
 * Remote inputs are named by URL: `https://host/path/file.parquet` (or
 * `http://`) and `s3://bucket/key`. Anything else is a local path.
 */

export type RemoteScheme = 'http' | 's3';

/** True when `input` names a remote object rather than a local path. */
export function isRemote(input: string): boolean {
  return remoteScheme(input) !== undefined;
}

export function remoteScheme(input: string): RemoteScheme | undefined {
  if (/^https?:\/\//i.test(input)) return 'http';
  if (/^s3:\/\//i.test(input)) return 's3';
  return undefined;
}

/** An `s3://bucket/key` URL split; the key may be empty or end in '/' (a prefix). */
export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

/** Splits `s3://bucket/key`; undefined when there is no bucket name. */
export function parseS3(url: string): S3Location | undefined {
  const rest = url.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  if (bucket === '') return undefined;
  return { bucket, key: slash < 0 ? '' : rest.slice(slash + 1) };
}
