/**
 * Tail-accurate F p-values against closed forms, exactly in rationals.
 *
 * For d1 = 2 and d1 = 4 the upper tail of F(d1, d2) at f is, with
 * x = d2/(d2 + d1·f) and a = d2/2:
 *
 *     d1 = 2:  P = I_x(a, 1) = x^a
 *     d1 = 4:  P = I_x(a, 2) = x^a·(1 + a·(1 − x))
 *
 * so P² = x^{d2}·(…)² is a rational for every integer d2, computed exactly
 * from the double f; the digits of P are those of P² less log10(2).
 * Also the classical F test of a fit (computeInference) with p ≈ 6.6e-225,
 * whose exact value is (RSS/TSS)^{ν/2} with RSS/TSS exact in rationals.
 */
import { describe, expect, it } from 'vitest';
import {
  computeInference,
  fUpperTail,
} from '../../../../packages/core/src/numerics/inference/index.js';
import { solve } from '../../../../packages/core/src/numerics/solve/index.js';
import { factorOf } from '../../support/factor-of.js';
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
} from '../../support/rational.js';

/** a^e by repeated squaring (the operands have thousands of bits). */
function power(a: Q, e: number): Q {
  let r = qInt(1n);
  let base = a;
  for (let k = e; k > 0; k = Math.floor(k / 2)) {
    if (k % 2 === 1) r = qMul(r, base);
    base = qMul(base, base);
  }
  return r;
}

/** Significant digits of `value` against √`square` (exact): half the relative error of value². */
function digitsOfRoot(value: number, square: Q): number {
  const rel = qToNumber(qDiv(qSub(qMul(q(value), q(value)), square), square));
  return rel === 0 ? 17 : -Math.log10(Math.abs(rel) / 2);
}

/** P(F ≥ f)² exactly, for d1 ∈ {2, 4}. */
function exactSquare(f: number, d1: 2 | 4, d2: number): Q {
  const x = qDiv(qInt(BigInt(d2)), qAdd(qInt(BigInt(d2)), qMul(qInt(BigInt(d1)), q(f))));
  const xd2 = power(x, d2);
  if (d1 === 2) return xd2;
  // (1 + a(1 − x))² with a = d2/2: (2 + d2(1 − x))²/4.
  const factor = qDiv(qAdd(qInt(2n), qMul(qInt(BigInt(d2)), qSub(qInt(1n), x))), qInt(2n));
  return qMul(xd2, qMul(factor, factor));
}

describe('F upper tail against closed forms (d1 = 2, 4)', () => {
  const cases: [number, number][] = [];
  for (const d2 of [1, 2, 3, 7, 12, 40, 100, 333, 1000]) {
    for (const target of [0.5, 1e-3, 1e-20, 1e-100, 6.6e-225, 1e-300]) cases.push([d2, target]);
  }
  it.each(cases)('d2 = %i, p ≈ %s: ≥ 13 digits (d1 = 4, odd d2: ≥ 10)', (d2, target) => {
    // f with x^{d2/2} ≈ target (any double f will do: the reference is exact for it).
    const x = target ** (2 / d2);
    const f = (d2 * (1 / x - 1)) / 2;
    if (!Number.isFinite(f) || f <= 0) return;
    for (const d1 of [2, 4] as const) {
      const p = fUpperTail(f, d1, d2);
      // Within ~1e-10 of the underflow threshold @stdlib's betainc loses digits (2.3 at 2e-305).
      if (p < 1e-295) continue;
      // @stdlib's betainc kernel itself has 10.6 digits at I_0.08(2, 166.5) (the exact
      // argument given): the d1 = 4 cases with a half-integer d2/2 are held to that.
      const floor = d1 === 4 && d2 % 2 === 1 ? 10 : 13;
      expect(digitsOfRoot(p, exactSquare(f, d1, d2))).toBeGreaterThanOrEqual(floor);
    }
  });

  it('keeps the edge cases: f ≤ 0 gives 1, f = ∞ gives 0, NaN and bad df give NaN', () => {
    expect(fUpperTail(0, 2, 5)).toBe(1);
    expect(fUpperTail(-1, 2, 5)).toBe(1);
    expect(fUpperTail(Number.POSITIVE_INFINITY, 2, 5)).toBe(0);
    expect(fUpperTail(Number.NaN, 2, 5)).toBeNaN();
    expect(fUpperTail(1, 0, 5)).toBeNaN();
  });
});

describe('the classical F test of a fit, p ≈ 6.6e-225', () => {
  it('has ≥ 12 digits against (RSS/TSS)^{ν/2} in exact rationals', () => {
    // Two features, ν = 100 (even, so the exact p² is rational), R² very close to 1.
    const n = 103;
    const x1 = Float64Array.from({ length: n }, (_, i) => i / 10);
    const x2 = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
    const y = Float64Array.from(
      { length: n },
      (_, i) => 2 + 3 * (x1[i] as number) - (x2[i] as number) + 0.073 * Math.sin(7 * i),
    );
    const factor = factorOf({ intercept: true, x: [x1, x2], y });
    const inference = computeInference(factor, solve(factor));
    expect(inference.fDf1).toBe(2);
    expect(inference.fDf2).toBe(100);
    // Exact RSS/TSS: RSS = yᵀy − bᵀβ from the exact normal equations, TSS = yᵀy − n·ȳ².
    const cols = [new Float64Array(n).fill(1), x1, x2];
    const zero = qInt(0n);
    const g = cols.map((a) =>
      cols.map((b) => a.reduce((s: Q, v, i) => qAdd(s, qMul(q(v), q(b[i] as number))), zero)),
    );
    const b = cols.map((a) =>
      a.reduce((s: Q, v, i) => qAdd(s, qMul(q(v), q(y[i] as number))), zero),
    );
    const yy = y.reduce((s: Q, v) => qAdd(s, qMul(q(v), q(v))), zero);
    const { num, den } = solveExact(
      g,
      b.map((v) => [v]),
    );
    let fitted = zero;
    for (let j = 0; j < 3; j++)
      fitted = qAdd(fitted, qMul(b[j] as Q, qInt(num[j]?.[0] as bigint, den)));
    const rss = qSub(yy, fitted);
    const sy = y.reduce((s: Q, v) => qAdd(s, q(v)), zero);
    const tss = qSub(yy, qDiv(qMul(sy, sy), qInt(BigInt(n))));
    const square = power(qDiv(rss, tss), 100);
    const digits = digitsOfRoot(inference.fPValue, square);
    console.log(`F test: p = ${inference.fPValue.toExponential(6)}, ${digits.toFixed(2)} digits`);
    expect(inference.fPValue).toBeGreaterThan(1e-226);
    expect(inference.fPValue).toBeLessThan(1e-223);
    expect(digits).toBeGreaterThanOrEqual(12);
  });
});
