/**
 * Exact rational arithmetic with BigInt, for reference solutions of small
 * least-squares problems: the TRUTH against which the solver's digits are
 * counted is the exact least-squares solution of the float64 data.
 *
 * Every double is a dyadic rational M·2^e, so the data scaled by a common
 * power of two are integers, and the normal equations are solved exactly by
 * Bareiss' fraction-free elimination (Bareiss 1968) with a fraction-free back
 * substitution (x = X / det with X integer, by Cramer's rule). Fine for a few
 * dozen unknowns and a few hundred rows.
 */

/** An exact rational n / d with d > 0 (not necessarily reduced). */
export interface Q {
  readonly n: bigint;
  readonly d: bigint;
}

const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);

/** x = mantissa · 2^exponent exactly (mantissa a BigInt). Throws on non-finite input. */
export function dyadic(x: number): { mantissa: bigint; exponent: number } {
  if (!Number.isFinite(x)) throw new RangeError(`dyadic: ${x} is not finite`);
  if (x === 0) return { mantissa: 0n, exponent: 0 };
  F64[0] = x;
  const bits = U64[0];
  const sign = bits >> 63n ? -1n : 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? frac : frac | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  return { mantissa: sign * mantissa, exponent };
}

export function q(x: number): Q {
  const { mantissa, exponent } = dyadic(x);
  return exponent >= 0
    ? { n: mantissa << BigInt(exponent), d: 1n }
    : { n: mantissa, d: 1n << BigInt(-exponent) };
}

export function qInt(n: bigint, d = 1n): Q {
  return d < 0n ? { n: -n, d: -d } : { n, d };
}

export const qAdd = (a: Q, b: Q): Q =>
  a.d === b.d ? { n: a.n + b.n, d: a.d } : { n: a.n * b.d + b.n * a.d, d: a.d * b.d };
export const qSub = (a: Q, b: Q): Q => qAdd(a, { n: -b.n, d: b.d });
export const qMul = (a: Q, b: Q): Q => ({ n: a.n * b.n, d: a.d * b.d });
export const qDiv = (a: Q, b: Q): Q => qInt(a.n * b.d, a.d * b.n);

export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** n/d to the nearest double (to within one ulp). */
export function qToNumber(a: Q): number {
  if (a.n === 0n) return 0;
  const neg = a.n < 0n !== a.d < 0n;
  const n = a.n < 0n ? -a.n : a.n;
  const d = a.d < 0n ? -a.d : a.d;
  const shift = 80 - (bitLength(n) - bitLength(d));
  const quotient = shift >= 0 ? (n << BigInt(shift)) / d : n / (d << BigInt(-shift));
  // Scale in two steps so 2^-shift cannot overflow or underflow on its own.
  const half = Math.trunc(shift / 2);
  const value = Number(quotient) * 2 ** -half * 2 ** -(shift - half);
  return neg ? -value : value;
}

/**
 * Solves A X = B exactly (A n × n nonsingular, B n × r), rows free to hold
 * rationals. Returns X = num / den with integer num (n × r) and den > 0 or < 0.
 * No pivoting: A must have nonzero leading principal minors (true for SPD A).
 */
export function solveExact(
  a: readonly (readonly Q[])[],
  b: readonly (readonly Q[])[],
): { num: bigint[][]; den: bigint } {
  const n = a.length;
  const r = b[0]?.length ?? 0;
  const w = n + r;
  // Clear denominators row by row (scaling an equation does not change the solution).
  const mtx: bigint[][] = [];
  for (let i = 0; i < n; i++) {
    const row = [...a[i], ...b[i]];
    let l = 1n;
    for (const x of row) l = (l / gcd(l, x.d)) * x.d;
    mtx.push(row.map((x) => (x.n * l) / x.d));
  }
  let prev = 1n;
  for (let k = 0; k < n - 1; k++) {
    const pivot = mtx[k][k];
    if (pivot === 0n) throw new RangeError(`solveExact: zero leading minor at ${k}`);
    for (let i = k + 1; i < n; i++) {
      const mik = mtx[i][k];
      for (let j = k + 1; j < w; j++) mtx[i][j] = (pivot * mtx[i][j] - mik * mtx[k][j]) / prev;
      mtx[i][k] = 0n;
    }
    prev = pivot;
  }
  const det = mtx[n - 1][n - 1];
  if (det === 0n) throw new RangeError('solveExact: singular matrix');
  const num: bigint[][] = Array.from({ length: n }, () => new Array<bigint>(r).fill(0n));
  for (let c = 0; c < r; c++) {
    for (let i = n - 1; i >= 0; i--) {
      let s = det * mtx[i][n + c];
      for (let j = i + 1; j < n; j++) s -= mtx[i][j] * num[j][c];
      num[i][c] = s / mtx[i][i];
    }
  }
  return { num, den: det };
}

export interface ExactRidge {
  readonly lambda: number;
  readonly standardize: boolean;
  /** Column 0 is an unpenalized intercept (and standardization centers). */
  readonly intercept: boolean;
}

export interface ExactProblem {
  /** Design columns (include a column of ones for an intercept). */
  readonly design: readonly Float64Array[];
  readonly y: Float64Array;
  readonly w?: Float64Array | undefined;
  readonly ridge?: ExactRidge | undefined;
}

export interface ExactFit {
  readonly beta: number[];
  readonly rss: number;
  /** OLS only: diagonal of (XᵀWX)⁻¹ and SEⱼ = √(RSS/(n−m)·[(XᵀWX)⁻¹]ⱼⱼ). */
  readonly covDiag: number[];
  readonly se: number[];
}

/**
 * The exact weighted least-squares (or ridge) solution of float64 data:
 * minimize Σ wᵢ(yᵢ − xᵢᵀβ)² + λ Σⱼ (sⱼβⱼ)², by the normal equations in exact
 * rationals. RSS, (XᵀWX)⁻¹ and standard errors are exact before the final
 * rounding to double.
 */
export function exactLeastSquares(p: ExactProblem): ExactFit {
  const m = p.design.length;
  const rows = p.y.length;
  // Common power-of-two scale making every datum an integer.
  let eMin = 0;
  const scan = (x: number) => {
    const { mantissa, exponent } = dyadic(x);
    if (mantissa !== 0n) eMin = Math.min(eMin, exponent);
  };
  for (const col of p.design) for (let i = 0; i < rows; i++) scan(col[i]);
  for (let i = 0; i < rows; i++) scan(p.y[i]);
  let wMin = 0;
  if (p.w) {
    for (let i = 0; i < rows; i++) {
      const { mantissa, exponent } = dyadic(p.w[i]);
      if (mantissa !== 0n) wMin = Math.min(wMin, exponent);
    }
  }
  const toInt = (x: number, e: number): bigint => {
    const { mantissa, exponent } = dyadic(x);
    return mantissa << BigInt(exponent - e);
  };
  const xi = p.design.map((col) => Array.from(col.subarray(0, rows), (v) => toInt(v, eMin)));
  const yi = Array.from(p.y.subarray(0, rows), (v) => toInt(v, eMin));
  const wi = p.w ? Array.from(p.w.subarray(0, rows), (v) => toInt(v, wMin)) : yi.map(() => 1n);

  const g: bigint[][] = Array.from({ length: m }, () => new Array<bigint>(m).fill(0n));
  const xty = new Array<bigint>(m).fill(0n);
  let yty = 0n;
  let sw = 0n;
  const sx = new Array<bigint>(m).fill(0n);
  let positive = 0;
  for (let r = 0; r < rows; r++) {
    const wr = wi[r];
    if (wr === 0n) continue;
    positive++;
    sw += wr;
    yty += wr * yi[r] * yi[r];
    for (let a = 0; a < m; a++) {
      const wx = wr * xi[a][r];
      sx[a] += wx;
      xty[a] += wx * yi[r];
      for (let b = a; b < m; b++) g[a][b] += wx * xi[b][r];
    }
  }
  for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) g[a][b] = g[b][a];

  // Left-hand side in scaled units; the ridge penalty scaled the same way (see the doc of ridge.ts).
  const lhs: Q[][] = g.map((row) => row.map((v) => qInt(v)));
  if (p.ridge) {
    const { lambda, standardize, intercept } = p.ridge;
    // Scaled units: G' = c·G with c = 2^(−2·eMin − wMin), so the penalty becomes c·λ·sⱼ².
    const c = qInt(1n << BigInt(-2 * eMin - wMin));
    const lam = q(lambda);
    for (let j = intercept ? 1 : 0; j < m; j++) {
      let pen = qMul(lam, c);
      if (standardize) {
        // SS' = c·SS and Σw' = 2^(−wMin)·Σw, so c·sⱼ² = c·SS/Σw = SS'·2^(−wMin)/Σw'.
        const ss = intercept ? qSub(qInt(g[j][j]), qInt(sx[j] * sx[j], sw)) : qInt(g[j][j]);
        if (ss.n !== 0n) pen = qMul(lam, qDiv(qMul(ss, qInt(1n << BigInt(-wMin))), qInt(sw)));
      }
      lhs[j][j] = qAdd(lhs[j][j], pen);
    }
  }
  const rhs: Q[][] = [];
  for (let a = 0; a < m; a++) {
    const row: Q[] = [qInt(xty[a])];
    if (!p.ridge) for (let b = 0; b < m; b++) row.push(qInt(a === b ? 1n : 0n));
    rhs.push(row);
  }
  const { num, den } = solveExact(lhs, rhs);
  const beta = num.map((row) => qToNumber(qInt(row[0], den)));
  // RSS·den² = den²·yᵀWy − 2·den·Bᵀ(XᵀWy) + BᵀGB with B = den·β (integers).
  let bxty = 0n;
  let bgb = 0n;
  for (let a = 0; a < m; a++) {
    bxty += num[a][0] * xty[a];
    let s = 0n;
    for (let b = 0; b < m; b++) s += g[a][b] * num[b][0];
    bgb += num[a][0] * s;
  }
  const rssNum = den * den * yty - 2n * den * bxty + bgb;
  const scale = 1n << BigInt(-2 * eMin - wMin);
  const rss = qToNumber(qInt(rssNum, den * den * scale));
  if (p.ridge) return { beta, rss, covDiag: [], se: [] };
  const covDiag: number[] = [];
  const se: number[] = [];
  const dof = BigInt(positive - m);
  for (let j = 0; j < m; j++) {
    // (XᵀWX)⁻¹ⱼⱼ = scale · num[j][1+j] / den; SE² = RSS·that/(n−m), and the scale cancels.
    covDiag.push(qToNumber(qInt(num[j][1 + j] * scale, den)));
    const se2 = qInt(rssNum * num[j][1 + j], den * den * den * dof);
    se.push(Math.sqrt(qToNumber(se2)));
  }
  return { beta, rss, covDiag, se };
}
