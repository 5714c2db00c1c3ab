/**
 * `--where` in a task: the unit's reader wrapped so that the filter's
 * columns are read along (extra columns; text ones as categories), the
 * filter is evaluated per batch (filter/compile.ts, compiled once per unit),
 * and the rows it does not keep are removed before anything else sees the
 * batch — before the missing-value policy, so a filtered row is never a
 * missing row. The extra columns are left out of the batches handed on.
 * Filtered rows are counted (`filtered()`): tasks report them as read but
 * neither used nor dropped (rowsRead − rowsUsed − rowsDropped).
 *
 * Rows named in later errors count the kept rows of the unit.
 */
import { SpecError } from '@linreg/errors';
import type { ColumnBatch } from '@linreg/io';
import { compileFilter, type RowFilter } from '../../filter/index.js';
import type { TaskInput } from './task-kind.js';

export interface FilteredInput {
  readonly input: TaskInput;
  /** Rows the filter removed so far. */
  filtered(): number;
  /**
   * The last batch's rows as read that the filter kept (1) — its first
   * `rows + removed` entries, valid until the next batch — or undefined
   * without a filter: what maps a kept row back to its row in the file.
   */
  keep(): Uint8Array | undefined;
}

/** `input` itself when there is no filter. */
export function filteredInput(input: TaskInput, filter: RowFilter | undefined): FilteredInput {
  if (filter === undefined) return { input, filtered: () => 0, keep: () => undefined };
  let filtered = 0;
  let keep = new Uint8Array(0);
  return {
    filtered: () => filtered,
    keep: () => keep,
    input: {
      unit: input.unit,
      read(columns, categorical = [], rawAt, reuseBatches) {
        const names = [...columns];
        const cats = [...categorical];
        const at = filter.columns.map((c) => {
          const i = names.indexOf(c.name);
          if (i < 0) {
            names.push(c.name);
            if (c.categorical) cats.push(c.name);
            return names.length - 1;
          }
          if (c.categorical !== cats.includes(c.name)) {
            throw new SpecError(
              'where',
              `column ${c.name} is read ${c.categorical ? 'as numbers by the model' : 'as text (a factor) by the model'}: the filter cannot read it ${c.categorical ? 'as text' : 'as numbers'}`,
            );
          }
          return i;
        });
        const width = columns.length;
        const raw =
          rawAt === undefined ? undefined : [...rawAt, ...names.slice(width).map(() => false)];
        const evaluate = compileFilter(filter, at);
        const source = input.read(names, cats, raw, reuseBatches);
        return {
          async *[Symbol.asyncIterator]() {
            for await (const batch of source) {
              const n = batch.rows;
              if (keep.length < n) keep = new Uint8Array(n);
              const kept = evaluate(batch, keep);
              filtered += n - kept;
              yield kept === n ? narrow(batch, width) : compact(batch, width, keep, kept);
            }
          },
        };
      },
    },
  };
}

/** The batch without the filter's extra columns (no copy). */
function narrow(batch: ColumnBatch, width: number): ColumnBatch {
  if (batch.columns.length === width) return batch;
  return {
    rows: batch.rows,
    names: batch.names.slice(0, width),
    columns: batch.columns.slice(0, width),
    nulls: batch.nulls.slice(0, width),
    ...(batch.levels === undefined ? {} : { levels: batch.levels.slice(0, width) }),
    ...(batch.raw === undefined ? {} : { raw: batch.raw.slice(0, width) }),
  };
}

/** The kept rows of the first `width` columns, in new arrays (a source's own arrays are never written). */
function compact(batch: ColumnBatch, width: number, keep: Uint8Array, kept: number): ColumnBatch {
  const n = batch.rows;
  if (batch.raw?.some((r, j) => j < width && r !== null) === true) {
    throw new TypeError('filter: pass-through columns cannot be filtered');
  }
  const columns: Float64Array[] = [];
  const nulls: (Uint8Array | null)[] = [];
  for (let j = 0; j < width; j++) {
    const src = batch.columns[j] as Float64Array;
    const dst = new Float64Array(kept);
    let k = 0;
    for (let i = 0; i < n; i++) if (keep[i] === 1) dst[k++] = src[i] as number;
    columns.push(dst);
    const m = batch.nulls[j] ?? null;
    if (m === null) {
      nulls.push(null);
      continue;
    }
    const out = new Uint8Array(kept);
    k = 0;
    for (let i = 0; i < n; i++) if (keep[i] === 1) out[k++] = m[i] as number;
    nulls.push(out);
  }
  return {
    rows: kept,
    names: batch.names.slice(0, width),
    columns,
    nulls,
    ...(batch.levels === undefined ? {} : { levels: batch.levels.slice(0, width) }),
  };
}
