/**
 * How many digits a one-pass solution is expected to have: the estimates that
 * decide refinement (refine.ts) and the normal-equations warning (solve.ts).
 *
 * The forward error of a QR least-squares solution is about
 * m·ε·(κ_s + κ_s²·‖r‖/‖y‖) in the scaled norm (Higham, ASNA §20.1, with the
 * column scaling of rank.ts), and about 10^digitsLostEstimate times more for
 * a normal-equations factor. For a rank-deficient fit κ_s is that of the
 * identified (kept) columns, since the aliased directions are not estimated
 * at all.
 *
 * **Component-wise.** Users read each coefficient, and the norm-wise figure
 * says nothing about a coefficient that is small in the scaled norm (the x⁵
 * term of a Wampler polynomial keeps 9 digits where the norm-wise estimate
 * promises 12). First-order perturbation of the scaled problem A_s = A·D⁻¹
 * (unit columns, ‖A_s‖ ≤ √m) by rounding errors ‖δA_s‖ ≲ ε‖A_s‖ gives
 *
 *     |δβⱼ| ≲ ε·‖A_s‖·(‖eⱼᵀA_s⁺‖·‖Dβ‖ + ‖eⱼᵀ(A_sᵀA_s)⁻¹‖·‖r‖) / dⱼ
 *           ≤ ε·√Cⱼⱼ·(‖A_s‖‖Dβ‖ + κ_s‖r‖)
 *
 * (‖eⱼᵀA_s⁺‖ = dⱼ√Cⱼⱼ with C = (XᵀWX)⁻¹, and ‖A_s⁻¹‖ = κ_s/‖A_s‖), so the
 * relative error of coefficient j is estimated as
 *
 *     2m·ε·√Cⱼⱼ·(‖Dβ‖ + κ_s‖r‖) / |βⱼ| + ε      (× 10^digitsLostEstimate)
 *
 * with 2m in place of ‖A_s‖ and the constants (m, as in the norm-wise
 * estimate, was exceeded by 3% once: norris-like's intercept in one of 21 row
 * orders), and ε for the rounding of βⱼ itself. It costs O(m) from the
 * covariance the solver has anyway. A coefficient whose estimate is ≥ 1 is
 * zero at working precision and is left out of the decision (largestResolved).
 * On the reference problems of
 * tests/core/numerics/accuracy-reference.test.ts (21 row orders each) the
 * measured error never exceeds it (worst ratio of error to estimate 0.52, norris-like;
 * 0.01–0.21 on the Wampler polynomials and their look-alikes). On a generated
 * 100,000 × 10 data set (κ_s 19) the one-pass coefficients had 14.4–16 digits
 * and the estimate said 12.2: the κ_s‖r‖ term is a worst case.
 */

import { jacobiSvd } from '../linalg/index.js';
import type { TriangularFactor } from '../types.js';
import { keptFactor } from './ols.js';
import { designColumnNorms } from './rank.js';

/**
 * The default (`refine: 'auto'`) refines when fewer than this many digits are
 * expected from one pass: two digits of margin over the 7 significant digits
 * the project promises for every coefficient and standard error.
 */
export const REFINE_TARGET_DIGITS = 9;

/**
 * `refine: 'auto'` also refines when the component-wise estimate of any
 * coefficient's relative error exceeds 10^−REFINE_COMPONENT_DIGITS: one pass
 * then takes every coefficient to the float64 ceiling (≥ 14 digits measured on
 * every reference problem), which is what 13 digits promise with a digit of
 * margin for the estimate.
 */
export const REFINE_COMPONENT_DIGITS = 13;

const EPS = 2 ** -53;

/**
 * κ_s of the columns a solution identifies: `conditionNumber` when nothing is
 * aliased, else that of the kept columns (unit-norm scaled).
 */
export function identifiedConditionNumber(
  factor: TriangularFactor,
  conditionNumber: number,
  aliased: readonly number[],
): number {
  if (aliased.length === 0) return conditionNumber;
  const m = factor.k - 1;
  const isAliased = new Uint8Array(m);
  for (const c of aliased) isAliased[c] = 1;
  const kept: number[] = [];
  for (let j = 0; j < m; j++) if (!isAliased[j]) kept.push(j);
  const q = kept.length;
  if (q === 0) return Number.NaN;
  const t = keptFactor(factor, kept);
  const a = new Float64Array(q * q);
  for (let j = 0; j < q; j++) {
    let ss = 0;
    for (let i = 0; i <= j; i++) ss += t[i * (q + 1) + j] ** 2;
    const d = ss > 0 ? Math.sqrt(ss) : 1;
    for (let i = 0; i <= j; i++) a[i * q + j] = t[i * (q + 1) + j] / d;
  }
  const { s } = jacobiSvd(a, q, q, { wantV: false });
  return s[0] / s[q - 1];
}

/** The estimated relative (scaled-norm) error of the one-pass coefficients; NaN without a κ. */
export function estimatedRelativeError(
  factor: TriangularFactor,
  kappa: number,
  rss: number,
): number {
  if (!Number.isFinite(kappa)) return Number.NaN;
  const k = factor.k;
  const m = k - 1;
  let yy = 0;
  for (let i = 0; i <= m; i++) yy += factor.r[i * k + m] * factor.r[i * k + m];
  const rho = yy > 0 ? Math.sqrt(Math.max(rss, 0) / yy) : 0;
  return Math.max(m, 1) * EPS * (kappa + kappa * kappa * rho) * 10 ** factor.digitsLostEstimate;
}

/** What the component-wise estimate reads of a solution. */
export interface ComponentErrorInput {
  readonly m: number;
  readonly coefficients: Float64Array;
  /** (XᵀWX)⁻¹ (m × m): only its diagonal is read. */
  readonly covUnscaled?: Float64Array | undefined;
  /**
   * Or that diagonal alone, read when present: a solve that has not formed
   * the matrix yet (solve.ts solveCoefficients) has it with the same bits.
   */
  readonly covDiagonal?: Float64Array | undefined;
  readonly rss: number;
  readonly lambda: number;
}

/**
 * The estimated relative error of each one-pass coefficient (see the header);
 * NaN for a dropped (NaN) or exactly zero coefficient, and for every
 * coefficient of a ridge fit (its covariance is a sandwich, not (XᵀWX)⁻¹: the
 * norm-wise estimate decides there) or without a κ.
 */
export function componentRelativeErrors(
  factor: TriangularFactor,
  solution: ComponentErrorInput,
  kappa: number,
): Float64Array {
  const m = solution.m;
  const out = new Float64Array(m).fill(Number.NaN);
  if (solution.lambda > 0 || !Number.isFinite(kappa)) return out;
  const d = designColumnNorms(factor);
  let db = 0;
  for (let j = 0; j < m; j++) {
    const b = solution.coefficients[j];
    if (!Number.isNaN(b)) db += (d[j] * b) ** 2;
  }
  const scale = Math.sqrt(db) + kappa * Math.sqrt(Math.max(solution.rss, 0));
  const lost = 10 ** factor.digitsLostEstimate;
  for (let j = 0; j < m; j++) {
    const b = solution.coefficients[j];
    const c =
      solution.covDiagonal === undefined
        ? solution.covUnscaled?.[j * m + j]
        : solution.covDiagonal[j];
    if (Number.isNaN(b) || b === 0 || c === undefined || !(c >= 0)) continue;
    out[j] = (2 * m * EPS * Math.sqrt(c) * scale * lost) / Math.abs(b) + EPS;
  }
  return out;
}

/**
 * The largest entry below 1 (0 when there is none). An estimate ≥ 1 says the
 * one-pass value is rounding noise around a coefficient that may be exactly
 * zero (the motivating example's minimum-norm intercept comes out 1.2e-15):
 * no relative digits are promised for it, so it does not ask for a pass.
 */
export function largestResolved(v: Float64Array): number {
  let top = 0;
  for (const x of v) if (x > top && x < 1) top = x;
  return top;
}
