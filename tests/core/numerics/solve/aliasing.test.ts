/**
 * Rank deficiency as a result: the motivating example, R's `lm` choice of
 * aliased columns, the `drop` policy against an exact fit without those
 * columns, and the minimum-norm solution against the exact pseudo-inverse.
 */
import { describe, expect, it } from 'vitest';
import { createRandom, nextGaussian } from '../../../../packages/core/src/numerics/sgd/index.js';
import { solve } from '../../../../packages/core/src/numerics/solve/index.js';
import { type Data, factorOf, factorOfShuffledRows } from '../../support/factor-of.js';
import { exactLeastSquares } from '../../support/rational.js';

const MOTIVATING: Data = {
  intercept: true,
  x: [Float64Array.of(1, 2, 3, 4, 5), Float64Array.of(2, 3, 4, 5, 6)],
  y: Float64Array.of(3, 5, 7, 9, 11),
};

function gaussianColumns(seed: number, n: number, p: number): Float64Array[] {
  const rng = createRandom(seed);
  return Array.from({ length: p }, () => Float64Array.from({ length: n }, () => nextGaussian(rng)));
}

const ones = (n: number) => new Float64Array(n).fill(1);

describe('motivating example X = [[1,2],[2,3],[3,4],[4,5],[5,6]], y = [3,5,7,9,11]', () => {
  it('minimum-norm solution is exactly x1 = 1, x2 = 1, intercept = 0 (to 1e-14)', () => {
    for (const factor of [factorOf(MOTIVATING), factorOfShuffledRows(MOTIVATING, 5)]) {
      const s = solve(factor);
      expect(s.status).toBe('rank-deficient');
      expect(s.aliasedPolicy).toBe('min-norm');
      expect(s.rank).toBe(2);
      expect(Math.abs(s.coefficients[0])).toBeLessThan(1e-14);
      expect(Math.abs(s.coefficients[1] - 1)).toBeLessThan(1e-14);
      expect(Math.abs(s.coefficients[2] - 1)).toBeLessThan(1e-14);
      expect(s.rss).toBeLessThan(1e-24);
      expect(s.tss).toBeCloseTo(40, 12);
      expect(s.modelDf).toBe(2);
      expect(s.residualDf).toBe(3);
    }
  });

  it('reports x2 as aliased with the relation x2 = 1·x1 + 1·(Intercept)', () => {
    const s = solve(factorOf(MOTIVATING));
    expect(s.aliased).toEqual([2]);
    expect(s.relations).toHaveLength(1);
    const rel = s.relations[0];
    expect(rel.column).toBe(2);
    const terms = [...rel.terms].sort((a, b) => a.column - b.column);
    expect(terms.map((t) => t.column)).toEqual([0, 1]);
    // Cleaned of rounding noise: exactly 1.
    expect(terms[0].coef).toBe(1);
    expect(terms[1].coef).toBe(1);
    expect(Number.isNaN(s.vif[0])).toBe(true);
    expect(Number.isNaN(s.vif[2])).toBe(true);
    expect(s.conditionNumber).toBeGreaterThan(1e12);
  });

  it("drop policy gives R's lm answer: (Intercept) 1, x1 2, x2 NA", () => {
    const s = solve(factorOf(MOTIVATING), { aliased: 'drop' });
    expect(s.coefficients[0]).toBeCloseTo(1, 13);
    expect(s.coefficients[1]).toBeCloseTo(2, 13);
    expect(Number.isNaN(s.coefficients[2])).toBe(true);
    for (let j = 0; j < 3; j++) {
      expect(Number.isNaN(s.covUnscaled[2 * 3 + j])).toBe(true);
      expect(Number.isNaN(s.covUnscaled[j * 3 + 2])).toBe(true);
    }
    // (XᵀX)⁻¹ of [1 x1]: [[1.1, -0.3], [-0.3, 0.1]].
    expect(s.covUnscaled[0]).toBeCloseTo(1.1, 12);
    expect(s.covUnscaled[1]).toBeCloseTo(-0.3, 12);
    expect(s.covUnscaled[4]).toBeCloseTo(0.1, 12);
  });
});

describe("aliasing follows R's lm: a column that is a combination of EARLIER columns", () => {
  const n = 40;
  const [a, b, c] = gaussianColumns(11, n, 3);
  // x4 = 2·x1 − 0.5·x2 (exact in float64 up to rounding of the data).
  const x4 = a.map((v, i) => 2 * v - 0.5 * b[i]);
  const rng = createRandom(12);
  const y = a.map((v, i) => 1 + v - 2 * b[i] + 0.5 * c[i] + 0.1 * nextGaussian(rng));
  const data: Data = { intercept: true, x: [a, b, c, x4], y };

  it('aliases the later column and recovers the relation to 1e-12', () => {
    const s = solve(factorOf(data));
    expect(s.rank).toBe(4);
    expect(s.aliased).toEqual([4]);
    const terms = new Map(s.relations[0].terms.map((t) => [t.column, t.coef]));
    expect(terms.get(1)).toBeCloseTo(2, 12);
    expect(terms.get(2)).toBeCloseTo(-0.5, 12);
    expect(terms.has(3)).toBe(false);
  });

  it('drop matches the exact fit without the aliased column', () => {
    const s = solve(factorOf(data), { aliased: 'drop' });
    const exact = exactLeastSquares({ design: [ones(n), a, b, c], y });
    exact.beta.forEach((v, j) => {
      expect(Math.abs(s.coefficients[j] - v)).toBeLessThan(1e-12 * Math.max(1, Math.abs(v)));
    });
    expect(Number.isNaN(s.coefficients[4])).toBe(true);
    expect(s.rss).toBeCloseTo(exact.rss, 10);
    // Its unscaled covariance diagonal is the exact (X_KᵀX_K)⁻¹ diagonal.
    exact.covDiag.forEach((v, j) => {
      expect(Math.abs(s.covUnscaled[j * 5 + j] - v)).toBeLessThan(1e-12 * v);
    });
  });

  it('min-norm is the basic solution moved along the null vector to minimal norm', () => {
    const s = solve(factorOf(data));
    const basic = solve(factorOf(data), { aliased: 'drop' }).coefficients;
    // Null vector of the design: e4 − 2e1 + 0.5e2.
    const v = [0, -2, 0.5, 0, 1];
    const b0 = Array.from(basic, (x) => (Number.isNaN(x) ? 0 : x));
    const t = -b0.reduce((acc, x, j) => acc + x * v[j], 0) / v.reduce((acc, x) => acc + x * x, 0);
    const expected = b0.map((x, j) => x + t * v[j]);
    expected.forEach((e, j) => {
      expect(Math.abs(s.coefficients[j] - e)).toBeLessThan(1e-12 * Math.max(1, Math.abs(e)));
    });
    // Orthogonal to the null space, same fitted values (same RSS).
    expect(
      Math.abs(Array.from(s.coefficients).reduce((acc, x, j) => acc + x * v[j], 0)),
    ).toBeLessThan(1e-12);
    expect(s.rss).toBeCloseTo(solve(factorOf(data), { aliased: 'drop' }).rss, 10);
  });

  it('a duplicated column is aliased at its second occurrence', () => {
    const dup: Data = { intercept: true, x: [a, b, a], y };
    const s = solve(factorOf(dup), { aliased: 'drop' });
    expect(s.aliased).toEqual([3]);
    expect(s.relations[0].terms).toEqual([{ column: 1, coef: 1 }]);
    // Min-norm splits the coefficient of a evenly between the two copies.
    const mn = solve(factorOf(dup));
    expect(mn.coefficients[1]).toBeCloseTo(s.coefficients[1] / 2, 12);
    expect(mn.coefficients[3]).toBeCloseTo(s.coefficients[1] / 2, 12);
  });

  it('an all-zero column is aliased with an empty relation; a constant column aliases with the intercept', () => {
    const zero = new Float64Array(n);
    const constant = new Float64Array(n).fill(3);
    const s = solve(factorOf({ intercept: true, x: [a, zero, constant], y }), { aliased: 'drop' });
    expect(s.rank).toBe(2);
    expect(s.aliased).toEqual([2, 3]);
    expect(s.relations[0]).toEqual({ column: 2, terms: [] });
    expect(s.relations[1]).toEqual({ column: 3, terms: [{ column: 0, coef: 3 }] });
  });
});

describe('more columns than rows', () => {
  it('rank = rows and min-norm is the pseudo-inverse solution Xᵀ(XXᵀ)⁻¹y', () => {
    const n = 3;
    const x = gaussianColumns(41, n, 4);
    const y = Float64Array.of(1, -2, 0.5);
    const s = solve(factorOf({ intercept: true, x, y }));
    expect(s.rank).toBe(3);
    expect(s.aliased).toEqual([3, 4]);
    expect(s.residualDf).toBe(0);
    expect(s.rss).toBeLessThan(1e-26);
    // Xᵀ(XXᵀ)⁻¹y by Cramer's rule on the 3 × 3 system.
    const rows = Array.from({ length: n }, (_, i) => [1, ...x.map((c) => c[i])]);
    const a = rows.map((ri) => rows.map((rj) => ri.reduce((acc, v, l) => acc + v * rj[l], 0)));
    const det = (mm: number[][]) =>
      mm[0][0] * (mm[1][1] * mm[2][2] - mm[1][2] * mm[2][1]) -
      mm[0][1] * (mm[1][0] * mm[2][2] - mm[1][2] * mm[2][0]) +
      mm[0][2] * (mm[1][0] * mm[2][1] - mm[1][1] * mm[2][0]);
    const d = det(a);
    const z = [0, 1, 2].map(
      (c) => det(a.map((row, i) => row.map((v, j) => (j === c ? y[i] : v)))) / d,
    );
    for (let j = 0; j < 5; j++) {
      const expected = rows.reduce((acc, row, i) => acc + row[j] * z[i], 0);
      expect(Math.abs(s.coefficients[j] - expected)).toBeLessThan(
        1e-12 * Math.max(1, Math.abs(expected)),
      );
    }
  });
});
