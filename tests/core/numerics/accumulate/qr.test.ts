import { describe, expect, it } from 'vitest';
import {
  createAccumulator,
  finalizeAccumulator,
  mergeAccumulators,
  updateAccumulator,
} from '../../../../packages/core/src/numerics/accumulate/index.js';
import type { AccumulatorSpec } from '../../../../packages/core/src/numerics/types.js';
import {
  EPS,
  exactGram,
  exactLeastSquares,
  factorDifference,
  gramOfFactor,
  integerDataset,
  isUpperTriangular,
  slice,
  solveFromFactor,
  whole,
} from './accumulator-reference.js';

const qr = (p: number, intercept = true): AccumulatorSpec => ({
  kind: 'qr',
  p,
  intercept,
  weighted: false,
});

describe('qr accumulator against exact rational references', () => {
  // p + intercept + 1 = k covers k < 4, k a multiple of 4 and ragged panels.
  const cases = [
    { n: 40, p: 0, intercept: true },
    { n: 40, p: 1, intercept: false },
    { n: 50, p: 2, intercept: true },
    { n: 130, p: 3, intercept: false },
    { n: 200, p: 6, intercept: true },
    { n: 333, p: 13, intercept: true },
  ];

  for (const { n, p, intercept } of cases) {
    it(`RᵀR equals the exact Gram (n = ${n}, p = ${p}, intercept = ${intercept})`, () => {
      const d = integerDataset(n, p, 1000 + p);
      const s = createAccumulator(qr(p, intercept));
      // Uneven batches, so blocks straddle batch boundaries.
      const cuts = [0, Math.floor(n / 3), Math.floor(n / 3) + 1, n];
      for (let i = 0; i + 1 < cuts.length; i++) {
        updateAccumulator(s, slice(d, cuts[i] as number, cuts[i + 1] as number));
      }
      const f = finalizeAccumulator(s);
      const k = f.k;
      expect(k).toBe(p + 1 + (intercept ? 1 : 0));
      expect(isUpperTriangular(f.r, k)).toBe(true);
      const exact = exactGram(d, intercept);
      const g = gramOfFactor(f.r, k);
      for (let a = 0; a < k; a++) {
        expect(f.r[a * k + a]).toBeGreaterThanOrEqual(0);
        for (let b = 0; b < k; b++) {
          const want = Number((exact[a] as bigint[])[b]);
          const scale = Math.sqrt(
            Number((exact[a] as bigint[])[a]) * Number((exact[b] as bigint[])[b]),
          );
          const tol = 20 * k * EPS * scale;
          expect(
            Math.abs((g[a * k + b] as number) - want),
            `G[${a}][${b}] = ${want}`,
          ).toBeLessThanOrEqual(tol);
        }
      }
      expect(f.rows).toBe(n);
      expect(f.rowsPositiveWeight).toBe(n);
      expect(f.sumWeights).toBe(n);
      expect(f.sumLogWeights).toBe(0);
      expect(f.digitsLostEstimate).toBe(0);
    });
  }

  it('least-squares coefficients and RSS from R match the exact rational solve', () => {
    const d = integerDataset(90, 4, 77);
    const s = createAccumulator(qr(4));
    updateAccumulator(s, whole(d));
    const f = finalizeAccumulator(s);
    const { beta, rss } = exactLeastSquares(exactGram(d, true));
    const got = solveFromFactor(f.r, f.k);
    for (let j = 0; j < beta.length; j++) {
      const want = beta[j] as number;
      expect(Math.abs((got[j] as number) - want), `β${j} = ${want}`).toBeLessThanOrEqual(
        1e-11 * Math.max(1, Math.abs(want)),
      );
    }
    const rFinal = f.r[f.k * f.k - 1] as number;
    expect(Math.abs(rFinal * rFinal - rss) / rss).toBeLessThan(1e-11);
  });

  it('an intercept-only fit gives R = [[√n, √n ȳ], [0, √(Σ(y − ȳ)²)]]', () => {
    const y = Float64Array.from([3, 5, 7, 9, 11]);
    const s = createAccumulator(qr(0));
    updateAccumulator(s, { rows: 5, x: [], y });
    const f = finalizeAccumulator(s);
    expect(f.r[0]).toBeCloseTo(Math.sqrt(5), 14);
    expect(f.r[1]).toBeCloseTo(Math.sqrt(5) * 7, 13);
    expect(f.r[2]).toBe(0);
    expect(f.r[3]).toBeCloseTo(Math.sqrt(40), 13);
  });

  it('the collinear toy set (x2 = x1 + 1) leaves a negligible pivot for x2', () => {
    const x1 = Float64Array.from([1, 2, 3, 4, 5]);
    const x2 = Float64Array.from([2, 3, 4, 5, 6]);
    const y = Float64Array.from([3, 5, 7, 9, 11]);
    const s = createAccumulator(qr(2));
    updateAccumulator(s, { rows: 5, x: [x1, x2], y });
    const f = finalizeAccumulator(s);
    const k = f.k;
    const colNorm = Math.sqrt(4 + 9 + 16 + 25 + 36);
    expect(Math.abs(f.r[2 * k + 2] as number)).toBeLessThan(10 * EPS * colNorm);
    // y is exactly x1 + x2, so the residual is zero too.
    expect(Math.abs(f.r[3 * k + 3] as number)).toBeLessThan(
      1e-13 * Math.sqrt(9 + 25 + 49 + 81 + 121),
    );
  });

  it('merging states equals one state over all rows (structured triangle merge, ragged panels)', () => {
    const d = integerDataset(400, 21, 31);
    const one = createAccumulator(qr(21));
    updateAccumulator(one, whole(d));
    const cuts = [0, 37, 180, 181, 400];
    const states = cuts.slice(1).map((to, i) => {
      const s = createAccumulator(qr(21));
      updateAccumulator(s, slice(d, cuts[i] as number, to));
      return s;
    });
    const merged = states.reduce((acc, s) => mergeAccumulators(acc, s));
    const a = finalizeAccumulator(merged);
    const b = finalizeAccumulator(one);
    expect(isUpperTriangular(a.r, a.k)).toBe(true);
    expect(factorDifference(a.r, b.r, a.k)).toBeLessThan(1e-13);
    expect(a.rows).toBe(400);
  });

  for (const scale of [1e200, 1e155, 1e-200]) {
    it(`rows of magnitude ${scale} neither overflow nor underflow (R scales exactly)`, () => {
      const d = integerDataset(100, 3, 8);
      const scaled = {
        ...d,
        x: d.x.map((c) => c.map((v) => v * scale)),
        y: d.y.map((v) => v * scale),
      };
      const a = createAccumulator(qr(3, false));
      updateAccumulator(a, whole(scaled));
      const b = createAccumulator(qr(3, false));
      updateAccumulator(b, whole(d));
      const ra = finalizeAccumulator(a).r.map((v) => v / scale);
      expect(factorDifference(ra, finalizeAccumulator(b).r, 4)).toBeLessThan(1e-13);
    });
  }

  it('an empty batch and a batch of zero rows change nothing', () => {
    const d = integerDataset(20, 2, 5);
    const s = createAccumulator(qr(2));
    updateAccumulator(s, whole(d));
    const before = s.data.slice();
    updateAccumulator(s, slice(d, 3, 3));
    expect(s.data).toEqual(before);
  });

  it('rejects a batch whose shape does not match the spec', () => {
    const d = integerDataset(10, 2, 9);
    const s = createAccumulator(qr(3));
    expect(() => updateAccumulator(s, whole(d))).toThrow(/2 feature columns.*p = 3/);
    const t = createAccumulator(qr(2));
    expect(() => updateAccumulator(t, { rows: 10, x: d.x, y: d.y.subarray(0, 5) })).toThrow(
      /target has 5 values/,
    );
  });
});
