/**
 * Double-double arithmetic used by the refinement pass, checked against exact
 * BigInt rationals: TwoProduct is exact, and sums, products, quotients and
 * square roots carry ~106 bits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ddAdd,
  ddDiv,
  ddMul,
  ddSqrt,
  twoProduct,
} from '../../../../packages/core/src/numerics/linalg/index.js';
import { type Q, q, qAdd, qMul, qSub, qToNumber } from '../../support/rational.js';

/** Normal doubles of either sign, away from underflow and overflow (where TwoProduct is exact). */
const finite = fc
  .tuple(fc.double({ min: 1e-100, max: 1e100, noNaN: true }), fc.boolean())
  .map(([x, negative]) => (negative ? -x : x));
const pairValue = (h: number, l: number): Q => qAdd(q(h), q(l));
/** |x − t| / |t| as a double, computed exactly before rounding. */
const relative = (x: Q, t: Q) => Math.abs(qToNumber(qSub(x, t))) / Math.abs(qToNumber(t));

describe('double-double', () => {
  it('TwoProduct is exact: p + e = a·b (property, fixed seed)', () => {
    const out = new Float64Array(2);
    fc.assert(
      fc.property(finite, finite, (a, b) => {
        twoProduct(a, b, out, 0);
        const exact = qMul(q(a), q(b));
        const got = pairValue(out[0], out[1]);
        expect(got.n * exact.d).toBe(exact.n * got.d);
      }),
      { seed: 1, numRuns: 300 },
    );
  });

  it('sum of 10,000 terms with cancellation is exact to ~1e-30', () => {
    const acc = new Float64Array(2);
    let exact: Q = { n: 0n, d: 1n };
    for (let i = 0; i < 10000; i++) {
      const x = (i % 2 === 0 ? 1e8 : -1e8) + 1 / (i + 3);
      ddAdd(acc, 0, x, 0);
      exact = qAdd(exact, q(x));
    }
    expect(relative(pairValue(acc[0], acc[1]), exact)).toBeLessThan(1e-28);
  });

  it('products, quotients and square roots carry ~106 bits (property, fixed seed)', () => {
    const out = new Float64Array(2);
    const positive = fc.double({ min: 1e-50, max: 1e50, noNaN: true });
    fc.assert(
      fc.property(positive, positive, positive, (a, b, c) => {
        // A dd operand with a nonzero low part: a + a·2⁻⁶⁰.
        const al = a * 2 ** -60;
        ddMul(a, al, b, 0, out, 0);
        expect(relative(pairValue(out[0], out[1]), qMul(pairValue(a, al), q(b)))).toBeLessThan(
          1e-30,
        );
        ddDiv(a, al, c, 0, out, 0);
        const quotient = pairValue(out[0], out[1]);
        expect(relative(qMul(quotient, q(c)), pairValue(a, al))).toBeLessThan(1e-30);
        ddSqrt(a, al, out, 0);
        const root = pairValue(out[0], out[1]);
        expect(relative(qMul(root, root), pairValue(a, al))).toBeLessThan(1e-30);
      }),
      { seed: 2, numRuns: 200 },
    );
  });
});
