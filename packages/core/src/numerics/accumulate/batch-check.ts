/**
 * Validation of a DesignBatch at the accumulator boundary: its shape against
 * the spec, and its weights (finite, non-negative), with errors that name the
 * column or the row.
 */

import { NumericInputError } from '@linreg/errors';
import type { AccumulatorSpec, DesignBatch } from '../types.js';

/** Checks the batch's shape against the spec; returns its columns [x₁ … x_p y]. */
export function batchColumns(spec: AccumulatorSpec, batch: DesignBatch): Float64Array[] {
  const n = batch.rows;
  if (!Number.isInteger(n) || n < 0) {
    throw new NumericInputError(`batch rows must be a non-negative integer, got ${String(n)}`);
  }
  if (batch.x.length !== spec.p) {
    throw new NumericInputError(
      `batch has ${batch.x.length} feature columns, the accumulator expects p = ${spec.p}`,
    );
  }
  const cols: Float64Array[] = [];
  for (let c = 0; c < spec.p; c++) {
    const x = batch.x[c] as Float64Array;
    if (x.length < n) {
      throw new NumericInputError(
        `feature column ${c} has ${x.length} values, the batch has ${n} rows`,
        undefined,
        `x${c}`,
      );
    }
    cols.push(x);
  }
  if (batch.y.length < n) {
    throw new NumericInputError(
      `target has ${batch.y.length} values, the batch has ${n} rows`,
      undefined,
      'y',
    );
  }
  cols.push(batch.y);
  if (spec.weighted) {
    if (batch.w === undefined) {
      throw new NumericInputError(
        'the accumulator is weighted but the batch has no weights',
        undefined,
        'w',
      );
    }
    if (batch.w.length < n) {
      throw new NumericInputError(
        `weights have ${batch.w.length} values, the batch has ${n} rows`,
        undefined,
        'w',
      );
    }
  } else if (batch.w !== undefined) {
    throw new NumericInputError(
      'the batch has weights but the accumulator is unweighted',
      undefined,
      'w',
    );
  }
  return cols;
}

/** Counts and sums of a batch's weights. */
export interface WeightSummary {
  /** Rows with w > 0. */
  readonly positive: number;
  /** Σw. */
  readonly sum: number;
  /** Σ log w over w > 0. */
  readonly sumLog: number;
}

/**
 * Validates the weights (finite, ≥ 0) before anything is changed, so a bad
 * batch leaves the state untouched; returns their counts and sums.
 */
export function summarizeWeights(w: Float64Array, n: number, firstRow: number): WeightSummary {
  let positive = 0;
  let sum = 0;
  let sumLog = 0;
  for (let i = 0; i < n; i++) {
    const wi = w[i];
    if (!(wi >= 0) || wi === Number.POSITIVE_INFINITY) {
      throw new NumericInputError(
        `weight ${String(wi)} in row ${firstRow + i} (row ${i} of the batch) is not a finite non-negative number`,
        firstRow + i,
        'w',
      );
    }
    if (wi > 0) {
      positive++;
      sum += wi;
      sumLog += Math.log(wi);
    }
  }
  return { positive, sum, sumLog };
}
