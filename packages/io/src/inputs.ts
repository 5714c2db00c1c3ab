import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { IoError } from '@linreg/errors';
import { detectKind, type FileKind, formatOfKind, fsError, isDataFileName } from './detect.js';
import { globBase, globToRegExp, hasGlob } from './glob.js';
import type { DataFormat } from './types.js';

/** The input that means "an Arrow IPC stream on standard input". */
export const STDIN = '-';

/** One data file, after expansion and detection. */
export interface ResolvedFile {
  readonly file: string;
  readonly format: DataFormat;
  readonly kind: FileKind;
  readonly bytes: number;
}

export interface ResolveOptions {
  /** Read every file as this format instead of detecting it. */
  readonly format?: DataFormat | undefined;
}

/**
 * Expands inputs into data files, in a deterministic order:
 * - a file is taken as is (whatever its name);
 * - a directory contributes every data file below it, recursively (names ending
 *   in .parquet/.parq/.pq, .arrow/.feather/.ipc/.arrows, .csv/.tsv/.txt and
 *   their .gz forms), skipping entries whose name starts with '.' or '_'
 *   (hidden files, Spark's `_SUCCESS`/`_metadata`), sorted by path;
 * - a glob (see glob.ts) contributes the matching files, sorted by path;
 * - `-` is rejected here: standard input is read with readStream.
 * Inputs keep their order; a file named twice is kept at its first position.
 * Sorting compares UTF-16 code units, so the order does not depend on the locale.
 */
export async function resolveInputs(
  inputs: readonly string[],
  options: ResolveOptions = {},
): Promise<ResolvedFile[]> {
  if (inputs.length === 0)
    throw new IoError('not-found', { file: '(no input)' }, 'no input files given');
  const files: string[] = [];
  for (const input of inputs) {
    if (input === STDIN) {
      throw new IoError(
        'unsupported',
        { file: STDIN },
        'standard input is a stream and cannot be planned; read it with readStream',
      );
    }
    files.push(...(await expandInput(input)));
  }
  const unique = [...new Set(files)];
  const resolved: ResolvedFile[] = [];
  for (const file of unique) {
    const { kind, bytes } = await detectKind(file, options.format);
    resolved.push({ file, kind, format: formatOfKind(kind), bytes });
  }
  return resolved;
}

async function expandInput(input: string): Promise<string[]> {
  if (hasGlob(input)) return expandGlob(input);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(input);
  } catch (error) {
    throw fsError(input, error);
  }
  if (!info.isDirectory()) return [input];
  const found = sortPaths(await walk(input, () => true));
  if (found.length === 0)
    throw new IoError('not-found', { file: input }, 'directory holds no data files');
  return found;
}

async function expandGlob(pattern: string): Promise<string[]> {
  const { base, rest } = globBase(pattern.split(sep).join('/'));
  const matcher = globToRegExp(rest);
  let found: string[];
  try {
    // Without '**' a match is exactly as deep as the pattern, so the walk stops there.
    const depth = rest.split('/').includes('**')
      ? Number.POSITIVE_INFINITY
      : rest.split('/').length;
    const keep = (path: string): boolean => matcher.test(relative(base, path).split(sep).join('/'));
    found = await walk(base, keep, true, depth);
  } catch (error) {
    if (error instanceof IoError) throw error;
    throw fsError(base, error);
  }
  if (found.length === 0)
    throw new IoError('not-found', { file: pattern }, 'no file matches the pattern');
  return sortPaths(found);
}

/** Files below `dir` accepted by `keep`; `anyName` also takes files without a data extension. */
async function walk(
  dir: string,
  keep: (path: string) => boolean,
  anyName = false,
  depth = Number.POSITIVE_INFINITY,
): Promise<string[]> {
  const out: string[] = [];
  if (depth <= 0) return out;
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name.startsWith('_')) continue;
    const path = dir === '.' ? entry.name : join(dir, entry.name);
    if (entry.isDirectory()) {
      out.push(...(await walk(path, keep, anyName, depth - 1)));
    } else if (
      (entry.isFile() || entry.isSymbolicLink()) &&
      (anyName || isDataFileName(entry.name))
    ) {
      if (keep(path)) out.push(path);
    }
  }
  return out;
}

function sortPaths(paths: string[]): string[] {
  return paths.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
