/**
 * How many digits a one-pass solution is expected to have: the estimate that
 * decides refinement (refine.ts) and the normal-equations warning (solve.ts).
 *
 * The forward error of a QR least-squares solution is about
 * m·ε·(κ_s + κ_s²·‖r‖/‖y‖) in the scaled norm (Higham, ASNA §20.1, with the
 * column scaling of rank.ts), and about 10^digitsLostEstimate times more for
 * a normal-equations factor. For a rank-deficient fit κ_s is that of the
 * identified (kept) columns, since the aliased directions are not estimated
 * at all.
 */

import { jacobiSvd } from '../linalg/index.js';
import type { TriangularFactor } from '../types.js';
import { keptFactor } from './ols.js';

/**
 * The default (`refine: 'auto'`) refines when fewer than this many digits are
 * expected from one pass: two digits of margin over the 7 significant digits
 * the project promises for every coefficient and standard error.
 */
export const REFINE_TARGET_DIGITS = 9;

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
