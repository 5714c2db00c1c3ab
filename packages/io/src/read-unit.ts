/**
 * Reading one work unit: the entry of a worker thread (the package's
 * `@linreg/io/read-unit` export). The format modules are imported on first
 * use, so a worker that reads Parquet never loads the CSV reader (its gzip
 * stream, its number tables) and one that reads CSV never loads hyparquet;
 * every thread pays for each module it imports.
 */
import { IoError } from '@linreg/errors';
import { loadArrowStreamReader } from './arrow/module.js';
import type { OpenArrowStream } from './arrow/stream.js';
import { setRemoteOptions } from './bytes/remote-options.js';
import { isRemote } from './bytes/remote-url.js';
import type { FormatModule, ReadOptions } from './format.js';
import { type RawColumn, sliceRaw } from './raw.js';
import type { ColumnBatch, DataFormat, PartitionValues, WorkUnit } from './types.js';

// A worker takes the main thread's parsed Parquet footers through this entry.
export { type FooterSeed, seedFooters } from './footer-seeds.js';

const LOADERS: Readonly<Record<DataFormat, () => Promise<FormatModule>>> = {
  parquet: async () => (await import('./parquet/module.js')).parquetFormat,
  arrow: async () => (await import('./arrow/module.js')).arrowFormat,
  csv: async () => (await import('./csv/format.js')).csvFormat,
};

/** Each format's module, loaded once per thread. */
const loaded = new Map<DataFormat, Promise<FormatModule>>();

function loadFormat(format: DataFormat): Promise<FormatModule> {
  let module = loaded.get(format);
  if (module === undefined) {
    module = LOADERS[format]();
    loaded.set(format, module);
  }
  return module;
}

/** Reads through the unit's format module, loading it first. */
async function* readFormat(
  unit: WorkUnit,
  columns: readonly string[],
  options: ReadOptions,
): AsyncGenerator<ColumnBatch> {
  const format = await loadFormat(unit.format);
  yield* format.read(unit, columns, options);
}

/**
 * Reads the projected `columns` of one work unit, in that order, as float64
 * batches of at most `options.batchRows` rows. Runs in a worker: the unit is
 * plain data, and each batch is a fresh set of arrays (Arrow Float64 columns may be views of the
 * record batch: do not transfer their buffers). Columns named in
 * `options.categorical` come out as codes plus levels (ColumnBatch.levels).
 * A name found in `unit.partitionValues` (a hive partition column, plan.ts)
 * is a constant column: its integer value as float64, or, read as a
 * category, code 0 of the one level (a null value: every row null).
 */
export function readUnit(
  unit: WorkUnit,
  columns: readonly string[],
  options: ReadOptions,
): AsyncIterable<ColumnBatch> {
  checkReadOptions(unit.file, options);
  // A worker reads remote files with the settings the plan was made with.
  if (isRemote(unit.file)) setRemoteOptions(unit.remote);
  if (options.rawAt?.includes(true) === true) {
    const partitions = unit.partitionValues ?? {};
    const partitionRaw = columns.some(
      (name, j) => options.rawAt?.[j] === true && Object.hasOwn(partitions, name),
    );
    if (unit.format !== 'arrow' || partitionRaw) return withRaw(unit, columns, options);
  }
  const partitions = unit.partitionValues;
  if (partitions !== undefined && columns.some((name) => Object.hasOwn(partitions, name))) {
    return withPartitions(unit, columns, options, partitions);
  }
  return readFormat(unit, columns, options);
}

/** A partition column of a unit: the value as a number or as one level, or null. */
interface Constant {
  readonly value: number;
  readonly levels: readonly string[] | null;
  readonly isNull: boolean;
}

/**
 * Reads the file's columns among `columns` through its format, and adds the
 * partition columns as constants, batch by batch (one fill per column and batch).
 */
async function* withPartitions(
  unit: WorkUnit,
  columns: readonly string[],
  options: ReadOptions,
  partitions: PartitionValues,
): AsyncGenerator<ColumnBatch> {
  const categorical = new Set(options.categorical ?? []);
  const constants = new Map<string, Constant>();
  for (const name of columns) {
    if (!Object.hasOwn(partitions, name)) continue;
    const value = partitions[name] ?? null;
    if (categorical.has(name)) {
      constants.set(name, {
        value: 0,
        levels: value === null ? [] : [value],
        isNull: value === null,
      });
    } else if (value === null) {
      constants.set(name, { value: Number.NaN, levels: null, isNull: true });
    } else if (/^[+-]?[0-9]+$/.test(value)) {
      constants.set(name, { value: Number(value), levels: null, isNull: false });
    } else {
      throw new IoError(
        'non-numeric',
        { file: unit.file, column: name, where: unit.label },
        `partition value ${JSON.stringify(value)} is not an integer`,
      );
    }
  }
  const fileColumns = columns.filter((name) => !constants.has(name));
  const fileOptions: ReadOptions = {
    ...options,
    categorical: (options.categorical ?? []).filter((name) => !constants.has(name)),
  };
  const anyLevels = columns.some((name) => categorical.has(name));
  for await (const batch of readFormat(unit, fileColumns, fileOptions)) {
    const rows = batch.rows;
    const values: Float64Array[] = [];
    const nulls: (Uint8Array | null)[] = [];
    const levels: (readonly string[] | null)[] = [];
    let k = 0;
    for (const name of columns) {
      const constant = constants.get(name);
      if (constant === undefined) {
        values.push(batch.columns[k] as Float64Array);
        nulls.push(batch.nulls[k] ?? null);
        levels.push(batch.levels?.[k] ?? null);
        k += 1;
        continue;
      }
      const filled = new Float64Array(rows);
      if (constant.value !== 0) filled.fill(constant.value);
      values.push(filled);
      nulls.push(constant.isNull ? new Uint8Array(rows).fill(1) : null);
      levels.push(constant.levels);
    }
    yield anyLevels
      ? { rows, names: columns, columns: values, nulls, levels }
      : { rows, names: columns, columns: values, nulls };
  }
}

/**
 * Reads an Arrow IPC stream (e.g. standard input, for `-`) in the calling
 * thread, record batch after record batch. Use openStream first to see the
 * schema and choose the columns. `options.categorical` works as for readUnit;
 * the whole stream is one unit (one level list per column, codes stable
 * across record batches, dictionaries that change between batches remapped).
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

/**
 * Pass-through columns of a Parquet or CSV unit (or a partition column): the
 * other columns are read as usual, the raw ones whole-unit by readRawUnit,
 * then sliced alongside each batch.
 */
async function* withRaw(
  unit: WorkUnit,
  columns: readonly string[],
  options: ReadOptions,
): AsyncGenerator<ColumnBatch> {
  const rawAt = options.rawAt ?? [];
  const plain = columns.filter((_, j) => rawAt[j] !== true);
  const rawNames = columns.filter((_, j) => rawAt[j] === true);
  const { readRawUnit } = await import('./raw-unit.js');
  const raw = await readRawUnit(unit, rawNames);
  const rows = raw[0]?.length ?? 0;
  const assemble = (batch: ColumnBatch, from: number): ColumnBatch => {
    const values: Float64Array[] = [];
    const nulls: (Uint8Array | null)[] = [];
    const levels: (readonly string[] | null)[] = [];
    const out: (RawColumn | null)[] = [];
    let p = 0;
    let r = 0;
    columns.forEach((_, j) => {
      if (rawAt[j] === true) {
        const column = sliceRaw(raw[r] as RawColumn, from, batch.rows);
        r += 1;
        values.push(EMPTY);
        nulls.push(column.nulls);
        levels.push(null);
        out.push(column);
      } else {
        values.push(batch.columns[p] as Float64Array);
        nulls.push(batch.nulls[p] ?? null);
        levels.push(batch.levels?.[p] ?? null);
        out.push(null);
        p += 1;
      }
    });
    const base = { rows: batch.rows, names: columns, columns: values, nulls, raw: out };
    return batch.levels === undefined ? base : { ...base, levels };
  };
  if (plain.length === 0) {
    for (let from = 0; from < rows; from += options.batchRows) {
      const n = Math.min(options.batchRows, rows - from);
      yield assemble({ rows: n, names: [], columns: [], nulls: [] }, from);
    }
    return;
  }
  let from = 0;
  for await (const batch of readUnit(unit, plain, { ...options, rawAt: undefined })) {
    if (from + batch.rows > rows) {
      throw new IoError(
        'corrupt',
        { file: unit.file, where: unit.label },
        `the kept columns have ${rows} rows, the others more`,
      );
    }
    yield assemble(batch, from);
    from += batch.rows;
  }
}

const EMPTY = new Float64Array(0);
