/**
 * Shared helpers for the accumulator tests: seeded data, an exact (BigInt)
 * Gram matrix and least-squares solve as independent references, and
 * comparisons of triangular factors.
 */
import type { DesignBatch } from '../../../../packages/core/src/numerics/types.js';

export const EPS = 2 ** -52;

/** mulberry32: a small seeded generator of doubles in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Dataset {
  readonly n: number;
  readonly p: number;
  readonly x: Float64Array[];
  readonly y: Float64Array;
  readonly w?: Float64Array | undefined;
}

/** Random integer data in [−range, range] (so exact references are cheap), y = a linear signal + noise. */
export function integerDataset(n: number, p: number, seed: number, range = 1000): Dataset {
  const rnd = seededRandom(seed);
  const int = () => Math.floor(rnd() * (2 * range + 1)) - range;
  const x = Array.from({ length: p }, () => Float64Array.from({ length: n }, int));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let t = int();
    for (let c = 0; c < p; c++) t += (c + 1) * (x[c] as Float64Array)[i];
    y[i] = t;
  }
  return { n, p, x, y };
}

/** Random well-conditioned real data: uniform features, y = linear signal + noise. */
export function realDataset(n: number, p: number, seed: number): Dataset {
  const rnd = seededRandom(seed);
  const x = Array.from({ length: p }, (_, c) =>
    Float64Array.from({ length: n }, () => rnd() * 2 - 1 + c),
  );
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let t = 0.1 * (rnd() - 0.5) + 3;
    for (let c = 0; c < p; c++) t += (c % 3 === 0 ? 1.5 : -0.5) * (x[c] as Float64Array)[i];
    y[i] = t;
  }
  return { n, p, x, y };
}

/** Rows [from, to) of a dataset as a batch (views, no copy). */
export function slice(d: Dataset, from: number, to: number): DesignBatch {
  return {
    rows: to - from,
    x: d.x.map((c) => c.subarray(from, to)),
    y: d.y.subarray(from, to),
    w: d.w?.subarray(from, to),
  };
}

/** The whole dataset as one batch. */
export function whole(d: Dataset): DesignBatch {
  return slice(d, 0, d.n);
}

/** Row i of the augmented design [1 X y] (leading 1 only with an intercept). */
function augmentedRow(d: Dataset, i: number, intercept: boolean): number[] {
  const row = d.x.map((c) => c[i] as number);
  row.push(d.y[i] as number);
  if (intercept) row.unshift(1);
  return row;
}

/** Exact Σ w a aᵀ over rows of [1 X y] for integer data and integer weights (BigInt). */
export function exactGram(d: Dataset, intercept: boolean): bigint[][] {
  const k = d.p + 1 + (intercept ? 1 : 0);
  const g = Array.from({ length: k }, () => Array.from({ length: k }, () => 0n));
  for (let i = 0; i < d.n; i++) {
    const row = augmentedRow(d, i, intercept).map((v) => BigInt(v));
    const wi = d.w === undefined ? 1n : BigInt(d.w[i] as number);
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++)
        (g[a] as bigint[])[b] =
          ((g[a] as bigint[])[b] as bigint) + wi * (row[a] as bigint) * (row[b] as bigint);
    }
  }
  return g;
}

/** RᵀR of a k x k row-major upper triangular R (in double). */
export function gramOfFactor(r: Float64Array, k: number): Float64Array {
  const g = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let t = 0;
      for (let i = 0; i <= Math.min(a, b); i++)
        t += (r[i * k + a] as number) * (r[i * k + b] as number);
      g[a * k + b] = t;
    }
  }
  return g;
}

interface Fraction {
  num: bigint;
  den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function frac(num: bigint, den: bigint): Fraction {
  const s = den < 0n ? -1n : 1n;
  const g = gcd(num, den) || 1n;
  return { num: (s * num) / g, den: (s * den) / g };
}

function sub(a: Fraction, b: Fraction): Fraction {
  return frac(a.num * b.den - b.num * a.den, a.den * b.den);
}

function mul(a: Fraction, b: Fraction): Fraction {
  return frac(a.num * b.num, a.den * b.den);
}

function div(a: Fraction, b: Fraction): Fraction {
  return frac(a.num * b.den, a.den * b.num);
}

function toNumber(f: Fraction): number {
  return Number(f.num) / Number(f.den);
}

/**
 * The exact least-squares solution and residual sum of squares from an exact
 * augmented Gram (last row/column = y), by rational Gaussian elimination on
 * the normal equations. Requires a full-rank design.
 */
export function exactLeastSquares(g: bigint[][]): { beta: number[]; rss: number } {
  const k = g.length;
  const m = k - 1;
  const a: Fraction[][] = g.map((row) => row.map((v) => frac(v, 1n)));
  for (let c = 0; c < m; c++) {
    const pivot = (a[c] as Fraction[])[c] as Fraction;
    for (let r = c + 1; r < k; r++) {
      const f = div((a[r] as Fraction[])[c] as Fraction, pivot);
      for (let j = c; j < k; j++) {
        (a[r] as Fraction[])[j] = sub(
          (a[r] as Fraction[])[j] as Fraction,
          mul(f, (a[c] as Fraction[])[j] as Fraction),
        );
      }
    }
  }
  const beta: Fraction[] = new Array(m);
  for (let r = m - 1; r >= 0; r--) {
    let t = (a[r] as Fraction[])[k - 1] as Fraction;
    for (let j = r + 1; j < m; j++)
      t = sub(t, mul((a[r] as Fraction[])[j] as Fraction, beta[j] as Fraction));
    beta[r] = div(t, (a[r] as Fraction[])[r] as Fraction);
  }
  // After eliminating every design column, the (y, y) entry is the RSS (a Schur complement).
  return { beta: beta.map(toNumber), rss: toNumber((a[k - 1] as Fraction[])[k - 1] as Fraction) };
}

/** Least-squares coefficients from R: solve R[0:m,0:m] β = R[0:m, k−1]. */
export function solveFromFactor(r: Float64Array, k: number): number[] {
  const m = k - 1;
  const beta = new Array<number>(m).fill(0);
  for (let i = m - 1; i >= 0; i--) {
    let t = r[i * k + k - 1] as number;
    for (let j = i + 1; j < m; j++) t -= (r[i * k + j] as number) * (beta[j] as number);
    beta[i] = t / (r[i * k + i] as number);
  }
  return beta;
}

/**
 * Largest difference between two triangular factors relative to the norm of
 * each column (the norm of the corresponding design column), after flipping
 * rows to a non-negative diagonal: max_j ‖ΔR[:, j]‖∞ / ‖R[:, j]‖₂.
 */
export function factorDifference(r1: Float64Array, r2: Float64Array, k: number): number {
  const sign = (r: Float64Array, i: number) => ((r[i * k + i] as number) < 0 ? -1 : 1);
  let worst = 0;
  for (let j = 0; j < k; j++) {
    let norm2 = 0;
    let diff = 0;
    for (let i = 0; i <= j; i++) {
      const a = sign(r1, i) * (r1[i * k + j] as number);
      const b = sign(r2, i) * (r2[i * k + j] as number);
      norm2 += a * a;
      diff = Math.max(diff, Math.abs(a - b));
    }
    const norm = Math.sqrt(norm2);
    worst = Math.max(worst, norm === 0 ? diff : diff / norm);
  }
  return worst;
}

/** Whether the strict lower triangle is zero. */
export function isUpperTriangular(r: Float64Array, k: number): boolean {
  for (let i = 1; i < k; i++) {
    for (let j = 0; j < i; j++) if (r[i * k + j] !== 0) return false;
  }
  return true;
}
