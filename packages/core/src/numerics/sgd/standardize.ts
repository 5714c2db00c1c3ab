/**
 * Standardization for SGD: the affine change of coordinates between the
 * original model and the well-scaled one the optimizer works in.
 *
 * ## Convention
 *
 * With an intercept, every feature and the target are centered and scaled by
 * the weighted population standard deviation (divisor W = Σw, as
 * scikit-learn's StandardScaler with sample weights):
 *
 *     z_j = (x_j − x̄_j) / s_j,   t = (y − ȳ) / s_y,   t ≈ c + Σ θ_j z_j.
 *
 * Without an intercept nothing is centered (centering would add one): the
 * scale is the weighted root mean square s_j = sqrt(Σ w x_j² / W).
 *
 * Back in original units (exact inverse maps, `toOriginal` / `toStandardized`):
 *
 *     β_j = s_y θ_j / s_j,   b = ȳ + s_y c − Σ_j β_j x̄_j.
 *
 * Columns without spread ("constant": min = max with an intercept, all zero
 * without) get scale 1 and are flagged; their standardized value is taken as
 * exactly 0 (`invScale` = 0) so their θ never moves from 0. With an intercept
 * such a column is aliased with it (x_j = x̄_j·1); the SGD driver reports
 * that relation. A constant target gets s_y = 1.
 *
 * Scale-free loss: Σ w (y − b − xβ)² = s_y² Σ w (t − c − zθ)², so the ridge
 * objective keeps the same λ in standardized coordinates (see sgd.ts).
 */

import { NumericInputError } from '@linreg/errors';
import { type Moments, type MomentsState, readMoments } from '../accumulate/index.js';

export interface Standardization {
  readonly p: number;
  readonly intercept: boolean;
  /** Rows seen (including zero-weight rows) and Σw over the whole data. */
  readonly rows: number;
  readonly sumWeights: number;
  /** Length p + 1 (features, then the target): the mean with an intercept, 0 without. */
  readonly center: Float64Array;
  /** Length p + 1: standard deviation (intercept) or root mean square (none); 1 for constant columns. */
  readonly scale: Float64Array;
  /** Length p + 1: 1/scale, and exactly 0 for constant features. */
  readonly invScale: Float64Array;
  /** Length p + 1: 1 where the column has no spread (see the module comment). */
  readonly constant: Uint8Array;
}

/** Build the standardization from the first pass's merged moments. */
export function standardizationFrom(
  state: MomentsState | Moments,
  intercept: boolean,
): Standardization {
  const m = 'data' in state ? readMoments(state) : state;
  const k = m.p + 1;
  if (!(m.sumWeights > 0)) {
    throw new NumericInputError(`standardize: no rows with positive weight (rows = ${m.rows})`);
  }
  const center = new Float64Array(k);
  const scale = new Float64Array(k);
  const invScale = new Float64Array(k);
  const constant = new Uint8Array(k);
  for (let c = 0; c < k; c++) {
    const mean = m.mean[c];
    let s: number;
    let flat: boolean;
    if (intercept) {
      center[c] = mean;
      flat = m.min[c] === m.max[c];
      s = Math.sqrt(m.m2[c] / m.sumWeights);
    } else {
      // Σ w x² / W = M2/W + x̄², computed from centered parts (no raw sums).
      s = Math.sqrt(m.m2[c] / m.sumWeights + mean * mean);
      flat = m.min[c] === 0 && m.max[c] === 0;
    }
    if (flat || !(s > 0)) {
      constant[c] = 1;
      scale[c] = 1;
      // The target keeps 1/1 so t = y − ȳ stays defined; features contribute nothing.
      invScale[c] = c === m.p ? 1 : 0;
    } else {
      scale[c] = s;
      invScale[c] = 1 / s;
    }
  }
  return {
    p: m.p,
    intercept,
    rows: m.rows,
    sumWeights: m.sumWeights,
    center,
    scale,
    invScale,
    constant,
  };
}

/** Number of standardized parameters: [c, θ_1..θ_p] with an intercept, else [θ_1..θ_p]. */
export function standardizedDimension(std: Standardization): number {
  return std.p + (std.intercept ? 1 : 0);
}

/** Standardized parameters → coefficients in original units (design order: intercept first). */
export function toOriginal(theta: Float64Array, std: Standardization): Float64Array {
  const { p, intercept, center, invScale } = std;
  const off = intercept ? 1 : 0;
  const sy = std.scale[p];
  const beta = new Float64Array(p + off);
  let shift = 0;
  for (let j = 0; j < p; j++) {
    const bj = sy * theta[off + j] * invScale[j];
    beta[off + j] = bj;
    shift += bj * center[j];
  }
  if (intercept) beta[0] = center[p] + sy * theta[0] - shift;
  return beta;
}

/** Coefficients in original units → standardized parameters (inverse of `toOriginal` off constant columns). */
export function toStandardized(beta: Float64Array, std: Standardization): Float64Array {
  const { p, intercept, center, scale } = std;
  const off = intercept ? 1 : 0;
  const sy = std.scale[p];
  const theta = new Float64Array(p + off);
  let fitted = intercept ? beta[0] : 0;
  for (let j = 0; j < p; j++) {
    theta[off + j] = std.constant[j] === 1 ? 0 : (beta[off + j] * scale[j]) / sy;
    fitted += beta[off + j] * center[j];
  }
  if (intercept) theta[0] = (fitted - center[p]) / sy;
  return theta;
}
