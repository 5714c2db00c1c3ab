/**
 * Sequential (type I) sums of squares per term, as R's anova.lm: each
 * term's share of the response's sum of squares when the terms enter in
 * order, from the effects Qᵀy of the fit's triangular factor.
 *
 * ## Method
 *
 * R is the k × k factor of [X y] (k = m + 1), so Qᵀy's first m entries —
 * the effects — are R's last column, and term t's sum of squares is the sum
 * of its columns' squared effects. With aliased columns (rank < m) R's
 * anova.lm uses the effects of the pivoted QR, where the aliased columns
 * were moved to the end; here the kept columns and y are re-factored
 * (Householder on the k × (q + 1) block of R, an O(k·q²) step only for
 * rank-deficient fits), which gives the same effects.
 */
import { householderR } from '../linalg/index.js';
import type { TriangularFactor } from '../types.js';

export interface TermSums {
  /** Per term: the number of kept design columns. */
  readonly df: number[];
  /** Per term: the sequential sum of squares (weighted for WLS). */
  readonly sumSq: number[];
}

/**
 * @param kept the design columns that are not aliased, ascending
 * @param assign per design column, its term (−1 for the intercept)
 */
export function termSums(
  factor: TriangularFactor,
  kept: readonly number[],
  assign: readonly number[],
  terms: number,
): TermSums {
  const k = factor.k;
  const m = k - 1;
  const q = kept.length;
  const effects = new Float64Array(q);
  if (q === m) {
    for (let i = 0; i < m; i++) effects[i] = factor.r[i * k + m] as number;
  } else {
    const a = new Float64Array(k * (q + 1));
    for (let i = 0; i < k; i++) {
      kept.forEach((c, j) => {
        a[i * (q + 1) + j] = factor.r[i * k + c] as number;
      });
      a[i * (q + 1) + q] = factor.r[i * k + m] as number;
    }
    const r = householderR(a, k, q + 1);
    for (let i = 0; i < q; i++) effects[i] = r[i * (q + 1) + q] as number;
  }
  const df = new Array<number>(terms).fill(0);
  const sumSq = new Array<number>(terms).fill(0);
  kept.forEach((c, i) => {
    const t = assign[c] as number;
    if (t < 0) return;
    df[t] = (df[t] as number) + 1;
    sumSq[t] = (sumSq[t] as number) + (effects[i] as number) ** 2;
  });
  return { df, sumSq };
}
