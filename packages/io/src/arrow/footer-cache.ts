import { type ArrowFileMeta, parseFileMeta } from './file-meta.js';
import type { FileHandle } from './read-exactly.js';

export type { ArrowFileMeta } from './file-meta.js';

interface Entry {
  readonly size: number;
  readonly version: string;
  readonly meta: Promise<ArrowFileMeta>;
}

/**
 * Footers parsed in this thread, least recently used first, keyed by path and
 * valid while size and version (mtime or ETag) match. A worker reads the batches of a few files
 * in turn, so a handful of entries is plenty; each holds only the schema and
 * the block indexes (dictionary values are not kept: a unit reading a
 * dictionary column as categories reads its dictionary batches again, see
 * file-batch.ts). Entries are promises, so units of one file arriving together
 * share one parse.
 */
const cache = new Map<string, Entry>();
const CAPACITY = 8;

/**
 * The parsed footer of `file`, open as `handle` at `version`: from the cache
 * when the file still has the size and version it had when parsed, else read
 * and cached.
 */
export async function arrowFileMeta(
  handle: FileHandle,
  file: string,
  version: string,
): Promise<ArrowFileMeta> {
  const stat = await handle.stat();
  const hit = cache.get(file);
  if (hit !== undefined && hit.size === stat.size && hit.version === version) {
    cache.delete(file);
    cache.set(file, hit);
    return hit.meta;
  }
  const meta = parseFileMeta(handle, file, stat.size);
  const entry: Entry = { size: stat.size, version, meta };
  cache.delete(file);
  if (cache.size >= CAPACITY) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(file, entry);
  // A failed parse is not remembered: the next unit reports the error afresh.
  meta.catch(() => {
    if (cache.get(file) === entry) cache.delete(file);
  });
  return meta;
}
