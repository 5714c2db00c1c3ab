import { IoError } from '@linreg/errors';
import type { ColumnChunk, RowGroup } from 'hyparquet';
import type { ByteSource } from '../bytes/byte-source.js';
import { openBytes } from '../bytes/open-bytes.js';
import { BOOLEAN_LEVELS, LevelTable, notCategoricalProblem } from '../categorical.js';
import type { ReadOptions } from '../format.js';
import type { ColumnBatch, WorkUnit } from '../types.js';
import { BufferLease } from './buffer-pool.js';
import { fetchChunk, wholeChunkRange } from './chunk-plan.js';
import type { ByteRange } from './chunk-spans.js';
import type { ColumnCursor } from './column-cursor.js';
import type { ParquetColumn } from './columns.js';
import { LAZY_CODECS, loadCompressors } from './compressors.js';
import { BooleanCodesCursor, fallbackCursor } from './fallback.js';
import { ChunkCursor } from './fast-path/chunk-cursor.js';
import { type Codec, uninitializedBytes } from './fast-path/decompress.js';
import { pagesSupported } from './fast-path/page-scan.js';
import { BYTE_ARRAY_KIND, type ValueKind } from './fast-path/value-kind.js';
import { fileMeta, type ParquetFileMeta } from './metadata-cache.js';
import { checkChunkPages } from './page-bounds.js';
import { SecondsCursor } from './seconds-cursor.js';
import { SpanStream } from './span-stream.js';
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
 * spans of at most 16 MiB, gaps of at most 1 MiB included, read as the batch
 * loop reaches them and a few ahead: span-stream.ts; a unit decoded in one
 * batch holds at most ~48 MiB of them, and a unit of several batches all of
 * them until its last batch), one decompressed page per column, and the
 * batch — bounded by the row group, never by the file. The arrays of a
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
    const spans = wholeChunkSpans(bytes, unit, groupRows, resolved, fast, where, lease);
    lease.expect(heldEstimate(spans, fast, columns.length, unit, options));
    try {
      // The fast path decompresses synchronously: load the codecs it imports lazily first.
      if (fast.some((f) => f !== null && LAZY_CODECS.has(f.chunk.meta_data?.codec ?? '')))
        await loadCompressors();
      const open = async (j: number): Promise<ColumnCursor> => {
        const col = resolved[j] as ParquetColumn;
        const level = levels[j];
        const cursor = await openCursor(bytes, unit, meta, group, col, fast[j] ?? null, {
          whole: spans.has(j) ? await spans.bytesOf(j) : undefined,
          text: level instanceof LevelTable ? level : null,
          groupRows,
          groupStart,
          where,
          lease,
        });
        if (level === BOOLEAN_LEVELS) return new BooleanCodesCursor(cursor);
        return level === null ? inSeconds(cursor, col) : cursor;
      };
      // Columns read otherwise start their reads together now; a whole chunk's
      // cursor opens when the batch loop first needs it, its span read by then.
      const cursors: (ColumnCursor | null)[] = await Promise.all(
        resolved.map((_, j) => (spans.has(j) ? null : open(j))),
      );
      const names = [...columns];
      const batchLevels = levels.some((l) => l !== null)
        ? levels.map((l) => (l instanceof LevelTable ? l.levels : l))
        : undefined;
      // With reuseBatches, the first batch's arrays (the largest) come from the lease and
      // serve every batch of the unit; the pool hands them to the next unit.
      const reused: Float64Array[] = [];
      for (let start = unit.rowStart; start < unit.rowEnd; start += batchRows) {
        const rows = Math.min(batchRows, unit.rowEnd - start);
        const last = start + rows >= unit.rowEnd;
        const values: Float64Array[] = [];
        const nulls: (Uint8Array | null)[] = [];
        // A mask that received no null is still all zeros: reuse it for the next column.
        let spare: Uint8Array | null = null;
        for (let j = 0; j < cursors.length; j++) {
          let cursor = cursors[j] as ColumnCursor | null;
          if (cursor === null) {
            cursor = await open(j);
            cursors[j] = cursor;
          }
          // Each column its own buffer (a consumer may transfer or keep one alone), not
          // zeroed: every row gets written (value or NaN).
          const v =
            options.reuseBatches === true
              ? reusedColumn(reused, j, rows, lease.take)
              : new Float64Array(uninitializedBytes(rows * 8).buffer, 0, rows);
          const m: Uint8Array = spare ?? new Uint8Array(rows);
          const n = cursor.next(v, m, 0, rows);
          if (last) spans.done(j);
          values.push(v);
          nulls.push(n > 0 ? m : null);
          spare = n > 0 ? null : m;
        }
        yield batchLevels === undefined
          ? { rows, names, columns: values, nulls }
          : { rows, names, columns: values, nulls, levels: batchLevels };
      }
    } finally {
      await spans.settle();
    }
  } finally {
    lease.release();
    await bytes.close();
  }
}

/**
 * The span stream of every fast-path chunk the unit reads whole
 * (wholeChunkRange). A chunk whose range is not inside the file is left
 * out, for fetchChunk to refuse naming its column.
 */
function wholeChunkSpans(
  bytes: ByteSource,
  unit: WorkUnit,
  groupRows: number,
  resolved: readonly ParquetColumn[],
  fast: readonly ({ chunk: ColumnChunk } | null)[],
  where: string,
  lease: BufferLease,
): SpanStream {
  const ranges = fast.map((f): ByteRange | null => {
    if (f === null) return null;
    const r = wholeChunkRange(f.chunk, unit.rowStart, unit.rowEnd, groupRows);
    return r !== null && r.start >= 0 && r.end >= r.start && r.end <= bytes.size ? r : null;
  });
  const names = resolved.map((c) => c.info.name);
  return new SpanStream(bytes, ranges, names, where, lease);
}

/**
 * About the most bytes the unit's lease holds at once, for the arena to
 * grow to before the first is taken (BufferLease.expect): the spans' bytes
 * in flight, one decompressed page (a chunk's size bounds it), and the batch
 * columns when they come from the lease (reuseBatches). Chunks read in
 * parts and pages of several batches' units are not counted: what the arena
 * refuses, it counts for the next unit's growth.
 */
function heldEstimate(
  spans: SpanStream,
  fast: readonly ({ chunk: ColumnChunk } | null)[],
  width: number,
  unit: WorkUnit,
  options: ReadOptions,
): number {
  let page = 0;
  for (const f of fast) {
    page = Math.max(page, Number(f?.chunk.meta_data?.total_uncompressed_size ?? 0));
  }
  const rows = Math.min(options.batchRows, unit.rowEnd - unit.rowStart);
  const batch = options.reuseBatches === true ? rows * 8 * width : 0;
  return spans.heldBytes + page + batch;
}

/** What opening one column's cursor needs besides the column. */
interface OpenContext {
  /** The chunk's bytes when read whole through the unit's span stream. */
  readonly whole: Uint8Array | undefined;
  readonly text: LevelTable | null;
  readonly groupRows: number;
  readonly groupStart: number;
  readonly where: string;
  readonly lease: BufferLease;
}

/**
 * Column `col`'s cursor over the unit: the fast path when `eligible` and its
 * pages allow, else hyparquet's reader, whose page headers are checked first.
 */
async function openCursor(
  bytes: ByteSource,
  unit: WorkUnit,
  meta: ParquetFileMeta,
  group: RowGroup,
  col: ParquetColumn,
  eligible: { chunk: ColumnChunk; kind: ValueKind } | null,
  ctx: OpenContext,
): Promise<ColumnCursor> {
  const chunk = group.columns[col.chunk];
  const { text, groupRows, where } = ctx;
  if (chunk !== undefined && eligible !== null) {
    const kind = eligible.kind;
    const chunkBytes =
      ctx.whole !== undefined
        ? { segments: [ctx.whole], firstRow: 0, skipRows: unit.rowStart }
        : await fetchChunk(
            bytes,
            chunk,
            unit.rowStart,
            unit.rowEnd,
            groupRows,
            col.info.name,
            where,
            ctx.lease.take,
          );
    if (pagesSupported(chunkBytes, kind, col.maxDef)) {
      const codec = chunk.meta_data?.codec as Codec;
      const cctx = { file: unit.file, column: col.info.name, rowGroup: unit.part, groupRows };
      return new ChunkCursor(chunkBytes, kind, col.maxDef, codec, cctx, ctx.lease.take, text);
    }
  }
  // hyparquet trusts page headers: check them against the chunk's bytes and rows first.
  if (chunk !== undefined) await checkChunkPages(bytes, chunk, groupRows, col.info.name, where);
  return fallbackCursor({
    bytes,
    metadata: meta.metadata,
    column: col.info.name,
    rowStart: ctx.groupStart + unit.rowStart,
    rowEnd: ctx.groupStart + unit.rowEnd,
    where,
    levels: text ?? undefined,
  });
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
    const bytes = take(rows * 8);
    a = new Float64Array(bytes.buffer, bytes.byteOffset, rows);
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
