/**
 * The ridge problem in the singular basis of its penalized block: RSS, the
 * effective df and the GCV score of every λ in closed form.
 *
 * ## Method
 *
 * Let i₀ = 1 with an intercept (else 0) and A the penalized block of the
 * factor in penalty units, A = R[i₀..m−1, i₀..m−1] · S⁻¹ (S = diag(sⱼ),
 * ridge.ts), and z_c = R[i₀..m−1, m]. The intercept row of R is fitted
 * exactly for every λ, so with the SVD A = U Σ Vᵀ (one-sided Jacobi, svd.ts:
 * relative accuracy independent of the column scaling) and ẑ = Uᵀ z_c:
 *
 *     RSS(λ) = R[m][m]² + Σᵢ (λ / (σᵢ² + λ))² ẑᵢ²,
 *     df(λ)  = i₀ + Σᵢ σᵢ² / (σᵢ² + λ),
 *     GCV(λ) = n · RSS(λ) / (n − df(λ))²   (Golub, Heath & Wahba 1979),
 *
 * n the rows of positive weight. Each term of df is in [0, 1] and carries
 * only the relative error of σᵢ, so df has ~15 digits; a trace formed from
 * matrices (tr(H⁻¹XᵀWX) with H⁻¹ rounded, as refinement's Gram would give)
 * cancels down to 7–12 on longley-like data.
 */

import { jacobiSvd } from '../linalg/index.js';
import type { TriangularFactor } from '../types.js';
import { penaltyWeights } from './ridge.js';

export interface RidgeSpectrum {
  /** Singular values of A, descending (length p = penalized columns). */
  readonly s: Float64Array;
  /** ẑ = Uᵀz_c. */
  readonly zhat: Float64Array;
  /** R[m][m]²: the residual no λ can change. */
  readonly base: number;
  /** Rows of positive weight. */
  readonly n: number;
  /** 1 with an intercept (its df), else 0. */
  readonly i0: number;
}

export function ridgeSpectrum(factor: TriangularFactor, standardize: boolean): RidgeSpectrum {
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
  const last = factor.r[m * k + m];
  return { s: svd.s, zhat, base: last * last, n: factor.rowsPositiveWeight, i0 };
}

/** df(λ) = i₀ + Σ σᵢ²/(σᵢ² + λ): the trace of the hat matrix, intercept included. */
export function spectrumDf(s: Float64Array, i0: number, lambda: number): number {
  let d = i0;
  for (const si of s) {
    const s2 = si * si;
    d += s2 / (s2 + lambda);
  }
  return d;
}

export interface GcvPoint {
  readonly score: number;
  readonly rss: number;
  readonly df: number;
}

/** RSS, df and GCV at one λ (O(p)); the score is +∞ when n − df ≤ 0. */
export function gcvAt(spectrum: RidgeSpectrum, lambda: number): GcvPoint {
  const { s, zhat, n } = spectrum;
  let rss = spectrum.base;
  for (let i = 0; i < s.length; i++) {
    const shrink = lambda / (s[i] * s[i] + lambda);
    rss += shrink * shrink * zhat[i] * zhat[i];
  }
  const df = spectrumDf(s, spectrum.i0, lambda);
  const score = n - df > 0 ? (n * rss) / ((n - df) * (n - df)) : Number.POSITIVE_INFINITY;
  return { score, rss, df };
}
