import { IoError } from '@linreg/errors';
import { DataType, type Field } from 'apache-arrow';
import { byteChunks } from '../bytes/byte-stream.js';
import { readHandle } from '../bytes/handle.js';
import { openBytes } from '../bytes/open-bytes.js';
import { kindFromMagic, readHead } from '../detect.js';
import type { ReadOptions, ShardDescription } from '../format.js';
import type { ColumnBatch, WorkUnit } from '../types.js';
import { ArrowCategories } from './categories.js';
import { checkedBatchMessage, readFileBatch } from './file-batch.js';
import type { ArrowBlock, ArrowFileMeta } from './file-meta.js';
import { arrowFileMeta } from './footer-cache.js';
import { type FileHandle, readExactly } from './read-exactly.js';
import { sliceBatch } from './slice.js';
import { openArrowStream, readArrowSource } from './stream.js';

/**
 * Describes an Arrow IPC file or stream. File format (`ARROW1`): one unit per
 * record batch, with its exact row count read from the batch's message header
 * (the footer gives where each batch is, not its length) and its byte extent.
 * Stream format: one unit for the whole file (a stream has no index), rows
 * estimated from the byte size and the fixed column widths. The parsed
 * footer stays cached (footer-cache.ts), so units read in this thread skip it.
 */
export async function describeArrow(file: string): Promise<ShardDescription> {
  const { head, bytes } = await readHead(file);
  const kind = kindFromMagic(head);
  if (kind === 'arrow-stream') return describeStreamFile(file, bytes);
  if (kind !== 'arrow-file') {
    throw new IoError(
      'bad-format',
      { file },
      'not an Arrow IPC file or stream (no ARROW1 or 0xFFFFFFFF magic)',
    );
  }
  const source = await openBytes(file);
  const handle = readHandle(source);
  try {
    const meta = await arrowFileMeta(handle, file, source.version);
    const units: Omit<WorkUnit, 'index'>[] = [];
    let rows = 0;
    for (const [i, block] of meta.batches.entries()) {
      const length = await batchLength(handle, file, i, meta, block, bytes);
      const end = block.offset + block.metaDataLength + block.bodyLength;
      if (end > bytes) {
        throw new IoError(
          'truncated',
          { file, where: `record batch ${i}` },
          `batch ends at byte ${end} past the end of the file (${bytes} bytes)`,
        );
      }
      units.push({
        file,
        format: 'arrow',
        part: i,
        byteStart: block.offset,
        byteEnd: end,
        rowStart: 0,
        rowEnd: length,
        rowEstimate: length,
        label: `${file} record batch ${i}`,
      });
      rows += length;
    }
    return {
      info: { file, format: 'arrow', bytes, rows, rowsExact: true },
      columns: meta.columns,
      units,
    };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

async function describeStreamFile(file: string, bytes: number): Promise<ShardDescription> {
  const stream = byteChunks(file);
  try {
    const { schema, columns } = await openArrowStream(stream, file);
    const width = schema.fields.reduce((sum: number, f: Field) => sum + byteWidth(f.type), 0);
    const rows = width > 0 ? Math.round(bytes / width) : 0;
    return {
      info: { file, format: 'arrow', bytes, rows, rowsExact: false },
      columns,
      units: [
        {
          file,
          format: 'arrow',
          part: -1,
          byteStart: 0,
          byteEnd: bytes,
          rowStart: 0,
          rowEnd: 0,
          rowEstimate: rows,
          label: `${file} (stream)`,
        },
      ],
    };
  } finally {
    await stream.return(undefined);
  }
}

/**
 * Reads one unit: a record batch of an Arrow file, or a whole Arrow stream
 * file. `options.categorical` columns come out as codes and levels
 * (categories.ts); the dictionaries of such columns are read along with the
 * record batch.
 */
export async function* readArrow(
  unit: WorkUnit,
  columns: readonly string[],
  options: ReadOptions,
): AsyncGenerator<ColumnBatch> {
  if (unit.part < 0) {
    const stream = byteChunks(unit.file);
    try {
      yield* readArrowSource(stream, unit.file, columns, options);
    } finally {
      await stream.return(undefined);
    }
    return;
  }
  const source = await openBytes(unit.file);
  const handle = readHandle(source);
  try {
    const meta = await arrowFileMeta(handle, unit.file, source.version);
    const categorical = new Set((options.categorical ?? []).filter((c) => columns.includes(c)));
    const dictionaries = new Set<number>();
    for (const field of meta.schema.fields as Field[]) {
      const wanted =
        categorical.has(field.name) ||
        columns.some((c, j) => c === field.name && options.rawAt?.[j] === true);
      if (wanted && DataType.isDictionary(field.type)) {
        dictionaries.add(field.type.id);
      }
    }
    const batch = await readFileBatch(handle, meta, unit, dictionaries);
    const categories = new ArrowCategories(categorical, unit.file);
    yield* sliceBatch(
      batch,
      unit.file,
      unit.label,
      columns,
      options.batchRows,
      categories,
      options.rawAt,
    );
  } finally {
    await handle.close().catch(() => undefined);
  }
}

async function batchLength(
  handle: FileHandle,
  file: string,
  index: number,
  fileMeta: ArrowFileMeta,
  block: ArrowBlock,
  bytes: number,
): Promise<number> {
  const { offset, metaDataLength } = block;
  const where = `record batch ${index}`;
  if (offset + metaDataLength > bytes || metaDataLength < 8) {
    throw new IoError(
      'truncated',
      { file, where },
      `metadata at byte ${offset} is past the end of the file`,
    );
  }
  const meta = await readExactly(handle, file, where, offset, metaDataLength, bytes);
  return Number(checkedBatchMessage(meta, fileMeta.schema, block, file, where).length);
}

function byteWidth(type: DataType): number {
  const bitWidth = (type as { bitWidth?: unknown }).bitWidth;
  if (typeof bitWidth === 'number') return bitWidth / 8;
  const precision = (type as { precision?: unknown }).precision;
  if (typeof precision === 'number') return [2, 4, 8][precision] ?? 8;
  return 8;
}
