import { readdir, stat } from 'node:fs/promises';
import { dirname, join, parse, relative, resolve, sep } from 'node:path';
import { IoError } from '@linreg/errors';
import { isRemote } from './bytes/remote-url.js';
import { detectKind, type FileKind, formatOfKind, fsError, isDataFileName } from './detect.js';
import { globBase, globToRegExp, hasGlob } from './glob.js';
import { commonUrlRoot, expandRemote, segmentsBelow } from './remote-inputs.js';
import type { DataFormat, PartitionValues } from './types.js';

/** The input that means "an Arrow IPC stream on standard input". */
export const STDIN = '-';

/** One data file, after expansion and detection. */
export interface ResolvedFile {
  readonly file: string;
  readonly format: DataFormat;
  readonly kind: FileKind;
  readonly bytes: number;
  /**
   * Hive partition values from the `key=value` directories of the file's
   * path below the inputs' common root (see resolveInputs); absent when none.
   */
  readonly partitions?: PartitionValues | undefined;
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
 *
 * Hive partitions: each input has a root — a directory input itself, a
 * glob's leading directory without glob characters, a file's own directory —
 * and the inputs' common root is the longest directory containing all of
 * them. Every directory segment `key=value` of a file's path below that
 * common root gives the file a partition value (`data/year=2024/month=07/
 * part-0.parquet` for input `data/` gives year and month; so do the inputs
 * `data/year=2023/a.parquet data/year=2024/b.parquet`, whose common root is
 * `data`; a single file or a directory named `year=2024` itself gives none,
 * as in Spark). Key and value are URL-decoded (`%20` → space; a malformed
 * escape is kept as written); an empty value or `__HIVE_DEFAULT_PARTITION__`
 * is null; a segment with an empty key is not a partition; when a key repeats
 * in a path the deepest segment wins. The planner (plan.ts) types the values
 * and turns them into columns.
 *
 * Remote inputs (`https://…`, `s3://…`; remote-inputs.ts) expand the same
 * way, an S3 prefix like a directory and an S3 glob like a glob; their
 * partitions come from the '/'-separated segments below the remote inputs'
 * common root.
 */
export async function resolveInputs(
  inputs: readonly string[],
  options: ResolveOptions = {},
): Promise<ResolvedFile[]> {
  if (inputs.length === 0)
    throw new IoError('not-found', { file: '(no input)' }, 'no input files given');
  const files: string[] = [];
  const roots: string[] = [];
  const remoteRoots: string[] = [];
  for (const input of inputs) {
    if (input === STDIN) {
      throw new IoError(
        'unsupported',
        { file: STDIN },
        'standard input is a stream and cannot be planned; read it with readStream',
      );
    }
    if (isRemote(input)) {
      const expanded = await expandRemote(input);
      files.push(...expanded.files);
      remoteRoots.push(expanded.root);
      continue;
    }
    const expanded = await expandInput(input);
    files.push(...expanded.files);
    roots.push(resolve(expanded.root));
  }
  const root = commonRoot(roots);
  const remoteRoot = commonUrlRoot(remoteRoots);
  const unique = [...new Set(files)];
  const resolved: ResolvedFile[] = [];
  for (const file of unique) {
    const { kind, bytes } = await detectKind(file, options.format);
    const partitions = isRemote(file)
      ? remoteRoot === undefined
        ? undefined
        : partitionsOf(segmentsBelow(remoteRoot, file) ?? [])
      : hivePartitions(root, file);
    resolved.push({
      file,
      kind,
      format: formatOfKind(kind),
      bytes,
      ...(partitions === undefined ? {} : { partitions }),
    });
  }
  return resolved;
}

/** The longest directory that contains every one of `roots` (absolute paths). */
function commonRoot(roots: readonly string[]): string {
  const [first, ...rest] = roots;
  if (first === undefined) return resolve('.');
  let common = first.split(sep);
  for (const root of rest) {
    const segments = root.split(sep);
    let n = 0;
    while (n < common.length && n < segments.length && common[n] === segments[n]) n += 1;
    common = common.slice(0, n);
  }
  const joined = common.join(sep);
  // Only the file system root is left (or, on Windows, paths on different drives).
  return joined === '' || joined.endsWith(':') ? parse(first).root : joined;
}

/** A value that means "null" in a hive path (Hive's name for a missing partition value). */
const HIVE_NULL = '__HIVE_DEFAULT_PARTITION__';

/** The partition values of `file` below `root` (see resolveInputs), or undefined. */
export function hivePartitions(root: string, file: string): PartitionValues | undefined {
  const rel = relative(root, resolve(file));
  if (rel === '' || rel.startsWith('..')) return undefined;
  return partitionsOf(rel.split(sep).slice(0, -1));
}

/** The partition values of a file's directory segments below the common root. */
function partitionsOf(dirs: readonly string[]): PartitionValues | undefined {
  const entries = new Map<string, string | null>();
  for (const segment of dirs) {
    const eq = segment.indexOf('=');
    if (eq <= 0) continue;
    const key = urlDecode(segment.slice(0, eq));
    const raw = segment.slice(eq + 1);
    if (key === '') continue;
    // A repeated key: the deepest segment wins, at the position of its first appearance.
    entries.set(key, raw === '' || raw === HIVE_NULL ? null : urlDecode(raw));
  }
  return entries.size === 0 ? undefined : Object.fromEntries(entries);
}

function urlDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** An input's files and its root for hive partitions (see resolveInputs). */
interface Expanded {
  readonly files: string[];
  readonly root: string;
}

async function expandInput(input: string): Promise<Expanded> {
  if (hasGlob(input)) return expandGlob(input);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(input);
  } catch (error) {
    throw fsError(input, error);
  }
  if (!info.isDirectory()) return { files: [input], root: dirname(input) };
  const found = sortPaths(await walk(input, () => true));
  if (found.length === 0)
    throw new IoError('not-found', { file: input }, 'directory holds no data files');
  return { files: found, root: input };
}

async function expandGlob(pattern: string): Promise<Expanded> {
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
  return { files: sortPaths(found), root: base };
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
