/**
 * Columns already in memory as a source (tests, and library callers that
 * hold their data): one unit per batch, each batch a record of equally long
 * Float64Array columns by name; NaN is a missing value. Tasks run in the
 * calling thread through the same task table as the workers, so a fit of the
 * same rows split the same way gives the same bits as from files.
 */
import { type ColumnBatch, type ColumnInfo, IoError, type Plan } from '@linreg/io';
import type { UnitRef } from '../tasks/protocol.js';
import type { DataSource } from './data-source.js';
import { inThreadExecute } from './in-thread.js';

export type MemoryBatch = Readonly<Record<string, Float64Array>>;

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
    yield {
      rows: end - start,
      names: columns,
      columns: data.map((c) => c.subarray(start, end)),
      nulls: columns.map(() => null),
    };
  }
}

export function memorySource(batches: readonly MemoryBatch[], name = '<memory>'): DataSource {
  const rows = batches.map((b, i) => rowsOf(b, name, i));
  const names = batches.length === 0 ? [] : Object.keys(batches[0] as MemoryBatch);
  const columns: ColumnInfo[] = names.map((n) => ({
    name: n,
    sourceType: 'Float64',
    numeric: true,
    nullable: true,
  }));
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
      ),
    ),
    close: async () => {},
  };
}
