/**
 * Generalized cross-validation for the ridge penalty, from the factor alone.
 *
 * ## Method
 *
 * Golub, Heath & Wahba (1979): GCV(λ) = n · RSS(λ) / (n − df(λ))², with n the
 * rows of positive weight. Let i₀ = 1 with an intercept (else 0) and A the
 * penalized block of the factor in penalty units,
 * A = R[i₀..m−1, i₀..m−1] · S⁻¹ (S = diag(sⱼ), ridge.ts), and z_c = R[i₀..m−1, m].
 * The intercept row of R is fitted exactly for every λ, so with the SVD
 * A = U Σ Vᵀ (svd.ts) and ẑ = Uᵀ z_c, for every λ in closed form:
 *
 *     RSS(λ) = R[m][m]² + Σᵢ (λ / (σᵢ² + λ))² ẑᵢ²,
 *     df(λ)  = i₀ + Σᵢ σᵢ² / (σᵢ² + λ).
 *
 * **Default grid**: `DEFAULT_GCV_POINTS` = 61 values log-spaced from
 * 1e-6·σ₁² to 10·σ₁² (σ₁ the largest singular value of A), i.e. from almost no
 * shrinkage to shrinking every direction by at least 10×; a caller's grid is in
 * absolute λ. The chosen λ is the grid point with the smallest score (the first
 * one on ties); a choice at either end of the grid is reported as a warning by
 * the caller since the true minimizer may lie outside it.
 */

import { jacobiSvd } from '../linalg/index.js';
import type { TriangularFactor } from '../types.js';
import { penaltyWeights } from './ridge.js';
import type { GcvCurve } from './solution.js';

export interface GcvGrid {
  readonly min: number;
  readonly max: number;
  readonly count: number;
}

export const DEFAULT_GCV_POINTS = 61;
const DEFAULT_MIN_RATIO = 1e-6;
const DEFAULT_MAX_RATIO = 10;

export interface GcvResult extends GcvCurve {
  /** Index of the chosen λ in `lambdas`. */
  readonly chosenIndex: number;
  readonly rss: Float64Array;
  readonly df: Float64Array;
}

/** Log-spaced grid from min to max inclusive (count ≥ 1). */
export function logGrid(grid: GcvGrid): Float64Array {
  const out = new Float64Array(grid.count);
  if (grid.count === 1) {
    out[0] = grid.min;
    return out;
  }
  const a = Math.log(grid.min);
  const step = (Math.log(grid.max) - a) / (grid.count - 1);
  for (let i = 0; i < grid.count; i++) out[i] = Math.exp(a + step * i);
  out[grid.count - 1] = grid.max;
  return out;
}

export function gcvCurve(
  factor: TriangularFactor,
  standardize: boolean,
  grid?: GcvGrid,
): GcvResult {
  const k = factor.k;
  const m = k - 1;
  const i0 = factor.spec.intercept ? 1 : 0;
  const p = m - i0;
  const weights = penaltyWeights(factor, standardize);
  const a = new Float64Array(p * p);
  const zc = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      a[i * p + j] = factor.r[(i + i0) * k + (j + i0)] / Math.sqrt(weights[j + i0]);
    }
    zc[i] = factor.r[(i + i0) * k + m];
  }
  const svd = jacobiSvd(a, p, p, { wantV: false });
  const zhat = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < p; i++) s += svd.u[i * p + j] * zc[i];
    zhat[j] = s;
  }
  const s1 = p > 0 ? svd.s[0] : 1;
  const lambdas = logGrid(
    grid ?? {
      min: DEFAULT_MIN_RATIO * s1 * s1,
      max: DEFAULT_MAX_RATIO * s1 * s1,
      count: DEFAULT_GCV_POINTS,
    },
  );
  const n = factor.rowsPositiveWeight;
  const base = factor.r[m * k + m] * factor.r[m * k + m];
  const scores = new Float64Array(lambdas.length);
  const rss = new Float64Array(lambdas.length);
  const df = new Float64Array(lambdas.length);
  let chosenIndex = 0;
  for (let g = 0; g < lambdas.length; g++) {
    const lambda = lambdas[g];
    let r = base;
    let d = i0;
    for (let i = 0; i < p; i++) {
      const s2 = svd.s[i] * svd.s[i];
      const shrink = lambda / (s2 + lambda);
      r += shrink * shrink * zhat[i] * zhat[i];
      d += s2 / (s2 + lambda);
    }
    rss[g] = r;
    df[g] = d;
    scores[g] = n - d > 0 ? (n * r) / ((n - d) * (n - d)) : Number.POSITIVE_INFINITY;
    if (scores[g] < scores[chosenIndex]) chosenIndex = g;
  }
  return { lambdas, scores, chosen: lambdas[chosenIndex], chosenIndex, rss, df };
}
