/**
 * Write a text file atomically: to a temporary name in the same directory,
 * then rename over the target, so a reader never sees a half-written model
 * and a failed or interrupted run leaves nothing behind. The text may come
 * in chunks (a wide model's JSON is never one string: core's json-chunks.ts).
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { IoError } from '@linreg/io';

/** `content`: text (written as UTF-8), text in chunks, or bytes (a state file). */
export async function writeFileAtomic(
  path: string,
  content: string | Uint8Array | Iterable<string>,
): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    if (typeof content === 'string' || content instanceof Uint8Array) {
      await writeFile(temp, content, { encoding: 'utf8', flag: 'wx' });
    } else {
      await writeChunksToFile(temp, content);
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new IoError('write-failed', { file: path }, `cannot write: ${describeWriteError(error)}`);
  }
}

async function writeChunksToFile(temp: string, chunks: Iterable<string>): Promise<void> {
  const file = await open(temp, 'wx');
  try {
    for (const chunk of chunks) await file.write(chunk, null, 'utf8');
  } finally {
    await file.close();
  }
}

/** The cause in words, without the temporary file's name. */
function describeWriteError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'the directory does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOSPC') return 'no space left on the device';
  if (code === 'EISDIR') return 'it is a directory';
  return error instanceof Error ? error.message : String(error);
}
