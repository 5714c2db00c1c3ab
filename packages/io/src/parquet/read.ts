import { IoError } from '@linreg/errors';
import type { ColumnChunk } from 'hyparquet';
import type { ByteSource } from '../bytes/byte-source.js';
import { openBytes } from '../bytes/open-bytes.js';
import { BOOLEAN_LEVELS, LevelTable, notCategoricalProblem } from '../categorical.js';
import type { ReadOptions } from '../format.js';
import type { ColumnBatch, WorkUnit } from '../types.js';
import { BufferLease } from './buffer-pool.js';
import { fetchChunk, wholeChunkRange } from './chunk-plan.js';
import { type ByteRange, readRanges } from './chunk-spans.js';
import type { ColumnCursor } from './column-cursor.js';
import type { ParquetColumn } from './columns.js';
import { LAZY_CODECS, loadCompressors } from './compressors.js';
import { BooleanCodesCursor, fallbackCursor } from './fallback.js';
import { ChunkCursor } from './fast-path/chunk-cursor.js';
import { type Codec, uninitializedBytes } from './fast-path/decompress.js';
import { pagesSupported } from './fast-path/page-scan.js';
import { BYTE_ARRAY_KIND, type ValueKind } from './fast-path/value-kind.js';
import { fileMeta } from './metadata-cache.js';
import { checkChunkPages } from './page-bounds.js';
import { SecondsCursor } from './seconds-cursor.js';
import { groupRowOffsets } from './units.js';

const FAST_ENCODINGS: ReadonlySet<string> = new Set([
  'PLAIN',
  'PLAIN_DICTIONARY',
  'RLE',
  'RLE_DICTIONARY',
  'DELTA_BINARY_PACKED',
  'BYTE_STREAM_SPLIT',
  // Listed by old parquet-mr writers for levels; the page header says which one a page uses.
  'BIT_PACKED',
]);
const FAST_CODECS: ReadonlySet<string> = new Set([
  'UNCOMPRESSED',
  'SNAPPY',
  'GZIP',
  'BROTLI',
  'ZSTD',
  'LZ4',
  'LZ4_RAW',
]);

/**
 * Read `columns` of one unit (a row group, or a row range of one) as float64
 * batches of at most `batchRows` rows. Each column takes the fast path when
 * its chunk is flat, of a numeric physical type, and uses only encodings and
 * codecs the fast path decodes (the chunk metadata lists them); otherwise
 * hyparquet's general reader. Dates, times and timestamps (readable, but
 * selected only when a fit opts in) come out as seconds (temporal.ts).
 * Columns named in `options.categorical` come out as codes with their levels
 * (ColumnBatch.levels): text through the fast path's byte-array decoding
 * (PLAIN and dictionary pages; DELTA_LENGTH_BYTE_ARRAY / DELTA_BYTE_ARRAY and
 * other encodings through hyparquet), one level table per column for the
 * unit; booleans as the codes of FALSE/TRUE.
 * Memory: the projected chunks' compressed bytes (chunks read whole come in
 * as few reads as chunk-spans.ts plans, gaps of at most 1 MiB included), one
 * decompressed page per column, and the batch — bounded by the row group, never by the file. The arrays of a
 * yielded batch are fresh and belong to the caller (a compressed page of
 * PLAIN doubles without nulls decompresses straight into the batch; other
 * PLAIN double pages cost one copy, from the decompressed page into it).
 */
export async function* readParquetUnit(
  unit: WorkUnit,
  columns: readonly string[],
  options: ReadOptions,
): AsyncGenerator<ColumnBatch> {
  const batchRows = options.batchRows;
  if (!Number.isInteger(batchRows) || batchRows < 1) {
    throw new IoError(
      'bad-value',
      { file: unit.file, where: unit.label },
      `batchRows must be a positive integer, got ${batchRows}`,
    );
  }
  const bytes = await openBytes(unit.file);
  const lease = new BufferLease();
  try {
    const meta = await fileMeta(bytes);
    const group = meta.metadata.row_groups[unit.part];
    const where = `row group ${unit.part}`;
    if (group === undefined) {
      throw new IoError(
        'schema-mismatch',
        { file: unit.file, where: unit.label },
        `the file has ${meta.metadata.row_groups.length} row groups, no ${unit.part}`,
      );
    }
    const groupRows = Number(group.num_rows);
    if (unit.rowStart < 0 || unit.rowEnd > groupRows || unit.rowStart > unit.rowEnd) {
      throw new IoError(
        'schema-mismatch',
        { file: unit.file, where: unit.label },
        `rows ${unit.rowStart}-${unit.rowEnd} outside the group's ${groupRows}`,
      );
    }
    const categorical = new Set(options.categorical ?? []);
    const resolved = columns.map((name) =>
      resolveColumn(meta.byName.get(name), name, unit, categorical.has(name)),
    );
    // One level table per text column read as categories; booleans have fixed levels.
    const levels = resolved.map((col) =>
      !categorical.has(col.info.name)
        ? null
        : col.categorical === 'text'
          ? new LevelTable()
          : BOOLEAN_LEVELS,
    );
    const groupStart = groupRowOffsets(meta.metadata).starts[unit.part] ?? 0;
    const fast = resolved.map((col, j) => {
      const chunk = group.columns[col.chunk];
      const kind = levels[j] instanceof LevelTable ? BYTE_ARRAY_KIND : col.kind;
      return chunk !== undefined && kind !== null && fastEligible(chunk, kind, col.maxDef)
        ? { chunk, kind }
        : null;
    });
    const whole = await readWholeChunks(bytes, unit, groupRows, resolved, fast, where, lease);
    // The fast path decompresses synchronously: load the codecs it imports lazily first.
    if (fast.some((f) => f !== null && LAZY_CODECS.has(f.chunk.meta_data?.codec ?? '')))
      await loadCompressors();
    const decoded = await Promise.all(
      resolved.map(async (col, j): Promise<ColumnCursor> => {
        const chunk = group.columns[col.chunk];
        const table = levels[j];
        const text = table instanceof LevelTable ? table : null;
        const eligible = fast[j];
        if (chunk !== undefined && eligible !== null && eligible !== undefined) {
          const kind = eligible.kind;
          const read = whole[j];
          const chunkBytes =
            read !== undefined
              ? { segments: [read], firstRow: 0, skipRows: unit.rowStart }
              : await fetchChunk(
                  bytes,
                  chunk,
                  unit.rowStart,
                  unit.rowEnd,
                  groupRows,
                  col.info.name,
                  where,
                  lease.take,
                );
          if (pagesSupported(chunkBytes, kind, col.maxDef)) {
            const codec = chunk.meta_data?.codec as Codec;
            const ctx = { file: unit.file, column: col.info.name, rowGroup: unit.part, groupRows };
            return new ChunkCursor(chunkBytes, kind, col.maxDef, codec, ctx, lease.take, text);
          }
        }
        // hyparquet trusts page headers: check them against the chunk's bytes and rows first.
        if (chunk !== undefined)
          await checkChunkPages(bytes, chunk, groupRows, col.info.name, where);
        return fallbackCursor({
          bytes,
          metadata: meta.metadata,
          column: col.info.name,
          rowStart: groupStart + unit.rowStart,
          rowEnd: groupStart + unit.rowEnd,
          where,
          levels: text ?? undefined,
        });
      }),
    );
    const cursors = decoded.map((cursor, j) => {
      const level = levels[j];
      if (level === BOOLEAN_LEVELS) return new BooleanCodesCursor(cursor);
      return level === null ? inSeconds(cursor, resolved[j] as ParquetColumn) : cursor;
    });
    const names = [...columns];
    const batchLevels = levels.some((l) => l !== null)
      ? levels.map((l) => (l instanceof LevelTable ? l.levels : l))
      : undefined;
    // With reuseBatches, the first batch's arrays (the largest) come from the lease and
    // serve every batch of the unit; the pool hands them to the next unit.
    const reused: Float64Array[] = [];
    for (let start = unit.rowStart; start < unit.rowEnd; start += batchRows) {
      const rows = Math.min(batchRows, unit.rowEnd - start);
      const values: Float64Array[] = [];
      const nulls: (Uint8Array | null)[] = [];
      // A mask that received no null is still all zeros: reuse it for the next column.
      let spare: Uint8Array | null = null;
      for (const [j, cursor] of cursors.entries()) {
        // Each column its own buffer (a consumer may transfer or keep one alone), not
        // zeroed: every row gets written (value or NaN).
        const v =
          options.reuseBatches === true
            ? reusedColumn(reused, j, rows, lease.take)
            : new Float64Array(uninitializedBytes(rows * 8).buffer, 0, rows);
        const m: Uint8Array = spare ?? new Uint8Array(rows);
        const n = cursor.next(v, m, 0, rows);
        values.push(v);
        nulls.push(n > 0 ? m : null);
        spare = n > 0 ? null : m;
      }
      yield batchLevels === undefined
        ? { rows, names, columns: values, nulls }
        : { rows, names, columns: values, nulls, levels: batchLevels };
    }
  } finally {
    lease.release();
    await bytes.close();
  }
}

/**
 * The bytes of every fast-path chunk the unit reads whole (wholeChunkRange),
 * by column index, read together in as few spans as planSpans allows. A chunk
 * whose range is not inside the file is left out, for fetchChunk to refuse
 * naming its column.
 */
async function readWholeChunks(
  bytes: ByteSource,
  unit: WorkUnit,
  groupRows: number,
  resolved: readonly ParquetColumn[],
  fast: readonly ({ chunk: ColumnChunk } | null)[],
  where: string,
  lease: BufferLease,
): Promise<(Uint8Array | undefined)[]> {
  const ranges: ByteRange[] = [];
  const names: string[] = [];
  const index: number[] = [];
  fast.forEach((f, j) => {
    if (f === null) return;
    const r = wholeChunkRange(f.chunk, unit.rowStart, unit.rowEnd, groupRows);
    if (r === null || !(r.start >= 0 && r.end >= r.start && r.end <= bytes.size)) return;
    ranges.push(r);
    names.push((resolved[j] as ParquetColumn).info.name);
    index.push(j);
  });
  const out: (Uint8Array | undefined)[] = resolved.map(() => undefined);
  const read = await readRanges(bytes, ranges, names, where, lease.take);
  read.forEach((b, k) => {
    out[index[k] as number] = b;
  });
  return out;
}

/** Column j's recycled array, taken on the unit's first batch, as `rows` doubles. */
function reusedColumn(
  reused: Float64Array[],
  j: number,
  rows: number,
  take: (size: number) => Uint8Array,
): Float64Array {
  let a = reused[j];
  if (a === undefined || a.length < rows) {
    a = new Float64Array(take(rows * 8).buffer, 0, rows);
    reused[j] = a;
  }
  return a.subarray(0, rows);
}

function resolveColumn(
  col: ParquetColumn | undefined,
  name: string,
  unit: WorkUnit,
  categorical: boolean,
): ParquetColumn {
  if (col === undefined)
    throw new IoError(
      'missing-column',
      { file: unit.file, column: name, where: unit.label },
      'no such column',
    );
  if (categorical) {
    if (col.categorical === null) {
      throw new IoError(
        'unsupported',
        { file: unit.file, column: name, where: unit.label },
        notCategoricalProblem(col.info.sourceType),
      );
    }
    return col;
  }
  if (!col.readable) {
    throw new IoError(
      'non-numeric',
      { file: unit.file, column: name, where: unit.label },
      `type ${col.info.sourceType} cannot be read as numbers`,
    );
  }
  return col;
}

/** Dates, times and timestamps read as seconds; every other column as decoded. */
function inSeconds(cursor: ColumnCursor, col: ParquetColumn): ColumnCursor {
  return col.temporalUnit === null ? cursor : new SecondsCursor(cursor, col.temporalUnit);
}

function fastEligible(chunk: ColumnChunk, kind: ValueKind, maxDef: number): boolean {
  const meta = chunk.meta_data;
  if (meta === undefined || chunk.file_path !== undefined) return false;
  return (
    maxDef <= 1 &&
    meta.path_in_schema.length === 1 &&
    meta.type === kind.physical &&
    FAST_CODECS.has(meta.codec) &&
    meta.encodings.every((e) => FAST_ENCODINGS.has(e))
  );
}
