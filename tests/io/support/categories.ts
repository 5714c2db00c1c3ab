/**
 * Reading categorical columns back as text for the tests: every batch is
 * checked against the contract of ColumnBatch.levels (one list per unit and
 * column, codes exact integers indexing it, null rows code 0) before its codes
 * are turned into strings.
 */
import type { ColumnBatch, ReadOptions, WorkUnit } from '@linreg/io';
import { readUnit } from '@linreg/io';

/** A cell: the level text of a categorical column, the number of another, null for null. */
export type Cell = string | number | null;

/**
 * Decodes the batches of one unit (or one stream), in order: per column, its
 * cells. Throws when a batch breaks the levels contract.
 */
export async function decodeBatches(
  batches: AsyncIterable<ColumnBatch>,
  columns: readonly string[],
  categorical: readonly string[],
): Promise<Cell[][]> {
  const out: Cell[][] = columns.map(() => []);
  const lists: (readonly string[] | null | undefined)[] = columns.map(() => undefined);
  const isCategorical = columns.map((name) => categorical.includes(name));
  const anyCategorical = isCategorical.some(Boolean);
  for await (const batch of batches) {
    if (batch.names.join('\u0000') !== columns.join('\u0000')) {
      throw new Error(`batch names ${batch.names.join(',')}, asked for ${columns.join(',')}`);
    }
    if (anyCategorical !== (batch.levels !== undefined)) {
      throw new Error(`levels ${batch.levels === undefined ? 'missing' : 'present'}`);
    }
    columns.forEach((name, j) => {
      const values = batch.columns[j] as Float64Array;
      const nulls = batch.nulls[j];
      const levels = batch.levels?.[j] ?? null;
      if (isCategorical[j] !== (levels !== null)) {
        throw new Error(`${name}: levels ${levels === null ? 'null' : 'given'}`);
      }
      if (levels !== null) {
        const seen = lists[j];
        if (seen !== undefined && seen !== levels) {
          throw new Error(`${name}: a new levels array within one unit`);
        }
        lists[j] = levels;
        if (new Set(levels).size !== levels.length) throw new Error(`${name}: duplicate levels`);
      }
      const cells = out[j] as Cell[];
      for (let i = 0; i < batch.rows; i++) {
        const v = values[i] as number;
        if (nulls?.[i] === 1) {
          if (levels !== null && v !== 0) throw new Error(`${name}: null row ${i} has code ${v}`);
          cells.push(null);
        } else if (levels === null) {
          cells.push(v);
        } else {
          if (!(Number.isInteger(v) && v >= 0 && v < levels.length)) {
            throw new Error(`${name}: code ${v} outside ${levels.length} levels`);
          }
          cells.push(levels[v] as string);
        }
      }
    });
  }
  return out;
}

/** Reads `units` in order through readUnit and decodes them (decodeBatches), concatenated. */
export async function readCells(
  units: readonly WorkUnit[],
  columns: readonly string[],
  categorical: readonly string[],
  batchRows = 1000,
): Promise<Cell[][]> {
  const out: Cell[][] = columns.map(() => []);
  const options: ReadOptions = { batchRows, categorical };
  for (const unit of units) {
    const cells = await decodeBatches(readUnit(unit, columns, options), columns, categorical);
    cells.forEach((column, j) => {
      for (const cell of column) out[j]?.push(cell);
    });
  }
  return out;
}

/** The error a promise rejects with (or a thrown function throws). */
export async function failure(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (e: unknown) {
    if (e instanceof Error) return e;
    throw new Error(`threw a non-Error: ${String(e)}`);
  }
  throw new Error('expected an error');
}
