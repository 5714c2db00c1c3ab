/**
 * Predictions, and their intervals, from a fitted model, as R's `predict.lm`.
 *
 * ## Method
 *
 * For a design row x (a leading 1 when the model has an intercept):
 *
 * - fit = xᵀβ̂. Coefficients that are NaN (columns dropped as aliased under
 *   `drop`) contribute nothing, as R's predict with NA coefficients; under
 *   `min-norm` every coefficient is used.
 * - se = σ̂ √(xᵀCx), the standard error of the fitted mean (R's `se.fit`).
 *   With the model's `triangularFactor` (A = R_K D⁻¹ of the kept columns K,
 *   numerics/solve/prediction-factor.ts) xᵀCx = ‖A⁻ᵀ(D⁻¹x_K)‖², a forward
 *   substitution per row and a sum of squares, as R's predict.lm: only the
 *   kept columns enter (a dropped coefficient is NA and contributes nothing),
 *   and nothing cancels. Without it (older files, ridge, `min-norm` with
 *   aliased columns, SGD without the check) it is Σⱼₖ Cⱼₖxⱼxₖ with C the
 *   model's unscaled covariance, NaN entries (dropped columns) skipped —
 *   which cancels in raw units on ill-conditioned designs (5 of 16 digits on
 *   longley with a quadratic trend, against 12+ from the factor). Rounding
 *   can make that sum a tiny negative number when x lies in C's null space;
 *   it is clamped at 0.
 * - confidence interval: fit ∓ q·se;  prediction interval: fit ∓ q·√(se² + σ̂²),
 *   with q the two-sided t quantile at `level` on the model's residual df.
 *   The prediction interval is for a new observation of weight 1 (R's default
 *   `weights = 1`).
 *
 * The loops run over blocks of rows, column by column inside a block (the
 * substitution's unknowns of a whole block at once; xᵀCx as Σⱼ Σₖ Cⱼₖ xⱼ xₖ
 * over pairs j ≤ k), so nothing is allocated per row; per call there are the
 * outputs, β and the factor (or C) as Float64Arrays, the block's unknowns, and
 * one column of ones for the intercept. Summation order per row is the design
 * order, whatever the block size, so the results do not depend on how a file
 * is batched.
 */
import { SpecError } from '@linreg/errors';
import { studentTQuantile } from '../numerics/inference/index.js';
import { designNames, type LinregModel, type ModelTriangularFactor } from './model.js';

/**
 * Rows per block: the loops run over all columns for one block of rows, so the
 * block's slice of every output stays in cache while the columns stream past.
 */
const BLOCK_ROWS = 1024;

/** Unknowns per block of the triangular solve (q per row): 2^17 doubles, 1 MB. */
const FACTOR_BLOCK_VALUES = 131072;

export type IntervalKind = 'confidence' | 'prediction';

export interface PredictBatch {
  readonly rows: number;
  /** One column per model feature, in `model.features` order, each of length ≥ rows. */
  readonly columns: readonly Float64Array[];
}

export interface PredictOptions {
  /** Also return se, lower and upper. Without it only `fit` is computed. */
  readonly interval?: IntervalKind | undefined;
  /** Interval level in (0, 1); defaults to the model's `level`. */
  readonly level?: number | undefined;
}

export interface Prediction {
  readonly fit: Float64Array;
  /** Standard error of the fitted mean; present when an interval was asked for. */
  readonly se?: Float64Array;
  readonly lower?: Float64Array;
  readonly upper?: Float64Array;
}

export function predict(
  model: LinregModel,
  batch: PredictBatch,
  options: PredictOptions = {},
): Prediction {
  const { rows, columns } = batch;
  const p = model.features.length;
  if (columns.length !== p) {
    throw new SpecError(
      'columns',
      `expected ${p} feature columns (${model.features.join(', ')}), got ${columns.length}`,
    );
  }
  for (let f = 0; f < p; f++) {
    if (columns[f].length < rows) {
      throw new SpecError(
        model.features[f],
        `column has ${columns[f].length} values for ${rows} rows`,
      );
    }
  }
  const interval: unknown = options.interval;
  if (interval !== undefined && interval !== 'confidence' && interval !== 'prediction') {
    throw new SpecError(
      'interval',
      `expected 'confidence' or 'prediction', got '${String(interval)}'`,
    );
  }
  const level = options.level ?? model.level;
  if (!(level > 0 && level < 1)) {
    throw new SpecError('level', `expected a number in (0, 1), got ${level}`);
  }

  const m = model.coefficients.length;
  const design: Float64Array[] = model.intercept
    ? [new Float64Array(rows).fill(1), ...columns]
    : [...columns];
  const beta = new Float64Array(m);
  for (let j = 0; j < m; j++) beta[j] = model.coefficients[j].estimate;

  const fit = new Float64Array(rows);
  for (let start = 0; start < rows; start += BLOCK_ROWS) {
    const end = Math.min(rows, start + BLOCK_ROWS);
    for (let j = 0; j < m; j++) {
      const b = beta[j];
      if (Number.isNaN(b)) continue;
      const x = design[j];
      for (let i = start; i < end; i++) fit[i] += b * x[i];
    }
  }
  if (options.interval === undefined) return { fit };

  const quadratic = designQuadratic(model, design, rows);

  const sigma = model.statistics.sigma;
  const df = model.statistics.residualDf;
  const q = df > 0 ? -studentTQuantile((1 - level) / 2, df) : Number.NaN;
  const sigma2 = options.interval === 'prediction' ? sigma * sigma : 0;
  const se = new Float64Array(rows);
  const lower = new Float64Array(rows);
  const upper = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const s = sigma * Math.sqrt(Math.max(quadratic[i], 0));
    se[i] = s;
    const half = q * Math.sqrt(s * s + sigma2);
    lower[i] = fit[i] - half;
    upper[i] = fit[i] + half;
  }
  return { fit, se, lower, upper };
}

/**
 * Per row xᵀCx (C = (XᵀWX)⁻¹, or the model's unscaled covariance without a
 * factor) for design-order columns (the column of ones first with an
 * intercept): the leverage of an unweighted row, as `predict` computes se_fit.
 */
export function designQuadratic(
  model: LinregModel,
  design: readonly Float64Array[],
  rows: number,
): Float64Array {
  return model.triangularFactor === undefined
    ? covarianceQuadratic(model, design, rows)
    : factorQuadratic(model.triangularFactor, model, design, rows);
}

/** Per row ‖A⁻ᵀ(D⁻¹x_K)‖², forward substitution over a block of rows at a time. */
function factorQuadratic(
  factor: ModelTriangularFactor,
  model: LinregModel,
  design: readonly Float64Array[],
  rows: number,
): Float64Array {
  const names = designNames(model.intercept, model.features);
  const q = factor.columns.length;
  const x = factor.columns.map((name) => design[names.indexOf(name)]);
  const a = new Float64Array(q * q);
  for (let i = 0; i < q; i++) for (let j = i; j < q; j++) a[i * q + j] = factor.r[i][j];
  const scales = Float64Array.from(factor.scales);
  // q unknowns per row of the block; the block shrinks for wide designs so they stay ~1 MB.
  const block = Math.max(8, Math.min(BLOCK_ROWS, Math.floor(FACTOR_BLOCK_VALUES / Math.max(q, 1))));
  const u = new Float64Array(q * block);
  const quadratic = new Float64Array(rows);
  for (let start = 0; start < rows; start += block) {
    const count = Math.min(rows, start + block) - start;
    for (let j = 0; j < q; j++) {
      const uj = j * block;
      const xj = x[j];
      const dj = scales[j];
      for (let i = 0; i < count; i++) u[uj + i] = xj[start + i] / dj;
      // (Aᵀu)_j = Σ_{l ≤ j} A[l][j]·u_l: subtract the solved unknowns, then divide by the diagonal.
      for (let l = 0; l < j; l++) {
        const alj = a[l * q + j];
        if (alj === 0) continue;
        const ul = l * block;
        for (let i = 0; i < count; i++) u[uj + i] -= alj * u[ul + i];
      }
      const ajj = a[j * q + j];
      for (let i = 0; i < count; i++) {
        const v = u[uj + i] / ajj;
        u[uj + i] = v;
        quadratic[start + i] += v * v;
      }
    }
  }
  return quadratic;
}

/** Per row xᵀCx from the unscaled covariance (the fallback: see the module comment). */
function covarianceQuadratic(
  model: LinregModel,
  design: readonly Float64Array[],
  rows: number,
): Float64Array {
  const m = model.coefficients.length;
  // Upper triangle of C with doubled off-diagonal entries; NaN (dropped) entries become 0.
  const c = new Float64Array(m * m);
  for (let j = 0; j < m; j++) {
    const cjj = model.covUnscaled[j][j];
    c[j * m + j] = Number.isNaN(cjj) ? 0 : cjj;
    for (let k = j + 1; k < m; k++) {
      const cjk = model.covUnscaled[j][k];
      c[j * m + k] = Number.isNaN(cjk) ? 0 : 2 * cjk;
    }
  }
  const quadratic = new Float64Array(rows);
  for (let start = 0; start < rows; start += BLOCK_ROWS) {
    const end = Math.min(rows, start + BLOCK_ROWS);
    for (let j = 0; j < m; j++) {
      const xj = design[j];
      for (let k = j; k < m; k++) {
        const cjk = c[j * m + k];
        if (cjk === 0) continue;
        const xk = design[k];
        for (let i = start; i < end; i++) quadratic[i] += cjk * xj[i] * xk[i];
      }
    }
  }
  return quadratic;
}
