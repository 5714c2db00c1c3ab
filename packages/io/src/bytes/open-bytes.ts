import { stat } from 'node:fs/promises';
import { IoError } from '@linreg/errors';
import type { ByteSource, SourceStamp } from './byte-source.js';
import { HttpBytes } from './http-bytes.js';
import { LocalBytes } from './local-bytes.js';
import { remoteScheme } from './remote-url.js';

/**
 * Opens a path or URL as a ByteSource: http(s) through fetch, s3:// through
 * the AWS SDK (its module loaded only now, so local runs never load it), else
 * the local file.
 */
export async function openBytes(file: string): Promise<ByteSource> {
  const scheme = remoteScheme(file);
  if (scheme === 'http') return HttpBytes.open(file);
  if (scheme === 's3') {
    const { S3Bytes } = await import('./s3-bytes.js');
    return S3Bytes.open(file);
  }
  return LocalBytes.open(file);
}

/** The size and version of a path or URL now (DataSource.verify compares them after each pass). */
export async function stampOf(file: string): Promise<SourceStamp> {
  if (remoteScheme(file) === undefined) {
    // A stat, not an open: thousands of shards are checked at once.
    try {
      const s = await stat(file);
      return { size: s.size, version: String(s.mtimeMs) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const problem = code === 'ENOENT' ? 'no such file or directory' : String(error);
      throw new IoError(code === 'ENOENT' ? 'not-found' : 'unreadable', { file }, problem);
    }
  }
  const bytes = await openBytes(file);
  try {
    return { size: bytes.size, version: bytes.version };
  } finally {
    await bytes.close();
  }
}
