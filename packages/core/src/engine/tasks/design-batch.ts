/**
 * Turn io's ColumnBatch (projected columns: features…, target, [weights]) into
 * a numerics DesignBatch, applying the missing-value policy.
 *
 * A row is missing when any used column is null (io's null mask) or NaN.
 * `drop` removes such rows and counts them; `error` throws a MissingValueError
 * naming the file, column and row. ±Infinity is never treated as missing: it
 * is bad input under either policy (R's lm refuses it too).
 *
 * No per-row objects: when nothing is dropped the DesignBatch holds views of
 * the batch's own columns; otherwise rows are compacted into scratch
 * Float64Arrays owned by this object and reused across batches.
 */

import { MissingValueError } from '@linreg/errors';
import type { ColumnBatch } from '@linreg/io';
import type { ClusterKeyColumn } from '../../numerics/meat/index.js';
import type { DesignBatch } from '../../numerics/types.js';
import { ClusterColumns } from './cluster-columns.js';
import {
  finiteMaxMagnitude,
  MAX_MAGNITUDE,
  MIN_MAGNITUDE,
  magnitudeInRange,
  magnitudeProblem,
} from './magnitude.js';
import {
  type ClusterRead,
  type DesignColumns,
  designColumnNames,
  type MissingPolicy,
} from './protocol.js';

export interface UnitName {
  readonly file: string;
  readonly label: string;
  /** CSV: 1-based line of the unit's first record, so errors can name the line. */
  readonly csvFirstLine?: number | undefined;
}

/** Where row `row` (0-based within the unit) is: the CSV line when known, else the unit and row. */
export function rowPlace(unit: UnitName, row: number): string {
  if (unit.csvFirstLine !== undefined) return `line ${unit.csvFirstLine + row}`;
  return `${unitPlace(unit)}, row ${row}`;
}

/** 'data/a.parquet row group 2' → 'row group 2' (the file is reported separately). */
export function unitPlace(unit: UnitName): string {
  const rest = unit.label.startsWith(unit.file)
    ? unit.label.slice(unit.file.length).trim()
    : unit.label;
  return rest === '' ? 'unit' : rest;
}

export class DesignBatcher {
  readonly #names: readonly string[];
  readonly #p: number;
  readonly #weighted: boolean;
  readonly #policy: MissingPolicy;
  readonly #unit: UnitName;
  #mask = new Uint8Array(0);
  #scratch: Float64Array[] = [];
  #largest = new Float64Array(0);
  readonly #cluster: ClusterColumns | undefined;

  constructor(
    design: DesignColumns,
    policy: MissingPolicy,
    unit: UnitName,
    cluster?: ClusterRead | undefined,
  ) {
    this.#names = designColumnNames(design);
    this.#p = design.features.length;
    this.#weighted = design.weights !== undefined;
    this.#policy = policy;
    this.#unit = unit;
    this.#cluster =
      cluster === undefined
        ? undefined
        : new ClusterColumns(cluster, this.#names, policy, unit.file, (row) => rowPlace(unit, row));
    this.columns = [...this.#names, ...(this.#cluster?.extra ?? [])];
    this.categorical = this.#cluster?.extraCategorical ?? [];
  }

  /** Column names in the order the batch must hold them (the design's, then cluster columns). */
  readonly columns: readonly string[];

  /** Columns read as categories: text cluster columns only (a formula's program reads factors, program-batch.ts). */
  readonly categorical: readonly string[];

  /** The last batch's cluster keys, aligned with its design rows (empty without `cluster`). */
  get clusterKeys(): readonly ClusterKeyColumn[] {
    return this.#cluster?.keys ?? [];
  }

  /** A batch with nothing dropped holds the reader's own fresh arrays, which stay valid. */
  readonly reusesOutput = false;

  /** Columns as read have no offsets. */
  readonly offset: Float64Array | undefined = undefined;

  /** The last batch's rows left out (1 = dropped, by batch row); undefined when none was. */
  dropMask: Uint8Array | undefined;

  /**
   * @param rowOffset rows of this unit already seen, so errors name the row within the unit.
   * @returns the design batch and how many rows were dropped.
   */
  toDesign(batch: ColumnBatch, rowOffset: number): { design: DesignBatch; dropped: number } {
    const n = batch.rows;
    const width = this.#names.length;
    if (this.#mask.length < n) this.#mask = new Uint8Array(n);
    const mask = this.#mask;
    mask.fill(0, 0, n);
    let dropped = 0;
    // Largest magnitude per column from the fast scan; NaN when the column needs the careful one.
    if (this.#largest.length < width) this.#largest = new Float64Array(width);
    const largest = this.#largest;
    for (let j = 0; j < width; j++) {
      const col = batch.columns[j] as Float64Array;
      const nulls = batch.nulls[j] ?? null;
      if (nulls === null) {
        const max = finiteMaxMagnitude(col, n);
        largest[j] = max;
        if (!Number.isNaN(max)) continue;
      } else {
        largest[j] = Number.NaN;
      }
      for (let i = 0; i < n; i++) {
        const v = col[i] as number;
        const isNull = nulls !== null && nulls[i] === 1;
        // v - v is 0 for every finite v, NaN for NaN and ±Infinity.
        if (!isNull && v - v === 0) continue;
        if (!isNull && !Number.isNaN(v)) this.#fail(j, rowOffset + i, `infinite value ${v}`);
        if (this.#policy === 'error') {
          this.#fail(j, rowOffset + i, isNull ? 'missing value (null)' : 'missing value (NaN)');
        }
        if (mask[i] === 0) {
          mask[i] = 1;
          dropped += 1;
        }
      }
    }
    if (this.#cluster !== undefined) {
      dropped += this.#cluster.mark(batch, mask, rowOffset);
      this.#cluster.take(batch, mask, dropped);
    }
    for (let j = 0; j < width; j++) {
      // With every row kept, the fast scan's maximum settles the column unless it is out of range.
      const max = largest[j] as number;
      if (
        dropped === 0 &&
        !Number.isNaN(max) &&
        max <= MAX_MAGNITUDE &&
        (max === 0 || max >= MIN_MAGNITUDE)
      ) {
        continue;
      }
      const found = magnitudeProblem(
        batch.columns[j] as Float64Array,
        n,
        dropped === 0 ? undefined : mask,
      );
      if (found !== undefined) this.#fail(j, rowOffset + found.row, found.problem);
    }
    this.dropMask = dropped === 0 ? undefined : mask;
    const columns =
      dropped === 0 ? (batch.columns as Float64Array[]) : this.#compact(batch, mask, n);
    const p = this.#p;
    const design: DesignBatch = {
      rows: n - dropped,
      x: columns.slice(0, p),
      y: columns[p] as Float64Array,
      w: this.#weighted ? columns[p + 1] : undefined,
    };
    return { design, dropped };
  }

  /**
   * The batch as a design whose [X y] values are NOT checked, for a consumer
   * that checks them in a pass of its own and comes back to toDesign when
   * they need the careful look (accumulate-task.ts, through
   * numerics tryUpdateAccumulator): saves the fast scan's read of every value.
   * Only when nothing can be dropped but a non-finite value — no column with
   * a null mask, no cluster columns — and the weights, checked here, are
   * finite, non-negative and in range; otherwise undefined (use toDesign).
   */
  uncheckedDesign(batch: ColumnBatch): DesignBatch | undefined {
    if (this.#cluster !== undefined) return undefined;
    const width = this.#names.length;
    for (let j = 0; j < width; j++) if ((batch.nulls[j] ?? null) !== null) return undefined;
    const n = batch.rows;
    const columns = batch.columns as Float64Array[];
    const p = this.#p;
    const w = this.#weighted ? columns[p + 1] : undefined;
    if (w !== undefined) {
      if (!magnitudeInRange(finiteMaxMagnitude(w, n))) return undefined;
      // A negative weight is refused by the accumulator before it looks at the values; the
      // careful path finds a missing value first, as it always did, so it takes such a batch.
      for (let i = 0; i < n; i++) if ((w[i] as number) < 0) return undefined;
    }
    this.dropMask = undefined;
    return { rows: n, x: columns.slice(0, p), y: columns[p] as Float64Array, w };
  }

  #compact(batch: ColumnBatch, mask: Uint8Array, n: number): Float64Array[] {
    const width = this.#names.length;
    if ((this.#scratch[0]?.length ?? 0) < n) {
      this.#scratch = Array.from({ length: width }, () => new Float64Array(n));
    }
    for (let j = 0; j < width; j++) {
      const src = batch.columns[j] as Float64Array;
      const dst = this.#scratch[j] as Float64Array;
      let k = 0;
      for (let i = 0; i < n; i++) {
        if (mask[i] === 0) dst[k++] = src[i] as number;
      }
    }
    return this.#scratch;
  }

  #fail(column: number, row: number, problem: string): never {
    throw new MissingValueError(
      this.#unit.file,
      this.#names[column] ?? `column ${column}`,
      rowPlace(this.#unit, row),
      problem,
    );
  }
}
