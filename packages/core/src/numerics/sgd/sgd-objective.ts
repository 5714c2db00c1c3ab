/**
 * The objective SGD minimizes, in standardized coordinates, and its exact
 * full-batch evaluation (loss and gradient sums of a unit's rows).
 *
 * ## Objective
 *
 * The ridge objective of the exact solver, with the intercept unpenalized,
 *
 *     L(b, β) = Σᵢ wᵢ (yᵢ − b − xᵢβ)² + λ Σ_j (s_j β_j)²,
 *
 * with s_j the standardization scale (`standardize`: scikit-learn's Ridge on
 * StandardScaler features) or s_j = 1 (the default, as solve()). In the
 * standardized coordinates of standardize.ts, L = s_y² · 2W · F with
 *
 *     F(c, θ) = (1 / 2W) [ Σᵢ wᵢ (tᵢ − c − zᵢθ)² + λ Σ_j d_j θ_j² ],
 *
 * d_j = 1 (standardized) or 1/s_j² (raw), W = Σw over the whole data. Both have the
 * same minimizers; F is scale-free (its Hessian is [[1, 0], [0, corr]] plus the
 * penalty), which is why one learning rate suits every data set.
 *
 * ## Per-row scaling
 *
 * A mini-batch B of rows estimates ∇F without bias as
 *
 *     g = −(1/|B|) Σ_{i∈B} (wᵢ / w̄) eᵢ [1; zᵢ] + (λ/W) d ⊙ θ,
 *
 * eᵢ = tᵢ − c − zᵢθ, w̄ = W/n the mean weight over all n rows (so unweighted
 * rows enter with weight 1, and a unit with heavy rows pulls proportionally).
 */

import { NumericInputError } from '@linreg/errors';
import type { DesignBatch } from '../types.js';
import { loadSgdRows, type SgdRowStore } from './sgd-row-store.js';
import type { Standardization } from './standardize.js';

/** d_j of the penalty in standardized coordinates, 0 for the intercept (length dim). */
export function sgdPenaltyWeights(std: Standardization, standardize = false): Float64Array {
  const off = std.intercept ? 1 : 0;
  const d = new Float64Array(std.p + off);
  for (let j = 0; j < std.p; j++) {
    if (std.constant[j] === 1) continue;
    d[off + j] = standardize ? 1 : std.invScale[j] * std.invScale[j];
  }
  return d;
}

/** Full-batch sums of one unit at fixed θ: Σ w e² and Σ w e [1; z] (standardized units). */
export interface SgdEvaluation {
  readonly rows: number;
  readonly sumWeights: number;
  readonly lossSum: number;
  /** Length dim. */
  readonly gradSum: Float64Array;
}

const sums = new Float64Array(4);

/**
 * Loss and gradient sums at θ of rows already loaded (sgd-row-store.ts), in
 * row order (the summation order of sgd-rows.ts).
 */
export function evaluateSgdRows(
  rows: SgdRowStore,
  theta: Float64Array,
  std: Standardization,
): SgdEvaluation {
  const off = std.intercept ? 1 : 0;
  const dim = std.p + off;
  if (theta.length !== dim)
    throw new NumericInputError(`sgd: θ has ${theta.length} entries, the model has ${dim}`);
  const gradSum = new Float64Array(dim);
  rows.evaluate(theta, off, off === 1 ? theta[0] : 0, gradSum, off, sums);
  if (off === 1) gradSum[0] = sums[1];
  return { rows: rows.rows, sumWeights: sums[2], lossSum: sums[0], gradSum };
}

/** Loss and gradient sums of a unit's rows at each θ (no SGD step); the rows are standardized once. */
export function evaluateSgdAll(
  thetas: readonly Float64Array[],
  batch: DesignBatch,
  std: Standardization,
): SgdEvaluation[] {
  const rows = loadSgdRows(batch, std, 1);
  return thetas.map((theta) => evaluateSgdRows(rows, theta, std));
}

/** Loss and gradient sums of a unit's rows at θ, in row order (no SGD step). */
export function evaluateSgd(
  theta: Float64Array,
  batch: DesignBatch,
  std: Standardization,
): SgdEvaluation {
  return evaluateSgdAll([theta], batch, std)[0];
}

/**
 * ∇F and F at θ from the unit-order sums of `evaluateSgd` over all units
 * (see the module comment for F).
 */
export function objectiveAt(
  theta: Float64Array,
  sums: { readonly lossSum: number; readonly gradSum: Float64Array },
  std: Standardization,
  ridge: number,
  standardize = false,
): { readonly objective: number; readonly gradient: Float64Array } {
  const pen = sgdPenaltyWeights(std, standardize);
  const W = std.sumWeights;
  const gradient = new Float64Array(theta.length);
  let penalty = 0;
  for (let i = 0; i < theta.length; i++) {
    penalty += pen[i] * theta[i] * theta[i];
    gradient[i] = (-sums.gradSum[i] + ridge * pen[i] * theta[i]) / W;
  }
  return { objective: (sums.lossSum + ridge * penalty) / (2 * W), gradient };
}
