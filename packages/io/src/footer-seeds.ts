/**
 * Parquet footers parsed by another thread, handed to this one so that it
 * need not read and parse them again: the main thread parses every file's
 * footer while planning, and a pool worker is seeded with them when it starts
 * (core's engine/pool.ts). A seed is used only while the file has the size
 * and version (mtime, ETag) it was parsed at, the check the footer cache
 * (parquet/metadata-cache.ts) makes for its own entries; otherwise the
 * footer is read again.
 *
 * Its own module, free of the Parquet reader, so that a worker's entry
 * (read-unit.ts) can take seeds without loading the reader before a unit
 * asks for it.
 */
import type { FileMetaData } from 'hyparquet';

export interface FooterSeed {
  readonly file: string;
  /** Size and version of the file when its footer was parsed (ByteSource.size, .version). */
  readonly size: number;
  readonly version: string;
  readonly metadata: FileMetaData;
}

/** At most this many seeds are kept (the footer cache's capacity). */
export const MAX_SEEDS = 16;

const seeds = new Map<string, FooterSeed>();

/** Keeps the first MAX_SEEDS seeds for this thread's first reads of their files. */
export function seedFooters(list: readonly FooterSeed[]): void {
  for (const seed of list) {
    if (seeds.size >= MAX_SEEDS) break;
    seeds.set(seed.file, seed);
  }
}

/**
 * The seed of `file` if it was parsed at this size and version, else
 * undefined; the seed is given out once either way (the footer cache keeps
 * what it becomes).
 */
export function takeFooterSeed(
  file: string,
  size: number,
  version: string,
): FileMetaData | undefined {
  const seed = seeds.get(file);
  if (seed === undefined) return undefined;
  seeds.delete(file);
  return seed.size === size && seed.version === version ? seed.metadata : undefined;
}
