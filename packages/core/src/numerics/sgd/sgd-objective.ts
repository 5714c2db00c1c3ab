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

/**
 * Residuals eᵢ = tᵢ − c − zᵢθ of rows start..start+count into `resid`
 * (or −c − zᵢθ without the target), column by column (no allocation).
 */
export function sgdResiduals(
  batch: DesignBatch,
  std: Standardization,
  theta: Float64Array,
  start: number,
  count: number,
  resid: Float64Array,
  withTarget = true,
): void {
  const { p, center, invScale } = std;
  const off = std.intercept ? 1 : 0;
  const y = batch.y;
  const my = center[p];
  const iy = invScale[p];
  const c = off === 1 ? theta[0] : 0;
  if (withTarget) {
    for (let r = 0; r < count; r++) resid[r] = (y[start + r] - my) * iy - c;
  } else {
    for (let r = 0; r < count; r++) resid[r] = -c;
  }
  for (let j = 0; j < p; j++) {
    const inv = invScale[j];
    const a = theta[off + j];
    if (inv === 0 || a === 0) continue;
    const col = batch.x[j];
    const mu = center[j];
    const ai = a * inv;
    for (let r = 0; r < count; r++) resid[r] -= ai * (col[start + r] - mu);
  }
}

let evalScratch = new Float64Array(0);

/** Full-batch sums of one unit at fixed θ: Σ w e² and Σ w e [1; z] (standardized units). */
export interface SgdEvaluation {
  readonly rows: number;
  readonly sumWeights: number;
  readonly lossSum: number;
  /** Length dim. */
  readonly gradSum: Float64Array;
}

/** Loss and gradient sums of a unit's rows at θ, in row order (no SGD step). */
export function evaluateSgd(
  theta: Float64Array,
  batch: DesignBatch,
  std: Standardization,
): SgdEvaluation {
  const { p, center, invScale } = std;
  const off = std.intercept ? 1 : 0;
  const dim = p + off;
  if (theta.length !== dim)
    throw new NumericInputError(`sgd: θ has ${theta.length} entries, the model has ${dim}`);
  const n = batch.rows;
  const gradSum = new Float64Array(dim);
  const block = 1024;
  if (evalScratch.length < block) evalScratch = new Float64Array(block);
  const resid = evalScratch;
  const w = batch.w;
  let lossSum = 0;
  let sumWeights = 0;
  for (let start = 0; start < n; start += block) {
    const count = Math.min(block, n - start);
    sgdResiduals(batch, std, theta, start, count, resid);
    for (let r = 0; r < count; r++) {
      const wi = w === undefined ? 1 : w[start + r];
      sumWeights += wi;
      lossSum += wi * resid[r] * resid[r];
      resid[r] *= wi;
    }
    if (off === 1) {
      let g0 = 0;
      for (let r = 0; r < count; r++) g0 += resid[r];
      gradSum[0] += g0;
    }
    for (let j = 0; j < p; j++) {
      const inv = invScale[j];
      if (inv === 0) continue;
      const col = batch.x[j];
      const mu = center[j];
      let gj = 0;
      for (let r = 0; r < count; r++) gj += resid[r] * (col[start + r] - mu);
      gradSum[off + j] += gj * inv;
    }
  }
  return { rows: n, sumWeights, lossSum, gradSum };
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
