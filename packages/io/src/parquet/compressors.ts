/**
 * hyparquet-compressors (ZSTD and LZ4 for the fast path, every codec for
 * hyparquet's general reader), loaded on first need: importing it builds its
 * decoders' tables, ~20 ms of CPU in each thread that loads it (the main
 * thread and every worker), and a snappy or uncompressed file never needs it.
 */
type Compressors = typeof import('hyparquet-compressors');

let loaded: Compressors | undefined;

export async function loadCompressors(): Promise<Compressors> {
  loaded ??= await import('hyparquet-compressors');
  return loaded;
}

/**
 * The module, once {@link loadCompressors} has resolved in this thread (the
 * fast path's decompress is synchronous: read.ts loads it before a chunk of a
 * codec that needs it is decoded).
 */
export function compressorsLoaded(): Compressors {
  if (loaded === undefined) throw new Error('hyparquet-compressors used before loadCompressors()');
  return loaded;
}

/** Codecs whose fast-path decoder comes from hyparquet-compressors. */
export const LAZY_CODECS: ReadonlySet<string> = new Set(['ZSTD', 'LZ4', 'LZ4_RAW']);
