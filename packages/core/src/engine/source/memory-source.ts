/**
 * Columns already in memory as a source (tests, and library callers that
 * hold their data): one unit per batch, each batch a record of equally long
 * columns by name — Float64Array (NaN is a missing value) or an array of
 * strings (a categorical column; null is a missing value). Tasks run in the
 * calling thread through the same task table as the workers, so a fit of the
 * same rows split the same way gives the same bits as from files.
 */
import { type ColumnBatch, type ColumnInfo, IoError, type Plan } from '@linreg/io';
import type { UnitRef } from '../tasks/protocol.js';
import type { DataSource } from './data-source.js';
import { inThreadExecute } from './in-thread.js';

/** A column: numbers, or text (a factor's values; null for missing). */
export type MemoryColumn = Float64Array | readonly (string | null)[];

export type MemoryBatch = Readonly<Record<string, MemoryColumn>>;

function rowsOf(batch: MemoryBatch, name: string, index: number): number {
  const lengths = new Set(Object.values(batch).map((c) => c.length));
  if (lengths.size > 1) {
    throw new IoError(
      'schema-mismatch',
      { file: name, where: `batch ${index}` },
      `columns have different lengths (${[...lengths].join(', ')})`,
    );
  }
  return lengths.size === 0 ? 0 : ([...lengths][0] as number);
}

async function* slices(
  batch: MemoryBatch,
  rows: number,
  name: string,
  unit: UnitRef,
  columns: readonly string[],
  batchRows: number,
  categorical: readonly string[] = [],
): AsyncGenerator<ColumnBatch> {
  const data = columns.map((c) => {
    const column = batch[c];
    if (column === undefined) {
      throw new IoError(
        'missing-column',
        { file: name, column: c, where: unit.label },
        'no such column',
      );
    }
    return column;
  });
  for (let start = 0; start < rows; start += batchRows) {
    const end = Math.min(rows, start + batchRows);
    const parts = data.map((c, j) =>
      slice(c, start, end, categorical.includes(columns[j] as string)),
    );
    yield {
      rows: end - start,
      names: columns,
      columns: parts.map((p) => p.values),
      nulls: parts.map((p) => p.nulls),
      levels: parts.map((p) => p.levels),
    };
  }
}

interface Slice {
  readonly values: Float64Array;
  readonly nulls: Uint8Array | null;
  readonly levels: readonly string[] | null;
}

/** Rows [start, end) of a column: numbers as a view; text as codes into the slice's level list. */
function slice(c: MemoryColumn, start: number, end: number, asCategory: boolean): Slice {
  if (c instanceof Float64Array)
    return { values: c.subarray(start, end), nulls: null, levels: null };
  const values = new Float64Array(end - start);
  const nulls = new Uint8Array(end - start);
  if (!asCategory) {
    values.fill(Number.NaN);
    return { values, nulls: null, levels: null };
  }
  const index = new Map<string, number>();
  const levels: string[] = [];
  for (let i = start; i < end; i++) {
    const v = c[i];
    if (v === null || v === undefined) {
      nulls[i - start] = 1;
      continue;
    }
    let code = index.get(v);
    if (code === undefined) {
      code = levels.length;
      levels.push(v);
      index.set(v, code);
    }
    values[i - start] = code;
  }
  return { values, nulls, levels };
}

export function memorySource(batches: readonly MemoryBatch[], name = '<memory>'): DataSource {
  const rows = batches.map((b, i) => rowsOf(b, name, i));
  const names = batches.length === 0 ? [] : Object.keys(batches[0] as MemoryBatch);
  const first = batches[0] ?? {};
  const columns: ColumnInfo[] = names.map((n) => {
    const text = !(first[n] instanceof Float64Array);
    return {
      name: n,
      sourceType: text ? 'Utf8' : 'Float64',
      numeric: !text,
      categorical: text,
      nullable: true,
    };
  });
  const total = rows.reduce((s, r) => s + r, 0);
  const plan: Plan = {
    shards: [{ file: name, format: 'arrow', bytes: 0, rows: total, rowsExact: true, columns }],
    columns,
    units: [],
  };
  const units: UnitRef[] = rows.map((r, index) => ({
    index,
    file: name,
    label: `${name} batch ${index}`,
    byteStart: 0,
    byteEnd: 0,
    rowEstimate: r,
  }));
  return {
    plan,
    units,
    rereadable: true,
    workers: 0,
    execute: inThreadExecute(units, (unit, cols, options) =>
      slices(
        batches[unit.index] as MemoryBatch,
        rows[unit.index] as number,
        name,
        unit,
        cols,
        options.batchRows,
        options.categorical,
      ),
    ),
    close: async () => {},
  };
}
