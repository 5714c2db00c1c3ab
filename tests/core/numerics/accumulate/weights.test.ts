import { NumericInputError } from '@linreg/errors';
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
  factorDifference,
  realDataset,
  seededRandom,
  slice,
  whole,
} from './accumulator-reference.js';

const kinds: AccumulatorKind[] = ['qr', 'normal'];

const spec = (
  kind: AccumulatorKind,
  p: number,
  weighted: boolean,
  intercept = true,
): AccumulatorSpec => ({
  kind,
  p,
  intercept,
  weighted,
});

function factorOf(s: AccumulatorSpec, d: Dataset, batchRows = 50) {
  const st = createAccumulator(s);
  for (let i = 0; i < d.n; i += batchRows)
    updateAccumulator(st, slice(d, i, Math.min(d.n, i + batchRows)));
  return finalizeAccumulator(st);
}

/** Repeats row i of d w[i] times (w integer). */
function duplicate(d: Dataset, w: Float64Array): Dataset {
  const idx: number[] = [];
  for (let i = 0; i < d.n; i++) for (let r = 0; r < (w[i] as number); r++) idx.push(i);
  const pick = (c: Float64Array) => Float64Array.from(idx, (i) => c[i] as number);
  return { n: idx.length, p: d.p, x: d.x.map(pick), y: pick(d.y) };
}

describe('weighted accumulators', () => {
  for (const kind of kinds) {
    it(`${kind}: integer weights equal row duplication, zero weights equal dropped rows`, () => {
      const base = realDataset(300, 4, 11);
      const rnd = seededRandom(3);
      const w = Float64Array.from({ length: base.n }, () => Math.floor(rnd() * 4)); // 0..3, about ¼ zeros
      const weighted = factorOf(spec(kind, 4, true), { ...base, w });
      const dup = factorOf(spec(kind, 4, false), duplicate(base, w), 64);
      expect(factorDifference(weighted.r, dup.r, weighted.k)).toBeLessThan(1e-12);
      const zeros = Array.from(w).filter((v) => v === 0).length;
      expect(zeros).toBeGreaterThan(30);
      expect(weighted.rows).toBe(base.n);
      expect(weighted.rowsPositiveWeight).toBe(base.n - zeros);
      expect(weighted.sumWeights).toBe(Array.from(w).reduce((a, b) => a + b, 0));
      const logs = Array.from(w)
        .filter((v) => v > 0)
        .reduce((a, b) => a + Math.log(b), 0);
      expect(weighted.sumLogWeights).toBeCloseTo(logs, 10);
    });

    it(`${kind}: a weight w scales the row by √w (no intercept)`, () => {
      const base = realDataset(200, 3, 12);
      const rnd = seededRandom(4);
      const w = Float64Array.from({ length: base.n }, () => 0.1 + 3 * rnd());
      const scaled: Dataset = {
        n: base.n,
        p: base.p,
        x: base.x.map((c) => Float64Array.from(c, (v, i) => v * Math.sqrt(w[i] as number))),
        y: Float64Array.from(base.y, (v, i) => v * Math.sqrt(w[i] as number)),
      };
      const a = factorOf(spec(kind, 3, true, false), { ...base, w });
      const b = factorOf(spec(kind, 3, false, false), scaled);
      expect(factorDifference(a.r, b.r, a.k)).toBeLessThan(1e-12);
    });

    it(`${kind}: an all-zero-weight batch only counts rows`, () => {
      const base = realDataset(100, 2, 13);
      const w = new Float64Array(base.n).fill(1);
      const s = createAccumulator(spec(kind, 2, true));
      updateAccumulator(s, whole({ ...base, w }));
      const before = finalizeAccumulator(s);
      updateAccumulator(s, whole({ ...base, w: new Float64Array(base.n) }));
      const after = finalizeAccumulator(s);
      expect(after.r).toEqual(before.r);
      expect(after.rows).toBe(200);
      expect(after.rowsPositiveWeight).toBe(100);
      expect(after.sumWeights).toBe(100);
    });

    it(`${kind}: merging a state that saw only zero weights is the identity`, () => {
      const base = realDataset(100, 2, 14);
      const a = createAccumulator(spec(kind, 2, true));
      updateAccumulator(a, whole({ ...base, w: new Float64Array(base.n).fill(2) }));
      const ref = finalizeAccumulator(a);
      const empty = createAccumulator(spec(kind, 2, true));
      updateAccumulator(empty, whole({ ...base, w: new Float64Array(base.n) }));
      const merged = finalizeAccumulator(mergeAccumulators(empty, a));
      expect(factorDifference(merged.r, ref.r, ref.k)).toBeLessThan(1e-15);
      expect(merged.rows).toBe(200);
    });
  }

  const bad: [string, number][] = [
    ['negative', -0.5],
    ['NaN', Number.NaN],
    ['infinite', Number.POSITIVE_INFINITY],
  ];
  for (const [label, value] of bad) {
    it(`rejects a ${label} weight, naming the row, and leaves the state unchanged`, () => {
      const base = realDataset(10, 2, 15);
      const w = new Float64Array(10).fill(1);
      w[7] = value;
      const s = createAccumulator(spec('qr', 2, true));
      updateAccumulator(s, whole({ ...base, w: new Float64Array(10).fill(1) }));
      const before = s.data.slice();
      let caught: unknown;
      try {
        updateAccumulator(s, whole({ ...base, w }), 1000);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(NumericInputError);
      const err = caught as NumericInputError;
      expect(err.row).toBe(1007);
      expect(err.column).toBe('w');
      expect(err.message).toMatch(/row 1007 \(row 7 of the batch\)/);
      expect(s.data).toEqual(before);
    });
  }

  it('requires weights exactly when the spec is weighted', () => {
    const base = realDataset(10, 1, 16);
    const weighted = createAccumulator(spec('normal', 1, true));
    expect(() => updateAccumulator(weighted, whole(base))).toThrow(NumericInputError);
    const plain = createAccumulator(spec('normal', 1, false));
    expect(() =>
      updateAccumulator(plain, whole({ ...base, w: new Float64Array(10).fill(1) })),
    ).toThrow(/unweighted/);
  });

  it('refuses to merge states of different specs', () => {
    const a = createAccumulator(spec('qr', 2, true));
    for (const other of [
      spec('qr', 2, false),
      spec('normal', 2, true),
      spec('qr', 3, true),
      spec('qr', 2, true, false),
    ]) {
      expect(() => mergeAccumulators(a, createAccumulator(other))).toThrow(NumericInputError);
    }
  });
});
