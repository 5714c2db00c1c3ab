import { describe, expect, it } from 'vitest';
import {
  createAccumulator,
  finalizeAccumulator,
  mergeAccumulators,
  updateAccumulator,
} from '../../../../packages/core/src/numerics/accumulate/index.js';
import type {
  AccumulatorKind,
  AccumulatorSpec,
} from '../../../../packages/core/src/numerics/types.js';
import {
  type Dataset,
  EPS,
  factorDifference,
  gramOfFactor,
  isUpperTriangular,
  realDataset,
  seededRandom,
  slice,
  whole,
} from './accumulator-reference.js';

const spec = (kind: AccumulatorKind, p: number, intercept = true): AccumulatorSpec => ({
  kind,
  p,
  intercept,
  weighted: false,
});

function factor(kind: AccumulatorKind, d: Dataset, intercept = true, batchRows = 97) {
  const s = createAccumulator(spec(kind, d.p, intercept));
  for (let i = 0; i < d.n; i += batchRows)
    updateAccumulator(s, slice(d, i, Math.min(d.n, i + batchRows)));
  return finalizeAccumulator(s);
}

describe('normal accumulator', () => {
  for (const intercept of [true, false]) {
    it(`agrees with qr on well-conditioned data (intercept = ${intercept})`, () => {
      const d = realDataset(1000, 7, 42);
      const a = factor('normal', d, intercept);
      const b = factor('qr', d, intercept);
      expect(a.k).toBe(b.k);
      expect(isUpperTriangular(a.r, a.k)).toBe(true);
      expect(factorDifference(a.r, b.r, a.k)).toBeLessThan(1e-10);
      expect(a.digitsLostEstimate).toBeGreaterThanOrEqual(0);
      expect(a.digitsLostEstimate).toBeLessThan(3);
      expect(a.rows).toBe(1000);
      expect(a.sumWeights).toBe(1000);
    });
  }

  it('keeps every digit of the spread of columns near 1e9 (centered co-moments)', () => {
    // x = 1e9 + j/1024 is exact in double; the exact centered co-moments are
    // computed in BigInt (scaled by 1024²) from the same values.
    const n = 3000;
    const rnd = seededRandom(7);
    const ticks = [0, 1].map(() => Array.from({ length: n }, () => Math.floor(rnd() * 4096)));
    const cols = ticks.map((t) => Float64Array.from(t, (v) => 1e9 + v / 1024));
    const yTicks = Array.from(
      { length: n },
      (_, i) => 3 * (ticks[0] as number[])[i] - (ticks[1] as number[])[i] + Math.floor(rnd() * 64),
    );
    const y = Float64Array.from(yTicks, (v) => 2e9 + v / 1024);
    const d: Dataset = { n, p: 2, x: cols, y };
    const all = [...ticks, yTicks].map((t, c) =>
      t.map((v) => BigInt(v) + BigInt(c === 2 ? 2e9 : 1e9) * 1024n),
    );
    const exactC = (a: number, b: number) => {
      let sab = 0n;
      let sa = 0n;
      let sb = 0n;
      for (let i = 0; i < n; i++) {
        const u = (all[a] as bigint[])[i] as bigint;
        const v = (all[b] as bigint[])[i] as bigint;
        sab += u * v;
        sa += u;
        sb += v;
      }
      // n·C·1024² = n Σuv − Σu Σv.
      return Number(BigInt(n) * sab - sa * sb) / n / 1024 ** 2;
    };
    // Several batches and a merge, so both the per-batch pass and the pairwise update are exercised.
    const s1 = createAccumulator(spec('normal', 2));
    const s2 = createAccumulator(spec('normal', 2));
    updateAccumulator(s1, slice(d, 0, 1000));
    updateAccumulator(s1, slice(d, 1000, 1700));
    updateAccumulator(s2, slice(d, 1700, n));
    const f = finalizeAccumulator(mergeAccumulators(s1, s2));
    const k = f.k;
    const g = gramOfFactor(f.r, k);
    // The co-moment block of RᵀR − (first row)ᵀ(first row) is SᵀS = C.
    for (let a = 0; a < 3; a++) {
      for (let b = a; b < 3; b++) {
        const want = exactC(a, b);
        let got = 0;
        for (let i = 1; i <= Math.min(a, b) + 1; i++)
          got += (f.r[i * k + a + 1] as number) * (f.r[i * k + b + 1] as number);
        const scale = Math.sqrt(exactC(a, a) * exactC(b, b));
        expect(Math.abs(got - want), `C[${a}][${b}] = ${want}`).toBeLessThanOrEqual(1e-12 * scale);
      }
    }
    // The first row carries the means: R[0][1+c] / √W = x̄_c.
    const t0 = ticks[0] as number[];
    const exactMean = 1e9 + t0.reduce((acc, v) => acc + v, 0) / n / 1024;
    expect(Math.abs((f.r[1] as number) / (f.r[0] as number) - exactMean)).toBeLessThanOrEqual(
      4 * EPS * 1e9,
    );
    expect(g[0]).toBeCloseTo(n, 10);
    // Residual of the Gram route equals the one computed from the exact co-moments.
    expect(f.digitsLostEstimate).toBeLessThan(1);
  });

  it('zeroes the row of an aliased column (x2 = x1 + 1) and still fits y', () => {
    const x1 = Float64Array.from([1, 2, 3, 4, 5]);
    const x2 = Float64Array.from([2, 3, 4, 5, 6]);
    const y = Float64Array.from([3, 5, 7, 9, 11]);
    const s = createAccumulator(spec('normal', 2));
    updateAccumulator(s, { rows: 5, x: [x1, x2], y });
    const f = finalizeAccumulator(s);
    const k = f.k;
    for (let j = 0; j < k; j++) expect(f.r[2 * k + j]).toBe(0);
    expect(f.r[0]).toBeCloseTo(Math.sqrt(5), 14);
    expect(f.r[1 * k + 1]).toBeCloseTo(Math.sqrt(10), 14);
    // y = 2 x1 + 1 exactly: zero residual.
    expect(Math.abs(f.r[3 * k + 3] as number)).toBeLessThan(1e-7);
    expect(Number.isFinite(f.digitsLostEstimate)).toBe(true);
  });

  it('estimates the digits lost from the condition of the centered design', () => {
    const n = 2000;
    const rnd = seededRandom(99);
    const x1 = Float64Array.from({ length: n }, () => rnd() - 0.5);
    const y = Float64Array.from({ length: n }, () => rnd());
    const estimates: number[] = [];
    for (const delta of [1, 1e-2, 1e-4]) {
      const x2 = Float64Array.from(x1, (v) => v + delta * (rnd() - 0.5));
      const s = createAccumulator(spec('normal', 2));
      updateAccumulator(s, { rows: n, x: [x1, x2], y });
      estimates.push(finalizeAccumulator(s).digitsLostEstimate);
    }
    // κ of [x1, x1 + δ u] (unit columns) grows like 1/δ.
    expect(estimates[0]).toBeLessThan(1);
    expect(estimates[1]).toBeGreaterThan(1.5);
    expect(estimates[1]).toBeLessThan(3.5);
    expect(estimates[2]).toBeGreaterThan(3.5);
    expect(estimates[2]).toBeLessThan(5.5);
  });

  it('without an intercept holds the raw Gram: RᵀR = Σ a aᵀ', () => {
    const d = realDataset(300, 3, 5);
    const f = factor('normal', d, false, 64);
    const g = gramOfFactor(f.r, f.k);
    const k = f.k;
    const cols = [...d.x, d.y];
    for (let a = 0; a < k; a++) {
      for (let b = a; b < k; b++) {
        let want = 0;
        let na = 0;
        let nb = 0;
        const ca = cols[a] as Float64Array;
        const cb = cols[b] as Float64Array;
        for (let i = 0; i < d.n; i++) {
          want += ca[i] * cb[i];
          na += ca[i] ** 2;
          nb += cb[i] ** 2;
        }
        expect(Math.abs((g[a * k + b] as number) - want)).toBeLessThanOrEqual(
          100 * k * EPS * Math.sqrt(na * nb),
        );
      }
    }
    expect(whole(d).rows).toBe(300);
  });
});
