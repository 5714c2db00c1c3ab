/**
 * One-hot blocks (DesignBatch.sparse) in the Gram accumulator: the same
 * factor as the dense columns give, to rounding, with and without an
 * intercept and weights, for any split into batches and merge grouping
 * (fast-check); TSQR densifies them; malformed layouts are refused.
 */
import { NumericInputError } from '@linreg/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createAccumulator,
  finalizeAccumulator,
  mergeAccumulators,
  updateAccumulator,
} from '../../../../packages/core/src/numerics/accumulate/index.js';
import type {
  AccumulatorKind,
  DesignBatch,
  SparseColumns,
} from '../../../../packages/core/src/numerics/types.js';
import { seededRandom } from './accumulator-reference.js';

/**
 * n rows of: dense x0, a 4-level factor (columns 1–3, level 0 the reference),
 * dense x4, a 3-level factor times x0 (columns 5–7, full coding), and y.
 */
function table(n: number, seed: number) {
  const rnd = seededRandom(seed);
  const x0 = Float64Array.from({ length: n }, () => rnd() * 10 + 1000);
  const x4 = Float64Array.from({ length: n }, () => rnd() - 0.5);
  const f1 = Int32Array.from({ length: n }, () => Math.floor(rnd() * 4));
  const f2 = Int32Array.from({ length: n }, () => Math.floor(rnd() * 3));
  const y = Float64Array.from(
    { length: n },
    (_, i) => 2 * (x0[i] as number) + (f1[i] as number) - (x4[i] as number) + rnd(),
  );
  const w = Float64Array.from({ length: n }, () => (rnd() < 0.1 ? 0 : 0.5 + rnd()));
  return { x0, x4, f1, f2, y, w };
}

type Table = ReturnType<typeof table>;
const P = 8;

function denseBatch(t: Table, start: number, end: number, weighted: boolean): DesignBatch {
  const n = end - start;
  const cols = Array.from({ length: P }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const r = start + i;
    (cols[0] as Float64Array)[i] = t.x0[r] as number;
    const l1 = t.f1[r] as number;
    if (l1 > 0) (cols[l1] as Float64Array)[i] = 1;
    (cols[4] as Float64Array)[i] = t.x4[r] as number;
    (cols[5 + (t.f2[r] as number)] as Float64Array)[i] = t.x0[r] as number;
  }
  return {
    rows: n,
    x: cols,
    y: t.y.slice(start, end),
    w: weighted ? t.w.slice(start, end) : undefined,
  };
}

function sparseBatch(t: Table, start: number, end: number, weighted: boolean): DesignBatch {
  const n = end - start;
  const block1 = Int32Array.from({ length: n }, (_, i) => {
    const l = t.f1[start + i] as number;
    return l === 0 ? -1 : l;
  });
  const block2 = Int32Array.from({ length: n }, (_, i) => 5 + (t.f2[start + i] as number));
  const sparse: SparseColumns = {
    dense: Int32Array.of(0, 4),
    columns: [block1, block2],
    values: [undefined, t.x0.slice(start, end)],
  };
  return {
    rows: n,
    x: [t.x0.slice(start, end), t.x4.slice(start, end)],
    y: t.y.slice(start, end),
    w: weighted ? t.w.slice(start, end) : undefined,
    sparse,
  };
}

function factorOf(
  kind: AccumulatorKind,
  t: Table,
  cuts: readonly number[],
  intercept: boolean,
  weighted: boolean,
  sparse: boolean,
) {
  const spec = { kind, p: P, intercept, weighted };
  const states = [];
  let start = 0;
  for (const end of [...cuts, t.y.length]) {
    const s = createAccumulator(spec);
    if (end > start) {
      updateAccumulator(s, (sparse ? sparseBatch : denseBatch)(t, start, end, weighted), start);
    }
    states.push(s);
    start = end;
  }
  const merged = states.reduce((a, b) => mergeAccumulators(a, b));
  return finalizeAccumulator(merged);
}

/** RᵀR (the Gram of [1 X y] the factor stands for), k × k. */
function gramOf(r: Float64Array, k: number): Float64Array {
  const g = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let l = 0; l <= Math.min(i, j); l++)
        s += (r[l * k + i] as number) * (r[l * k + j] as number);
      g[i * k + j] = s;
    }
  }
  return g;
}

function expectSameGram(a: Float64Array, b: Float64Array, k: number): void {
  const ga = gramOf(a, k);
  const gb = gramOf(b, k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const scale =
        Math.sqrt(Math.abs(gb[i * k + i] as number) * Math.abs(gb[j * k + j] as number)) || 1;
      expect(Math.abs((ga[i * k + j] as number) - (gb[i * k + j] as number)) / scale).toBeLessThan(
        1e-11,
      );
    }
  }
}

describe('one-hot blocks in the Gram accumulator', () => {
  it.each([
    [true, false],
    [true, true],
    [false, false],
    [false, true],
  ])('give the dense factor (intercept %s, weighted %s)', (intercept, weighted) => {
    const t = table(3000, 5);
    const dense = factorOf('normal', t, [1000, 2000], intercept, weighted, false);
    const sparse = factorOf('normal', t, [1000, 2000], intercept, weighted, true);
    expect(sparse.rows).toBe(dense.rows);
    expect(sparse.rowsPositiveWeight).toBe(dense.rowsPositiveWeight);
    expectSameGram(sparse.r, dense.r, dense.k);
  });

  it('for any split into batches and grouping of merges', () => {
    const t = table(600, 9);
    const reference = factorOf('normal', t, [], true, true, false);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 599 }), { maxLength: 8 }), (cuts) => {
        const sorted = [...cuts].sort((a, b) => a - b);
        const f = factorOf('normal', t, sorted, true, true, true);
        expectSameGram(f.r, reference.r, reference.k);
      }),
      { numRuns: 40, seed: 11 },
    );
  });

  it('TSQR takes them densified: the same factor as dense rows, bit for bit', () => {
    const t = table(500, 3);
    const dense = factorOf('qr', t, [250], true, true, false);
    const sparse = factorOf('qr', t, [250], true, true, true);
    expect(Array.from(sparse.r)).toEqual(Array.from(dense.r));
  });

  it('a layout whose nonzero names a dense column is refused', () => {
    const t = table(10, 1);
    const batch = sparseBatch(t, 0, 10, false);
    const bad: DesignBatch = {
      ...batch,
      sparse: {
        ...(batch.sparse as SparseColumns),
        columns: [
          Int32Array.from({ length: 10 }, () => 4),
          (batch.sparse as SparseColumns).columns[1] as Int32Array,
        ],
      },
    };
    const s = createAccumulator({ kind: 'normal', p: P, intercept: true, weighted: false });
    expect(() => updateAccumulator(s, bad)).toThrow(NumericInputError);
  });
});
