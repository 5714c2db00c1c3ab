import { IoError } from '@linreg/errors';
import type { ColumnChunk } from 'hyparquet';
import { readOffsetIndex } from 'hyparquet';
import type { ByteSource } from '../bytes/byte-source.js';
import type { Allocate } from './buffer-pool.js';
import type { ByteRange } from './chunk-spans.js';
import { decodeProblem } from './decode-error.js';
import type { ChunkBytes } from './fast-path/chunk-cursor.js';
import { chunkStart } from './units.js';

/**
 * The chunk's byte range when fetchChunk reads it whole for rows
 * [rowStart, rowEnd) (the whole group, or no offset index to read less by);
 * null when it reads an offset index and a run of pages, or has no metadata.
 */
export function wholeChunkRange(
  chunk: ColumnChunk,
  rowStart: number,
  rowEnd: number,
  groupRows: number,
): ByteRange | null {
  const meta = chunk.meta_data;
  if (meta === undefined) return null;
  const whole = rowStart === 0 && rowEnd === groupRows;
  if (!whole && chunk.offset_index_offset !== undefined && chunk.offset_index_length !== undefined)
    return null;
  const start = chunkStart(meta.data_page_offset, meta.dictionary_page_offset);
  return { start, end: start + Number(meta.total_compressed_size) };
}

/**
 * Fetch the bytes the fast path needs for rows [rowStart, rowEnd) of one column
 * chunk (rows counted within the row group). A whole group is one read of the
 * chunk. A piece of a split group reads the chunk's offset index, then only the
 * dictionary region and the run of pages overlapping the rows (two reads).
 */
export async function fetchChunk(
  bytes: ByteSource,
  chunk: ColumnChunk,
  rowStart: number,
  rowEnd: number,
  groupRows: number,
  column: string,
  where: string,
  allocate?: Allocate,
): Promise<ChunkBytes> {
  const meta = chunk.meta_data;
  if (meta === undefined)
    throw new IoError(
      'corrupt',
      { file: bytes.file, column, where },
      'column chunk has no metadata',
    );
  const whole = wholeChunkRange(chunk, rowStart, rowEnd, groupRows);
  if (whole !== null) {
    const all = await bytes.read(whole.start, whole.end, where, column, allocate);
    return { segments: [all], firstRow: 0, skipRows: rowStart };
  }
  const start = chunkStart(meta.data_page_offset, meta.dictionary_page_offset);
  const indexStart = Number(chunk.offset_index_offset);
  const indexBytes = await bytes.read(
    indexStart,
    // wholeChunkRange returned null: the chunk has an offset index.
    indexStart + (chunk.offset_index_length ?? 0),
    `${where} offset index`,
    column,
  );
  let pages: { offset: bigint; compressed_page_size: number; first_row_index: bigint }[];
  try {
    pages = readOffsetIndex({
      view: new DataView(indexBytes.buffer, indexBytes.byteOffset, indexBytes.byteLength),
      offset: 0,
    }).page_locations;
  } catch (e: unknown) {
    throw new IoError(
      'corrupt',
      { file: bytes.file, column, where: `${where} offset index` },
      decodeProblem(e, 'offset index'),
    );
  }
  let first = -1;
  let last = -1;
  for (let i = 0; i < pages.length; i++) {
    const p = pages[i];
    if (p === undefined) continue;
    const pageStart = Number(p.first_row_index);
    const pageEnd = i + 1 < pages.length ? Number(pages[i + 1]?.first_row_index) : groupRows;
    if (pageEnd > rowStart && pageStart < rowEnd) {
      if (first < 0) first = i;
      last = i;
    }
  }
  const firstPage = pages[first];
  const lastPage = pages[last];
  if (firstPage === undefined || lastPage === undefined) {
    throw new IoError(
      'corrupt',
      { file: bytes.file, column, where: `${where} offset index` },
      `no page covers rows ${rowStart}-${rowEnd}`,
    );
  }
  const segments: Uint8Array[] = [];
  const firstOffset = Number(firstPage.offset);
  const dataStart = Number(meta.data_page_offset);
  if (start < dataStart) segments.push(await bytes.read(start, dataStart, where, column, allocate));
  segments.push(
    await bytes.read(
      firstOffset,
      Number(lastPage.offset) + lastPage.compressed_page_size,
      where,
      column,
      allocate,
    ),
  );
  const firstRow = Number(firstPage.first_row_index);
  return { segments, firstRow, skipRows: rowStart - firstRow };
}
