/**
 * The exact standard error of the fitted mean (R's `se.fit`) of float64 data,
 * in BigInt rationals: se² = RSS/ν · x₀ᵀ(XᵀWX)⁻¹x₀ with everything exact
 * before the final rounding, so the digits of linreg's and R's answers can be
 * counted against the truth rather than against each other.
 */
import {
  type Q,
  q,
  qAdd,
  qDiv,
  qInt,
  qMul,
  qSub,
  qToNumber,
  solveExact,
} from '../support/rational.js';

export interface ExactPredictionProblem {
  /** Design columns, the intercept's column of ones included. */
  readonly design: readonly Float64Array[];
  readonly y: Float64Array;
  readonly w?: Float64Array | undefined;
  /** New design rows (same column order as `design`). */
  readonly newRows: readonly (readonly number[])[];
}

/** Exact se.fit per new row, rounded to double at the end. */
export function exactSeFit(p: ExactPredictionProblem): number[] {
  const m = p.design.length;
  const n = p.y.length;
  const zero = qInt(0n);
  const g: Q[][] = Array.from({ length: m }, () => new Array<Q>(m).fill(zero));
  const b: Q[] = new Array<Q>(m).fill(zero);
  let yy = zero;
  let positive = 0;
  for (let i = 0; i < n; i++) {
    const w = q(p.w === undefined ? 1 : (p.w[i] as number));
    if (w.n === 0n) continue;
    positive++;
    const x = p.design.map((c) => q(c[i] as number));
    const y = q(p.y[i] as number);
    yy = qAdd(yy, qMul(w, qMul(y, y)));
    for (let a = 0; a < m; a++) {
      const wx = qMul(w, x[a] as Q);
      b[a] = qAdd(b[a] as Q, qMul(wx, y));
      for (let c = a; c < m; c++)
        (g[a] as Q[])[c] = qAdd((g[a] as Q[])[c] as Q, qMul(wx, x[c] as Q));
    }
  }
  for (let a = 0; a < m; a++) for (let c = 0; c < a; c++) (g[a] as Q[])[c] = (g[c] as Q[])[a] as Q;
  // G [β | Z] = [b | X₀ᵀ]: one solve for the coefficients and every new row.
  const rhs: Q[][] = b.map((ba, a) => [ba, ...p.newRows.map((row) => q(row[a] as number))]);
  const { num, den } = solveExact(g, rhs);
  const column = (c: number): Q[] => num.map((row) => qInt(row[c] as bigint, den));
  const beta = column(0);
  let rss = yy;
  for (let a = 0; a < m; a++) rss = qSub(rss, qMul(b[a] as Q, beta[a] as Q));
  const sigma2 = qDiv(rss, qInt(BigInt(positive - m)));
  return p.newRows.map((row, r) => {
    const z = column(r + 1);
    let quad = zero;
    for (let a = 0; a < m; a++) quad = qAdd(quad, qMul(q(row[a] as number), z[a] as Q));
    return Math.sqrt(qToNumber(qMul(sigma2, quad)));
  });
}
