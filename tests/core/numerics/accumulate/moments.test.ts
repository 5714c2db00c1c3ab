import { NumericInputError, StateFormatError } from '@linreg/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createMoments,
  deserializeMoments,
  mergeMoments,
  readMoments,
  serializeMoments,
  updateMoments,
} from '../../../../packages/core/src/numerics/accumulate/index.js';
import {
  createRandom,
  nextGaussian,
  standardizationFrom,
  toOriginal,
  toStandardized,
} from '../../../../packages/core/src/numerics/sgd/index.js';
import type { DesignBatch } from '../../../../packages/core/src/numerics/types.js';

function slice(batch: DesignBatch, from: number, to: number): DesignBatch {
  return {
    rows: to - from,
    x: batch.x.map((c) => c.subarray(from, to)),
    y: batch.y.subarray(from, to),
    w: batch.w?.subarray(from, to),
  };
}

function data(n: number, p: number, seed: number, weighted: boolean): DesignBatch {
  const rng = createRandom(seed);
  const x = Array.from({ length: p }, (_, j) =>
    Float64Array.from({ length: n }, () => j * 10 + nextGaussian(rng) * (j + 1)),
  );
  const y = Float64Array.from({ length: n }, () => 5 + nextGaussian(rng));
  const w = weighted ? Float64Array.from({ length: n }, (_, i) => (i % 3) * 0.5) : undefined;
  return { rows: n, x, y, w };
}

/** Two-pass weighted mean and population variance, written out directly. */
function direct(
  col: Float64Array,
  w: Float64Array | undefined,
): { mean: number; variance: number } {
  let sw = 0;
  let s = 0;
  for (let i = 0; i < col.length; i++) {
    const wi = w === undefined ? 1 : w[i];
    sw += wi;
    s += wi * col[i];
  }
  const mean = s / sw;
  let ss = 0;
  for (let i = 0; i < col.length; i++) ss += (w === undefined ? 1 : w[i]) * (col[i] - mean) ** 2;
  return { mean, variance: ss / sw };
}

describe('moments: per-column weighted mean and centered second moment', () => {
  for (const weighted of [false, true]) {
    it(`agrees with a direct two-pass computation (${weighted ? 'weighted' : 'unweighted'})`, () => {
      const batch = data(500, 3, 1, weighted);
      const state = createMoments(3);
      updateMoments(state, batch);
      const m = readMoments(state);
      expect(m.rows).toBe(500);
      for (let c = 0; c < 4; c++) {
        const col = c < 3 ? batch.x[c] : batch.y;
        const ref = direct(col, batch.w);
        expect(m.mean[c]).toBeCloseTo(ref.mean, 12);
        expect(m.m2[c] / m.sumWeights).toBeCloseTo(ref.variance, 10);
      }
    });
  }

  it('any batching and merge grouping agrees to rounding (fast-check, fixed seed)', () => {
    const batch = data(200, 2, 2, true);
    const whole = createMoments(2);
    updateMoments(whole, batch);
    const ref = readMoments(whole);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 199 }), { maxLength: 6 }),
        fc.boolean(),
        (cuts, reverse) => {
          const bounds = [0, ...[...new Set(cuts)].sort((a, b) => a - b), 200];
          const parts = bounds.slice(1).map((to, i) => {
            const s = createMoments(2);
            updateMoments(s, slice(batch, bounds[i], to));
            return s;
          });
          if (reverse) parts.reverse();
          const merged = parts.reduce((a, b) => mergeMoments(a, b));
          const m = readMoments(merged);
          expect(m.rows).toBe(200);
          for (let c = 0; c < 3; c++) {
            expect(Math.abs(m.mean[c] - ref.mean[c])).toBeLessThanOrEqual(
              1e-13 * (1 + Math.abs(ref.mean[c])),
            );
            expect(Math.abs(m.m2[c] - ref.m2[c])).toBeLessThanOrEqual(1e-12 * ref.m2[c]);
            expect(m.min[c]).toBe(ref.min[c]);
            expect(m.max[c]).toBe(ref.max[c]);
          }
        },
      ),
      { seed: 20261129, numRuns: 100 },
    );
  });

  it('integer weights equal row duplication', () => {
    const base = data(50, 2, 3, false);
    const w = Float64Array.from({ length: 50 }, (_, i) => i % 4);
    const weighted = createMoments(2);
    updateMoments(weighted, { ...base, w });
    const dup = createMoments(2);
    const idx: number[] = [];
    for (let i = 0; i < 50; i++) for (let k = 0; k < w[i]; k++) idx.push(i);
    updateMoments(dup, {
      rows: idx.length,
      x: base.x.map((c) => Float64Array.from(idx, (i) => c[i])),
      y: Float64Array.from(idx, (i) => base.y[i]),
    });
    const a = readMoments(weighted);
    const b = readMoments(dup);
    expect(a.sumWeights).toBe(b.sumWeights);
    for (let c = 0; c < 3; c++) {
      expect(a.mean[c]).toBeCloseTo(b.mean[c], 12);
      expect(a.m2[c]).toBeCloseTo(b.m2[c], 9);
    }
  });

  it('keeps every digit of the spread of a column near 1e9', () => {
    const n = 1000;
    const x = Float64Array.from({ length: n }, (_, i) => 1e9 + (i % 10) * 0.001);
    const state = createMoments(1);
    for (let from = 0; from < n; from += 37) {
      const to = Math.min(n, from + 37);
      const part = createMoments(1);
      updateMoments(part, { rows: to - from, x: [x.subarray(from, to)], y: x.subarray(from, to) });
      mergeMoments(state, part);
    }
    const m = readMoments(state);
    // Values are 1e9 + k·0.001, k = 0..9 equally often: variance 8.25e-6 exactly (up to the
    // representation of the inputs, ~1e-7 absolute at 1e9 → 1e-4 relative on the spread).
    expect(m.m2[0] / n).toBeCloseTo(8.25e-6, 9);
    expect(Math.abs(m.m2[0] / n / 8.25e-6 - 1)).toBeLessThan(1e-3);
  });

  it('round-trips through its buffer and rejects foreign buffers', () => {
    const s = createMoments(2);
    updateMoments(s, data(10, 2, 4, false));
    const copy = deserializeMoments(serializeMoments(s).slice(0));
    expect(Array.from(copy.data)).toEqual(Array.from(s.data));
    expect(() => deserializeMoments(new ArrayBuffer(12))).toThrow(StateFormatError);
    const bad = s.data.slice();
    bad[0] = 1;
    expect(() => deserializeMoments(bad.buffer)).toThrow(/magic/);
    expect(() => deserializeMoments(s.data.slice(0, s.data.length - 1).buffer)).toThrow(/length/);
    const flipped = new Uint8Array(serializeMoments(s).slice(0));
    flipped[flipped.length - 3] ^= 1;
    expect(() => deserializeMoments(flipped.buffer)).toThrow(/checksum/);
  });

  it('rejects negative or non-finite weights naming the row', () => {
    const s = createMoments(1);
    const batch = {
      rows: 3,
      x: [new Float64Array(3)],
      y: new Float64Array(3),
      w: new Float64Array([1, -1, 1]),
    };
    expect(() => updateMoments(s, batch)).toThrow(/in row 1 of the batch/);
    expect(() =>
      updateMoments(s, { ...batch, w: new Float64Array([1, 1, Number.POSITIVE_INFINITY]) }),
    ).toThrow(NumericInputError);
  });
});

describe('standardize: coordinates of the SGD fit', () => {
  it('maps coefficients to standardized parameters and back exactly (to rounding)', () => {
    const batch = data(300, 3, 5, true);
    const state = createMoments(3);
    updateMoments(state, batch);
    for (const intercept of [true, false]) {
      const std = standardizationFrom(state, intercept);
      const beta = intercept
        ? new Float64Array([1.5, -2, 0.25, 3])
        : new Float64Array([-2, 0.25, 3]);
      const back = toOriginal(toStandardized(beta, std), std);
      for (let i = 0; i < beta.length; i++) expect(back[i]).toBeCloseTo(beta[i], 12);
      // Predictions agree: y = b + xβ = ȳ + s_y (c + zθ) on a row.
      const theta = toStandardized(beta, std);
      const row = [batch.x[0][7], batch.x[1][7], batch.x[2][7]];
      let yOrig = intercept ? beta[0] : 0;
      let yStd = intercept ? theta[0] : 0;
      const off = intercept ? 1 : 0;
      for (let j = 0; j < 3; j++) {
        yOrig += beta[off + j] * row[j];
        yStd += theta[off + j] * (row[j] - std.center[j]) * std.invScale[j];
      }
      expect(std.center[3] + std.scale[3] * yStd).toBeCloseTo(yOrig, 10);
    }
  });

  it('uses the population sd with an intercept and the RMS without', () => {
    const x = new Float64Array([1, 2, 3, 4]);
    const state = createMoments(1);
    updateMoments(state, { rows: 4, x: [x], y: x });
    expect(standardizationFrom(state, true).scale[0]).toBeCloseTo(Math.sqrt(1.25), 15);
    expect(standardizationFrom(state, false).scale[0]).toBeCloseTo(Math.sqrt(7.5), 15);
    expect(standardizationFrom(state, false).center[0]).toBe(0);
  });

  it('flags constant columns: scale 1, no standardized value', () => {
    const state = createMoments(2);
    const c = new Float64Array([0.1, 0.1, 0.1]);
    updateMoments(state, {
      rows: 3,
      x: [new Float64Array([1, 2, 4]), c],
      y: new Float64Array([1, 1, 2]),
    });
    const std = standardizationFrom(state, true);
    expect(Array.from(std.constant)).toEqual([0, 1, 0]);
    expect(std.scale[1]).toBe(1);
    expect(std.invScale[1]).toBe(0);
    // Without an intercept a constant non-zero column is an ordinary feature.
    expect(standardizationFrom(state, false).constant[1]).toBe(0);
    expect(() => standardizationFrom(createMoments(1), true)).toThrow(/no rows/);
  });
});
