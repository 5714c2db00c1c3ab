import type { FileMetaData } from 'hyparquet';
import type { WorkUnit } from '../types.js';

/**
 * Row groups above this many rows are split into pieces of about
 * {@link PIECE_ROWS} rows, so one huge group (pyarrow writes 1 Mi-row groups
 * by default, Spark up to the block size) still spreads over workers — but only
 * when every column chunk has an offset index: then a piece reads just the
 * pages covering its rows. Without one, each piece would have to read and
 * decode the whole chunk, so the group stays one unit.
 */
export const SPLIT_ROWS = 1 << 20;
export const PIECE_ROWS = 1 << 19;

/** Rows of each row group and the file row at which each starts. */
export function groupRowOffsets(metadata: FileMetaData): { rows: number[]; starts: number[] } {
  const rows: number[] = [];
  const starts: number[] = [];
  let at = 0;
  for (const group of metadata.row_groups) {
    const n = Number(group.num_rows);
    starts.push(at);
    rows.push(n);
    at += n;
  }
  return { rows, starts };
}

/** Byte extent [start, end) of a row group: from its first column chunk to the end of its last. */
export function groupByteRange(metadata: FileMetaData, group: number): [number, number] {
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  for (const chunk of metadata.row_groups[group]?.columns ?? []) {
    const meta = chunk.meta_data;
    if (meta === undefined) continue;
    const s = chunkStart(meta.data_page_offset, meta.dictionary_page_offset);
    start = Math.min(start, s);
    end = Math.max(end, s + Number(meta.total_compressed_size));
  }
  return start === Number.POSITIVE_INFINITY ? [0, 0] : [start, end];
}

/**
 * Where a column chunk's bytes begin: at its dictionary page when it has one.
 * Some writers store dictionary_page_offset = 0 for "none", so only an offset
 * before the first data page counts.
 */
export function chunkStart(
  dataPageOffset: bigint,
  dictionaryPageOffset: bigint | undefined,
): number {
  const data = Number(dataPageOffset);
  if (dictionaryPageOffset === undefined) return data;
  const dict = Number(dictionaryPageOffset);
  return dict > 0 && dict < data ? dict : data;
}

/** One unit per non-empty row group, or per piece of a large indexed group; file order. */
export function parquetUnits(file: string, metadata: FileMetaData): Omit<WorkUnit, 'index'>[] {
  const units: Omit<WorkUnit, 'index'>[] = [];
  metadata.row_groups.forEach((group, g) => {
    const rows = Number(group.num_rows);
    if (rows === 0) return;
    const [byteStart, byteEnd] = groupByteRange(metadata, g);
    const indexed = group.columns.every(
      (c) => c.offset_index_offset !== undefined && c.offset_index_length !== undefined,
    );
    const pieces = rows > SPLIT_ROWS && indexed ? Math.ceil(rows / PIECE_ROWS) : 1;
    for (let k = 0; k < pieces; k++) {
      const rowStart = Math.round((rows * k) / pieces);
      const rowEnd = Math.round((rows * (k + 1)) / pieces);
      const span = byteEnd - byteStart;
      units.push({
        file,
        format: 'parquet',
        part: g,
        byteStart: byteStart + Math.round((span * rowStart) / rows),
        byteEnd: byteStart + Math.round((span * rowEnd) / rows),
        rowStart,
        rowEnd,
        rowEstimate: rowEnd - rowStart,
        label:
          pieces === 1
            ? `${file} row group ${g}`
            : `${file} row group ${g} rows ${rowStart}-${rowEnd}`,
      });
    }
  });
  return units;
}
