/**
 * Numerical rank of a fit's design from its triangular factor.
 *
 * ## Method
 *
 * Let R_X be the leading m × m block of the factor (the design columns of
 * `[1 X y]`), so R_XᵀR_X = XᵀWX and column j of R_X has the norm dⱼ of design
 * column j. The rank is decided on the column-equilibrated matrix
 *
 *     A = R_X · D⁻¹,   D = diag(d₁ … d_m)   (a zero column keeps dⱼ = 1),
 *
 * whose singular values σ₁ ≥ … ≥ σ_m are those of the design with unit-norm
 * columns. Because D absorbs any change of units of a column, the rank never
 * depends on units (a column multiplied by 10⁶ gives the same A).
 * The SVD is one-sided Jacobi (svd.ts), accurate for this scaled matrix.
 *
 * **Rank rule.** rank = #{ i : σᵢ > τ · σ₁ } with the default τ = 1e-11
 * (`DEFAULT_RANK_TOLERANCE`). Rationale: a Householder/TSQR factor carries
 * column-wise backward errors of order √n·ε ≈ 1e-12 even for n = 10⁸ rows, so an
 * exact linear relation shows up as σ ≲ 1e-12·σ₁, while designs that are merely
 * ill-conditioned — a degree-10 polynomial on x ∈ [−9, −3] (NIST Filip-like) has
 * σ_m/σ₁ ≈ 1.7e-10 after scaling — keep full rank. numpy's `lstsq` (rcond =
 * ε·max(n, m) on the unscaled matrix) and R's `lm` (tol = 1e-7 in the pivoted
 * QR) call such problems deficient because they do not scale, or scale less.
 *
 * **Condition number.** κ = σ₁/σ_m of A, i.e. the 2-norm condition number of
 * the design with unit-norm columns, the intercept column included (Belsley,
 * Kuh & Welsch's scaled condition number; statsmodels reports the unscaled
 * one). +Infinity when σ_m = 0, NaN when m = 0.
 */

import { jacobiSvd, type SvdResult } from '../linalg/index.js';
import type { TriangularFactor } from '../types.js';

export const DEFAULT_RANK_TOLERANCE = 1e-11;

export interface RankInfo {
  readonly m: number;
  /** Euclidean norms of the weighted design columns (1 for an all-zero column). */
  readonly scales: Float64Array;
  /** SVD of A = R_X D⁻¹ (m × m); `v` is filled only when rank < m. */
  readonly svd: SvdResult;
  readonly rank: number;
  readonly tolerance: number;
  readonly conditionNumber: number;
}

/** Norms of the m design columns of the factor (column j has nonzeros in rows 0..j). */
export function designColumnNorms(factor: TriangularFactor): Float64Array {
  const m = factor.k - 1;
  const k = factor.k;
  const r = factor.r;
  const norms = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let scale = 0;
    for (let i = 0; i <= j; i++) scale = Math.max(scale, Math.abs(r[i * k + j]));
    if (scale === 0) {
      norms[j] = 0;
      continue;
    }
    let ss = 0;
    for (let i = 0; i <= j; i++) {
      const x = r[i * k + j] / scale;
      ss += x * x;
    }
    norms[j] = scale * Math.sqrt(ss);
  }
  return norms;
}

export function computeRank(
  factor: TriangularFactor,
  tolerance: number = DEFAULT_RANK_TOLERANCE,
): RankInfo {
  const m = factor.k - 1;
  const k = factor.k;
  const norms = designColumnNorms(factor);
  const scales = norms.map((d) => (d > 0 ? d : 1));
  const a = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) a[i * m + j] = factor.r[i * k + j] / scales[j];
  }
  // Singular values first; the vectors (for the null space) only when deficient.
  let svd = jacobiSvd(a, m, m, { wantV: false });
  const sMax = m > 0 ? svd.s[0] : 0;
  let rank = 0;
  for (let i = 0; i < m; i++) if (svd.s[i] > tolerance * sMax) rank++;
  if (rank < m) svd = jacobiSvd(a, m, m);
  const conditionNumber = m === 0 ? Number.NaN : sMax / svd.s[m - 1];
  return { m, scales, svd, rank, tolerance, conditionNumber };
}
