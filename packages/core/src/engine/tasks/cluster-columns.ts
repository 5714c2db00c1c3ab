/**
 * The cluster columns of a design read (`cluster`), read alongside the
 * design: numbers as they are, text as categories (codes into the unit's
 * ColumnBatch.levels). A row whose cluster value is missing (null, or NaN in
 * a numeric column) is a missing row of the design, under the same policy
 * (`drop` counts it, `error` fails naming the row); this holds in every
 * pass, so the fit's rows are those R fits after na.omit over the cluster
 * columns too. Any other number (±Infinity too) is a cluster like any other.
 */
import { MissingValueError } from '@linreg/errors';
import type { ColumnBatch } from '@linreg/io';
import type { ClusterKeyColumn } from '../../numerics/meat/index.js';
import type { ClusterRead, MissingPolicy } from './protocol.js';

export class ClusterColumns {
  readonly #read: ClusterRead;
  readonly #policy: MissingPolicy;
  readonly #file: string;
  readonly #place: (row: number) => string;
  /** Position of each cluster column in the batch. */
  readonly #at: number[];
  /** Names to read besides the design's (cluster columns it does not already read). */
  readonly extra: readonly string[];
  /** Of those, the ones read as categories. */
  readonly extraCategorical: readonly string[];
  #scratch: Float64Array[] = [];
  /** The last batch's cluster keys, aligned with its design rows. */
  keys: ClusterKeyColumn[] = [];

  /**
   * @param names the columns the design reads, in batch order (a cluster column among them is not read twice)
   * @param file, place name a missing value's file and row (design-batch.ts's rowPlace)
   */
  constructor(
    read: ClusterRead,
    names: readonly string[],
    policy: MissingPolicy,
    file: string,
    place: (row: number) => string,
  ) {
    this.#read = read;
    this.#policy = policy;
    this.#file = file;
    this.#place = place;
    const extra: string[] = [];
    const extraCategorical: string[] = [];
    this.#at = read.names.map((name, c) => {
      const i = names.indexOf(name);
      if (i >= 0) return i;
      extra.push(name);
      if (read.categorical[c] === true) extraCategorical.push(name);
      return names.length + extra.length - 1;
    });
    this.extra = extra;
    this.extraCategorical = extraCategorical;
  }

  /** Marks rows with a missing cluster value in `mask`; returns how many it newly marked. */
  mark(batch: ColumnBatch, mask: Uint8Array, rowOffset: number): number {
    const n = batch.rows;
    let dropped = 0;
    this.#at.forEach((j, c) => {
      const col = batch.columns[j] as Float64Array;
      const nulls = batch.nulls[j] ?? null;
      const numeric = batch.levels?.[j] == null;
      for (let i = 0; i < n; i++) {
        const isNull = nulls !== null && nulls[i] === 1;
        if (!isNull && !(numeric && Number.isNaN(col[i]))) continue;
        if (this.#policy === 'error') {
          throw new MissingValueError(
            this.#file,
            this.#read.names[c] as string,
            this.#place(rowOffset + i),
            isNull ? 'missing value (null)' : 'missing value (NaN)',
          );
        }
        if (mask[i] === 0) {
          mask[i] = 1;
          dropped += 1;
        }
      }
    });
    return dropped;
  }

  /** Sets `keys` to the batch's cluster columns without the rows marked in `mask` (when any are). */
  take(batch: ColumnBatch, mask: Uint8Array, dropped: number): void {
    const n = batch.rows;
    if (dropped > 0 && (this.#scratch[0]?.length ?? 0) < n) {
      this.#scratch = this.#at.map(() => new Float64Array(n));
    }
    this.keys = this.#at.map((j, c) => {
      const src = batch.columns[j] as Float64Array;
      const levels = batch.levels?.[j] ?? null;
      if (dropped === 0) return { values: src, levels };
      const dst = this.#scratch[c] as Float64Array;
      let k = 0;
      for (let i = 0; i < n; i++) if (mask[i] === 0) dst[k++] = src[i] as number;
      return { values: dst, levels };
    });
  }
}
