/**
 * The tail-accurate wrappers in numerics/distributions.ts against scipy 1.17
 * (boost's incomplete beta), table-driven. Generator, run with python3:
 *
 *   from scipy import stats
 *   for t, df in [(2,10),(40,30),(1e3,5),(8,200),(0.5,3.5)]: print(2*stats.t.sf(t, df))
 *   for f, d1, d2 in [(4,1,10),(1000,3,50),(50,4,7.5),(0.3,2,20)]: print(stats.f.sf(f, d1, d2))
 *   for p, df in [(0.025,10),(0.005,3),(1e-10,20),(0.05,7.3)]: print(stats.t.ppf(p, df))
 */
import { describe, expect, it } from 'vitest';
import {
  fUpperTail,
  studentTCdf,
  studentTQuantile,
  studentTTwoSidedP,
} from '../../../../packages/core/src/numerics/inference/index.js';

const EPS = Number.EPSILON;

function expectRel(actual: number, expected: number, tolEps: number): void {
  const bound = tolEps * EPS * Math.abs(expected);
  expect(
    Math.abs(actual - expected) <= bound,
    `expected ${expected}, got ${actual}, tolerance ${bound}`,
  ).toBe(true);
}

describe('studentTTwoSidedP', () => {
  const table: readonly [number, number, number][] = [
    [2, 10, 0.07338803477074037],
    [40, 30, 1.3726045194406417e-27],
    [1e3, 5, 1.898013113197972e-14],
    [8, 200, 9.879200909330596e-14],
    [0.5, 3.5, 0.6468504393225509],
  ];
  for (const [t, df, p] of table) {
    it(`t = ${t}, df = ${df}: ${p}`, () => {
      // Relative accuracy holds far into the tail, where 1 − cdf would give 0.
      expectRel(studentTTwoSidedP(t, df), p, 2000);
      expectRel(studentTTwoSidedP(-t, df), p, 2000);
    });
  }
  it('handles the edges explicitly', () => {
    expect(studentTTwoSidedP(Number.POSITIVE_INFINITY, 5)).toBe(0);
    expect(studentTTwoSidedP(Number.NEGATIVE_INFINITY, 5)).toBe(0);
    expect(studentTTwoSidedP(Number.NaN, 5)).toBeNaN();
    expect(studentTTwoSidedP(1, 0)).toBeNaN();
    expect(studentTTwoSidedP(0, 5)).toBe(1);
  });
  it('is 2·cdf(−|t|)', () => {
    expect(studentTTwoSidedP(1.5, 7)).toBe(2 * studentTCdf(-1.5, 7));
  });
});

describe('fUpperTail', () => {
  const table: readonly [number, number, number, number][] = [
    [4, 1, 10, 0.07338803477074037],
    [1000, 3, 50, 1.3217760301381609e-44],
    [50, 4, 7.5, 1.8062694655984492e-5],
    [0.3, 2, 20, 0.7440939148967252],
  ];
  for (const [f, d1, d2, p] of table) {
    it(`F(${d1}, ${d2}) > ${f}: ${p}`, () => expectRel(fUpperTail(f, d1, d2), p, 2000));
  }
  it('equals the two-sided t p-value for d1 = 1 (F = t²)', () => {
    expectRel(fUpperTail(9, 1, 12), studentTTwoSidedP(3, 12), 64);
  });
  it('handles the edges explicitly', () => {
    expect(fUpperTail(Number.POSITIVE_INFINITY, 2, 3)).toBe(0);
    expect(fUpperTail(0, 2, 3)).toBe(1);
    expect(fUpperTail(Number.NaN, 2, 3)).toBeNaN();
    expect(fUpperTail(2, 0, 3)).toBeNaN();
  });
});

describe('studentTQuantile', () => {
  const table: readonly [number, number, number][] = [
    [0.025, 10, -2.2281388519862753],
    [0.005, 3, -5.840909309733357],
    [1e-10, 20, -11.740060452456985],
    [0.05, 7.3, -1.8829300179564314],
  ];
  for (const [p, df, q] of table) {
    it(`p = ${p}, df = ${df}: ${q}`, () => {
      expectRel(studentTQuantile(p, df), q, 2000);
      // 1 − p is rounded, which moves an extreme quantile; check the symmetry away from the tail.
      if (p >= 1e-3) expectRel(studentTQuantile(1 - p, df), -q, 2000);
    });
  }
});
