/**
 * Near-collinearity: which columns to name in a warning, and the raw
 * condition number users of R and statsmodels compare with.
 *
 * ## Thresholds
 *
 * A VIF above `VIF_WARNING` (1e6: R²ⱼ > 1 − 1e-6 on the other columns) or a
 * scaled condition number above `CONDITION_WARNING` (1e10: within a decade
 * of the rank tolerance 1e-11) is worth a warning even though the fit is
 * full rank: the coefficients involved are determined by the last few digits
 * of the data. (The rank rule, not these, decides aliasing.)
 *
 * ## Which columns
 *
 * The near-dependency is the right singular vector v of σ_min of
 * A = R_X D⁻¹ (unit-norm columns): Σⱼ vⱼ aⱼ ≈ 0 with ‖v‖ = 1, so the columns
 * with |vⱼ| at least `INVOLVED_FRACTION` of the largest |vⱼ| are the ones
 * that nearly cancel. Found by inverse iteration (O(m²) a step).
 *
 * ## The raw condition number
 *
 * κ(√W·X) = σ₁/σ_m of R_X itself, in the user's units with the intercept
 * column: what `np.linalg.cond(X)` and statsmodels' "Cond. No." report.
 * One-sided Jacobi gets every σ of R_X to relative accuracy independent of
 * the column scaling (svd.ts), so even 1e15 is exact to a few ulps; above
 * `CERTIFY_MIN_COLUMNS` columns power iteration stands in (rank.ts's reason).
 */

import { extremeSingularValues, jacobiSvd } from '../linalg/index.js';
import type { TriangularFactor } from '../types.js';
import { CERTIFY_MIN_COLUMNS } from './rank.js';

/** A variance inflation factor above this is reported. */
export const VIF_WARNING = 1e6;
/** A scaled condition number above this is reported (with the columns involved). */
export const CONDITION_WARNING = 1e10;
/** A column is in the near-dependency when |vⱼ| ≥ this × max |v|. */
const INVOLVED_FRACTION = 0.1;

/** Design columns of the near-dependency of σ_min, largest |vⱼ| first. */
export function nearDependency(factor: TriangularFactor, scales: Float64Array): number[] {
  const k = factor.k;
  const m = k - 1;
  const a = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) a[i * m + j] = factor.r[i * k + j] / scales[j];
  }
  const v = extremeSingularValues(a, m, m).smallestVector;
  let big = 0;
  for (const x of v) big = Math.max(big, Math.abs(x));
  const involved: number[] = [];
  for (let j = 0; j < m; j++) if (Math.abs(v[j]) >= INVOLVED_FRACTION * big) involved.push(j);
  return involved.sort((p, q) => Math.abs(v[q]) - Math.abs(v[p]));
}

/** σ₁/σ_m of R_X (unscaled, intercept included); +Infinity when σ_m = 0, NaN when m = 0. */
export function rawConditionNumber(factor: TriangularFactor): number {
  const k = factor.k;
  const m = k - 1;
  if (m === 0) return Number.NaN;
  let smallest: number;
  let largest: number;
  if (m > CERTIFY_MIN_COLUMNS) {
    ({ largest, smallest } = extremeSingularValues(factor.r, k, m));
  } else {
    const a = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = i; j < m; j++) a[i * m + j] = factor.r[i * k + j];
    const { s } = jacobiSvd(a, m, m, { wantV: false });
    largest = s[0];
    smallest = s[m - 1];
  }
  return smallest > 0 ? largest / smallest : Number.POSITIVE_INFINITY;
}
