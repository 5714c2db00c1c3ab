import { constants, type Stats } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { IoError } from '@linreg/errors';

/**
 * Checks, before any data is read, that `path` can take an output written as
 * a temporary file in its directory and renamed over it (writers/atomic.ts):
 *
 * - its directory exists, is a directory and is writable;
 * - if `path` exists, it is a regular file: a directory, a device (`/dev/full`,
 *   `/dev/null`), a FIFO or a socket is refused, since the rename would replace
 *   it with a regular file;
 * - it is none of `inputs` (files, not globs or directories): compared by
 *   device and inode, so a symbolic or hard link to an input is caught too, and
 *   by resolved real path.
 *
 * Throws IoError 'write-failed' naming `path`, as one line:
 * `<path>: cannot write: <why>`.
 */
export async function checkOutputPath(path: string, inputs: readonly string[] = []): Promise<void> {
  const fail = (why: string): never => {
    throw new IoError('write-failed', { file: path }, `cannot write: ${why}`);
  };
  const dir = dirname(resolve(path));
  let dirStats: Stats;
  try {
    dirStats = await stat(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') fail(`the directory does not exist (${dir})`);
    if (code === 'EACCES' || code === 'EPERM') fail(`permission denied (${dir})`);
    throw new IoError('write-failed', { file: path }, `cannot write: ${describe(error)}`);
  }
  if (!dirStats.isDirectory()) fail(`${dir} is not a directory`);
  try {
    await access(dir, constants.W_OK | constants.X_OK);
  } catch {
    fail(`permission denied (directory ${dir})`);
  }
  let target: Stats | undefined;
  try {
    target = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A dangling symbolic link is replaced by the rename like a missing file.
    if (code !== 'ENOENT') fail(describe(error));
  }
  if (target === undefined) return;
  if (target.isDirectory()) fail('it is a directory');
  if (!target.isFile()) {
    fail('it is not a regular file (a device, FIFO or socket) and an output replaces its target');
  }
  const real = await realpath(path).catch(() => resolve(path));
  for (const input of inputs) {
    let info: Stats;
    try {
      info = await stat(input);
    } catch {
      continue; // a missing input is reported by the reader
    }
    const same =
      (info.dev === target.dev && info.ino === target.ino) ||
      (await realpath(input).catch(() => resolve(input))) === real;
    if (same) {
      fail(input === path ? 'it is one of the inputs' : `it is one of the inputs (${input})`);
    }
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  return error instanceof Error ? error.message : String(error);
}
