/**
 * tryUpdateAccumulator: a batch whose values were not checked by the caller.
 * On good values it must give the bits of updateAccumulator; on a non-finite
 * or out-of-range value anywhere (any column, any row, any slab of the
 * WebAssembly path) it must say so and leave the state exactly as it was.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AccumulatorState,
  createAccumulator,
  tryUpdateAccumulator,
  updateAccumulator,
} from '../../../../packages/core/src/numerics/accumulate/index.js';
import {
  MAX_MAGNITUDE,
  MIN_MAGNITUDE,
} from '../../../../packages/core/src/numerics/accumulate/value-range.js';
import type {
  AccumulatorKind,
  AccumulatorSpec,
  DesignBatch,
} from '../../../../packages/core/src/numerics/types.js';
import { realDataset, seededRandom, slice } from './accumulator-reference.js';

const savedEnv = process.env.LINREG_KERNELS;
afterEach(() => {
  if (savedEnv === undefined) delete process.env.LINREG_KERNELS;
  else process.env.LINREG_KERNELS = savedEnv;
});

function setKernels(kernels: 'wasm' | 'js'): void {
  if (kernels === 'js') process.env.LINREG_KERNELS = 'js';
  else delete process.env.LINREG_KERNELS;
}

/** Seeded positive weights, some zero. */
function weights(n: number, seed: number): Float64Array {
  const rnd = seededRandom(seed);
  return Float64Array.from({ length: n }, (_, i) => (i % 7 === 3 ? 0 : 0.25 + rnd() * 3));
}

/** The batch with its column `column` (p = y) replaced by a copy holding `value` at `row`. */
function withValue(b: DesignBatch, column: number, row: number, value: number): DesignBatch {
  const p = b.x.length;
  const src = column === p ? b.y : (b.x[column] as Float64Array);
  const changed = Float64Array.from(src.subarray(0, b.rows));
  changed[row] = value;
  return column === p
    ? { ...b, y: changed }
    : { ...b, x: b.x.map((x, c) => (c === column ? changed : x)) };
}

/** The batch with its column `column` scaled to a largest magnitude of `max`. */
function scaledTo(b: DesignBatch, column: number, max: number): DesignBatch {
  const src = b.x[column] as Float64Array;
  let m = 0;
  for (let i = 0; i < b.rows; i++) m = Math.max(m, Math.abs(src[i] as number));
  const changed = Float64Array.from(src.subarray(0, b.rows), (v) => (v / m) * max);
  return { ...b, x: b.x.map((x, c) => (c === column ? changed : x)) };
}

const bits = (s: AccumulatorState): number[] => Array.from(s.data);

const kinds: AccumulatorKind[] = ['normal', 'qr'];
const cases = kinds.flatMap((kind) =>
  [true, false].flatMap((intercept) =>
    [false, true].flatMap((weighted) =>
      (['wasm', 'js'] as const).map((kernels) => ({ kind, intercept, weighted, kernels })),
    ),
  ),
);

describe('tryUpdateAccumulator', () => {
  // p = 6: q = 7 columns, a group of four and a tail of three in the means. The second batch
  // spans three slabs of the WebAssembly path (2048 rows each), the last of 139 rows, so
  // slabMaxAbs sees its unrolled loop, its two-row step and its odd last row.
  const p = 6;
  const n = 100 + 2 * 2048 + 139;
  for (const { kind, intercept, weighted, kernels } of cases) {
    const label = `${kind}, intercept ${intercept}, weighted ${weighted}, ${kernels} kernels`;
    const spec: AccumulatorSpec = { kind, p, intercept, weighted };
    const d = { ...realDataset(n, p, 11), w: weighted ? weights(n, 5) : undefined };
    const first = slice(d, 0, 100);
    const second = slice(d, 100, n);

    it(`adds good batches with the bits of updateAccumulator (${label})`, () => {
      setKernels(kernels);
      const a = createAccumulator(spec);
      const b = createAccumulator(spec);
      for (const batch of [first, second]) {
        updateAccumulator(a, batch, 0);
        expect(tryUpdateAccumulator(b, batch, 0)).toBe(true);
      }
      expect(bits(b)).toEqual(bits(a));
    });

    it(`refuses a bad value anywhere and leaves the state untouched (${label})`, () => {
      setKernels(kernels);
      const s = createAccumulator(spec);
      updateAccumulator(s, first, 0);
      const before = bits(s);
      const rows = second.rows;
      const bad = [
        Number.NaN,
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
        -MAX_MAGNITUDE * 2,
      ];
      // Columns 0 and 3 (the group of four), 5 (the tail) and y; rows at the start, in the
      // second slab, and the last three.
      for (const column of [0, 3, 5, p]) {
        for (const row of [0, 2049, rows - 3, rows - 2, rows - 1]) {
          for (const value of bad) {
            const batch = withValue(second, column, row, value);
            expect(tryUpdateAccumulator(s, batch, 100), `${value} in ${column}, row ${row}`).toBe(
              false,
            );
          }
        }
      }
      // A column whose largest magnitude is below 2^-400, and one just above 2^400.
      expect(tryUpdateAccumulator(s, scaledTo(second, 2, MIN_MAGNITUDE / 4), 100)).toBe(false);
      expect(tryUpdateAccumulator(s, scaledTo(second, 4, MAX_MAGNITUDE * 2), 100)).toBe(false);
      expect(bits(s)).toEqual(before);
      // The edges of the range are accepted, as the batcher's check accepts them.
      expect(tryUpdateAccumulator(s, scaledTo(second, 2, MIN_MAGNITUDE), 100)).toBe(true);
    });
  }

  it('checks the values of a batch whose weights are all zero', () => {
    const spec: AccumulatorSpec = { kind: 'normal', p: 2, intercept: true, weighted: true };
    const s = createAccumulator(spec);
    const zero: DesignBatch = {
      rows: 2,
      x: [Float64Array.of(1, Number.NaN), Float64Array.of(2, 3)],
      y: Float64Array.of(1, 2),
      w: Float64Array.of(0, 0),
    };
    const before = bits(s);
    expect(tryUpdateAccumulator(s, zero)).toBe(false);
    expect(bits(s)).toEqual(before);
    expect(
      tryUpdateAccumulator(s, { ...zero, x: [Float64Array.of(1, 2), Float64Array.of(2, 3)] }),
    ).toBe(true);
  });
});
