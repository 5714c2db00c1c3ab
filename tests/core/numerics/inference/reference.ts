/**
 * Test helper: an exact least-squares reference in rational arithmetic
 * (BigInt numerators/denominators), independent of the project's solvers.
 * Every double input is a dyadic rational, so the normal equations
 * (XᵀWX) β = XᵀWy are solved *exactly* by Gauss–Jordan elimination; β, (XᵀWX)⁻¹,
 * RSS and TSS are rounded to double only at the end. Used to build the
 * Solution / TriangularFactor values that inference, model and predict consume,
 * without depending on the accumulators or the solver.
 */
import type { Solution } from '../../../../packages/core/src/numerics/solve/index.js';
import type { TriangularFactor } from '../../../../packages/core/src/numerics/types.js';

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export class Rational {
  readonly num: bigint;
  readonly den: bigint;
  constructor(num: bigint, den = 1n) {
    if (den === 0n) throw new RangeError('zero denominator');
    const sign = den < 0n ? -1n : 1n;
    const g = gcd(num, den) || 1n;
    this.num = (sign * num) / g;
    this.den = (sign * den) / g;
  }
  /** The exact value of a finite double. */
  static of(value: number): Rational {
    if (!Number.isFinite(value)) throw new RangeError(`not finite: ${value}`);
    let v = value;
    let den = 1n;
    while (!Number.isInteger(v)) {
      v *= 2;
      den *= 2n;
    }
    return new Rational(BigInt(v), den);
  }
  static readonly zero = new Rational(0n);
  static readonly one = new Rational(1n);
  add(o: Rational): Rational {
    return new Rational(this.num * o.den + o.num * this.den, this.den * o.den);
  }
  sub(o: Rational): Rational {
    return new Rational(this.num * o.den - o.num * this.den, this.den * o.den);
  }
  mul(o: Rational): Rational {
    return new Rational(this.num * o.num, this.den * o.den);
  }
  div(o: Rational): Rational {
    return new Rational(this.num * o.den, this.den * o.num);
  }
  isZero(): boolean {
    return this.num === 0n;
  }
  /** Nearest double, to within one rounding (the quotient carries at least 80 significant bits). */
  toNumber(): number {
    if (this.num === 0n) return 0;
    const bits = (v: bigint) => (v < 0n ? -v : v).toString(2).length;
    const shift = Math.max(0, 80 + bits(this.den) - bits(this.num));
    const q = (this.num << BigInt(shift)) / this.den;
    return Number(q) / 2 ** shift;
  }
}

export interface ReferenceProblem {
  /** Rows of feature values (p columns). */
  readonly x: readonly (readonly number[])[];
  readonly y: readonly number[];
  readonly w?: readonly number[];
  readonly intercept: boolean;
}

export interface ExactFit {
  readonly m: number;
  readonly n: number;
  readonly beta: Rational[];
  /** (XᵀWX)⁻¹, m x m. */
  readonly inverse: Rational[][];
  readonly rss: Rational;
  readonly tss: Rational;
}

function designRow(problem: ReferenceProblem, i: number): Rational[] {
  const row = problem.x[i].map(Rational.of);
  return problem.intercept ? [Rational.one, ...row] : row;
}

/** Solve A X = B exactly (A m x m nonsingular, B m x r); throws on a singular A. */
export function solveExact(a: Rational[][], b: Rational[][]): Rational[][] {
  const m = a.length;
  const aug = a.map((row, i) => [...row, ...b[i]]);
  for (let col = 0; col < m; col++) {
    const pivot = aug.findIndex((row, i) => i >= col && !row[col].isZero());
    if (pivot < 0) throw new RangeError(`singular at column ${col}`);
    [aug[col], aug[pivot]] = [aug[pivot], aug[col]];
    const inv = Rational.one.div(aug[col][col]);
    aug[col] = aug[col].map((v) => v.mul(inv));
    for (let i = 0; i < m; i++) {
      if (i === col || aug[i][col].isZero()) continue;
      const f = aug[i][col];
      aug[i] = aug[i].map((v, k) => v.sub(f.mul(aug[col][k])));
    }
  }
  return aug.map((row) => row.slice(m));
}

export function exactFit(problem: ReferenceProblem): ExactFit {
  const rows = problem.y.length;
  const m = problem.x[0].length + (problem.intercept ? 1 : 0);
  const gram = Array.from({ length: m }, () => Array.from({ length: m }, () => Rational.zero));
  const xty = Array.from({ length: m }, () => Rational.zero);
  let sw = Rational.zero;
  let swy = Rational.zero;
  let n = 0;
  for (let i = 0; i < rows; i++) {
    const w = Rational.of(problem.w?.[i] ?? 1);
    if (w.isZero()) continue;
    n++;
    const d = designRow(problem, i);
    const y = Rational.of(problem.y[i]);
    sw = sw.add(w);
    swy = swy.add(w.mul(y));
    for (let j = 0; j < m; j++) {
      xty[j] = xty[j].add(w.mul(d[j]).mul(y));
      for (let k = 0; k < m; k++) gram[j][k] = gram[j][k].add(w.mul(d[j]).mul(d[k]));
    }
  }
  const identity = gram.map((_, i) =>
    gram.map((__, k) => (i === k ? Rational.one : Rational.zero)),
  );
  const inverse = solveExact(gram, identity);
  const beta = inverse.map((row) =>
    row.reduce((acc, v, k) => acc.add(v.mul(xty[k])), Rational.zero),
  );
  const mean = swy.div(sw);
  let rss = Rational.zero;
  let tss = Rational.zero;
  for (let i = 0; i < rows; i++) {
    const w = Rational.of(problem.w?.[i] ?? 1);
    if (w.isZero()) continue;
    const d = designRow(problem, i);
    const y = Rational.of(problem.y[i]);
    const r = d.reduce((acc, v, j) => acc.sub(v.mul(beta[j])), y);
    rss = rss.add(w.mul(r).mul(r));
    const c = problem.intercept ? y.sub(mean) : y;
    tss = tss.add(w.mul(c).mul(c));
  }
  return { m, n, beta, inverse, rss, tss };
}

/** A TriangularFactor with the fields inference reads; `r` is the Cholesky factor of AᵀWA in double. */
export function referenceFactor(problem: ReferenceProblem): TriangularFactor {
  const rows = problem.y.length;
  const p = problem.x[0].length;
  const m = p + (problem.intercept ? 1 : 0);
  const k = m + 1;
  const gram = new Float64Array(k * k);
  let positive = 0;
  let sumWeights = 0;
  let sumLogWeights = 0;
  for (let i = 0; i < rows; i++) {
    const w = problem.w?.[i] ?? 1;
    sumWeights += w;
    if (w > 0) {
      positive++;
      if (problem.w !== undefined) sumLogWeights += Math.log(w);
    }
    const a = [...(problem.intercept ? [1] : []), ...problem.x[i], problem.y[i]];
    for (let j = 0; j < k; j++) for (let l = 0; l < k; l++) gram[j * k + l] += w * a[j] * a[l];
  }
  const r = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    let d = gram[j * k + j];
    for (let l = 0; l < j; l++) d -= r[l * k + j] ** 2;
    r[j * k + j] = Math.sqrt(Math.max(d, 0));
    for (let c = j + 1; c < k; c++) {
      let s = gram[j * k + c];
      for (let l = 0; l < j; l++) s -= r[l * k + j] * r[l * k + c];
      r[j * k + c] = r[j * k + j] > 0 ? s / r[j * k + j] : 0;
    }
  }
  return {
    spec: { kind: 'qr', p, intercept: problem.intercept, weighted: problem.w !== undefined },
    k,
    r,
    rows,
    rowsPositiveWeight: positive,
    sumWeights,
    sumLogWeights,
    digitsLostEstimate: 0,
  };
}

/** A full-rank OLS/WLS Solution from the exact fit (condition number and VIF are given sentinels). */
export function referenceSolution(problem: ReferenceProblem, conditionNumber = 12.5): Solution {
  const fit = exactFit(problem);
  const { m, n } = fit;
  const covUnscaled = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) covUnscaled[i * m + j] = fit.inverse[i][j].toNumber();
  return {
    status: 'ok',
    m,
    coefficients: Float64Array.from(fit.beta, (b) => b.toNumber()),
    rank: m,
    aliasedPolicy: 'min-norm',
    aliased: [],
    relations: [],
    lambda: 0,
    standardized: false,
    rss: fit.rss.toNumber(),
    tss: fit.tss.toNumber(),
    covUnscaled,
    modelDf: m,
    residualDf: n - m,
    conditionNumber,
    vif: new Float64Array(m).fill(Number.NaN),
    refinementSteps: 0,
    warnings: [],
  };
}
