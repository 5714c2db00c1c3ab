import type { ColumnChunk, FileMetaData } from 'hyparquet';
import type { ByteSource } from '../bytes/byte-source.js';
import { type FooterSeed, MAX_SEEDS, takeFooterSeed } from '../footer-seeds.js';
import { type ParquetColumn, parquetColumns } from './columns.js';
import { readFooter } from './footer.js';

export interface ParquetFileMeta {
  readonly metadata: FileMetaData;
  readonly columns: readonly ParquetColumn[];
  readonly byName: ReadonlyMap<string, ParquetColumn>;
}

/** Footers parsed in this thread, keyed by path and validated by size and version (mtime or ETag). */
const cache = new Map<string, { size: number; version: string; meta: ParquetFileMeta }>();
/** A worker reads the units of a few files in turn; a handful of footers is plenty. */
const CAPACITY = 16;

/**
 * The parsed footer of an open file, reused across the units of one file so a
 * worker parses each footer once rather than once per row group.
 */
export async function fileMeta(bytes: ByteSource): Promise<ParquetFileMeta> {
  const hit = cache.get(bytes.file);
  if (hit !== undefined && hit.size === bytes.size && hit.version === bytes.version)
    return hit.meta;
  // A footer the main thread parsed while planning, if the file is still as it was then.
  const metadata =
    takeFooterSeed(bytes.file, bytes.size, bytes.version) ?? (await readFooter(bytes));
  const columns = parquetColumns(metadata);
  const meta: ParquetFileMeta = {
    metadata,
    columns,
    byName: new Map(columns.map((c) => [c.info.name, c])),
  };
  cache.delete(bytes.file);
  if (cache.size >= CAPACITY) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(bytes.file, { size: bytes.size, version: bytes.version, meta });
  return meta;
}

/**
 * The footers of `files` this thread has parsed (in that order, at most
 * MAX_SEEDS, each file once), as seeds for pool workers (footer-seeds.ts),
 * without the column chunks' statistics: reading a unit never looks at them
 * (only describe.ts does, planning on this thread), and they are most of
 * what a worker would deserialize for a wide file (21 ms instead of 6 ms for
 * 1,000 columns in 4 row groups).
 */
export function cachedFooters(files: readonly string[]): FooterSeed[] {
  const out: FooterSeed[] = [];
  for (const file of new Set(files)) {
    if (out.length >= MAX_SEEDS) break;
    const hit = cache.get(file);
    if (hit !== undefined)
      out.push({
        file,
        size: hit.size,
        version: hit.version,
        metadata: withoutStatistics(hit.meta.metadata),
      });
  }
  return out;
}

function withoutStatistics(metadata: FileMetaData): FileMetaData {
  const lean = (chunk: ColumnChunk): ColumnChunk => {
    if (chunk.meta_data === undefined) return chunk;
    const {
      statistics: _statistics,
      encoding_stats: _encodingStats,
      size_statistics: _sizeStatistics,
      geospatial_statistics: _geospatialStatistics,
      ...rest
    } = chunk.meta_data;
    return { ...chunk, meta_data: rest };
  };
  return {
    ...metadata,
    row_groups: metadata.row_groups.map((group) => ({
      ...group,
      columns: group.columns.map(lean),
    })),
  };
}
