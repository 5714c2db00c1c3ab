import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A hidden temporary name next to `path` (same directory, so rename is atomic on POSIX). */
export function tempPathFor(path: string): string {
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  return join(dirname(path), `.${basename(path)}.${tag}.tmp`);
}

export async function moveIntoPlace(temp: string, path: string): Promise<void> {
  await rename(temp, path);
}

export async function removeQuietly(path: string): Promise<void> {
  await rm(path, { force: true }).catch(() => undefined);
}
