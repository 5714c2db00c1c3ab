import { IoError } from '@linreg/errors';
import { arrowFormat, loadArrowStreamReader } from './arrow/module.js';
import type { OpenArrowStream } from './arrow/stream.js';
import { csvFormat } from './csv/format.js';
import type { FormatModule, ReadOptions } from './format.js';
import { parquetFormat } from './parquet/index.js';
import type { ColumnBatch, DataFormat, WorkUnit } from './types.js';

const FORMATS: Readonly<Record<DataFormat, FormatModule>> = {
  parquet: parquetFormat,
  arrow: arrowFormat,
  csv: csvFormat,
};

/** The module that reads `format`. */
export function formatModule(format: DataFormat): FormatModule {
  return FORMATS[format];
}

/**
 * Reads the projected `columns` of one work unit, in that order, as float64
 * batches of at most `options.batchRows` rows. Runs in a worker: the unit is
 * plain data, and each batch is a fresh set of arrays (Arrow Float64 columns may be views of the
 * record batch: do not transfer their buffers).
 */
export function readUnit(
  unit: WorkUnit,
  columns: readonly string[],
  options: ReadOptions,
): AsyncIterable<ColumnBatch> {
  checkReadOptions(unit.file, options);
  return FORMATS[unit.format].read(unit, columns, options);
}

/**
 * Reads an Arrow IPC stream (e.g. standard input, for `-`) in the calling
 * thread, record batch after record batch. Use openStream first to see the
 * schema and choose the columns.
 */
export async function* readStream(
  stream: NodeJS.ReadableStream | AsyncIterable<Uint8Array>,
  columns: readonly string[],
  options: ReadOptions,
): AsyncGenerator<ColumnBatch> {
  checkReadOptions('-', options);
  const { openArrowStream } = await loadArrowStreamReader();
  const open = await openArrowStream(stream, '-');
  yield* open.read(columns, options);
}

/** Opens an Arrow IPC stream and reads its schema (see readStream). */
export function openStream(
  stream: NodeJS.ReadableStream | AsyncIterable<Uint8Array>,
  name = '-',
): Promise<OpenArrowStream> {
  return loadArrowStreamReader().then(({ openArrowStream }) => openArrowStream(stream, name));
}

function checkReadOptions(file: string, options: ReadOptions): void {
  if (!(Number.isInteger(options.batchRows) && options.batchRows > 0)) {
    throw new IoError(
      'unsupported',
      { file },
      `batchRows must be a positive integer, got ${options.batchRows}`,
    );
  }
}
