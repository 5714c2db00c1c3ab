/**
 * The refinement pass's column walk on the WebAssembly SIMD module
 * (wasm/kernels.ts refineSlab, numerics/wasm/refine-kernels.ts) gives the
 * bits of the JS walk (numerics/refine/refine-columns.ts) — g = XᵀWr and the
 * RSS, every dd pair — so a refined fit does not depend on LINREG_KERNELS;
 * and the unchecked update (tryUpdateRefineState) adds a batch of good
 * values with the same bits and refuses one with a bad value, untouched.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createRefineState,
  type RefineState,
  tryUpdateRefineState,
  updateRefineState,
} from '../../../../packages/core/src/numerics/refine/index.js';
import type { AccumulatorSpec, DesignBatch } from '../../../../packages/core/src/numerics/types.js';
import { bothPaths, differences, restoreKernelsAfterEach } from '../../support/kernel-paths.js';

restoreKernelsAfterEach();

function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 48271) % 2147483647) >>> 0;
    return state / 2147483647;
  };
}

/** Batches of mixed scales (so the dd low words are not trivial), weights with zeros. */
function batchesOf(
  p: number,
  sizes: readonly number[],
  weighted: boolean,
  rand: () => number,
): DesignBatch[] {
  return sizes.map((rows) => ({
    rows,
    x: Array.from({ length: p }, (_, j) =>
      Float64Array.from({ length: rows }, () => (rand() - 0.5) * 10 ** ((j % 7) - 3)),
    ),
    y: Float64Array.from({ length: rows }, () => rand() * 100 - 50),
    ...(weighted
      ? { w: Float64Array.from({ length: rows }, () => (rand() < 0.2 ? 0 : rand() * 3)) }
      : {}),
  }));
}

function refined(
  spec: AccumulatorSpec,
  beta: Float64Array,
  batches: readonly DesignBatch[],
  add: (s: RefineState, b: DesignBatch) => void,
): Float64Array {
  const state = createRefineState(spec, beta, { gram: false });
  for (const b of batches) add(state, b);
  return state.data;
}

function betaOf(m: number, rand: () => number): Float64Array {
  return Float64Array.from({ length: m }, () => (rand() - 0.5) * 10 ** Math.floor(rand() * 6 - 3));
}

describe('the refinement column walk in WebAssembly', () => {
  it('gives the JS walk’s g and RSS bit for bit (m across the 8-column blocks, odd rows, weights with zeros)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 21 }),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.integer({ min: 0, max: 45 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        (p, intercept, weighted, sizes, seed) => {
          const rand = generator(seed);
          const spec: AccumulatorSpec = { kind: 'qr', p, intercept, weighted };
          const beta = betaOf(p + (intercept ? 1 : 0), rand);
          const batches = batchesOf(p, sizes, weighted, rand);
          const [js, wasm] = bothPaths(() => refined(spec, beta, batches, updateRefineState));
          expect(differences(js, wasm)).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('is the same across slabs: a batch longer than one slab at m = 1,001 and at m = 300', () => {
    for (const [p, rows] of [
      [1000, 2101],
      [299, 7001],
    ] as const) {
      const rand = generator(p);
      for (const weighted of [false, true]) {
        const spec: AccumulatorSpec = { kind: 'normal', p, intercept: true, weighted };
        const beta = betaOf(p + 1, rand);
        const batches = batchesOf(p, [rows], weighted, rand);
        const [js, wasm] = bothPaths(() => refined(spec, beta, batches, updateRefineState));
        expect(differences(js, wasm)).toEqual([]);
      }
    }
  });
});

describe('tryUpdateRefineState (values not checked yet)', () => {
  const rand = generator(7);
  const p = 11;
  const batches = batchesOf(p, [37, 40], true, rand);

  for (const path of ['wasm', 'js'] as const) {
    for (const gram of [false, true]) {
      it(`adds good values with updateRefineState’s bits (${path}, ${gram ? 'with' : 'without'} the Gram)`, () => {
        if (path === 'js') process.env.LINREG_KERNELS = 'js';
        const spec: AccumulatorSpec = { kind: 'qr', p, intercept: true, weighted: true };
        const beta = betaOf(p + 1, rand);
        const checked = createRefineState(spec, beta, { gram });
        const unchecked = createRefineState(spec, beta, { gram });
        for (const b of batches) {
          updateRefineState(checked, b);
          expect(tryUpdateRefineState(unchecked, b)).toBe(true);
        }
        expect(differences(checked.data, unchecked.data)).toEqual([]);
      });

      it(`refuses a batch holding NaN, ±Infinity or an out-of-range value, state untouched (${path}, ${gram ? 'with' : 'without'} the Gram)`, () => {
        if (path === 'js') process.env.LINREG_KERNELS = 'js';
        const spec: AccumulatorSpec = { kind: 'qr', p, intercept: true, weighted: true };
        const state = createRefineState(spec, betaOf(p + 1, rand), { gram });
        expect(tryUpdateRefineState(state, batches[0] as DesignBatch)).toBe(true);
        const before = state.data.slice();
        // A column is out of range by its largest |x| (value-range.ts): 2⁻⁴¹⁰ makes one only as a whole column.
        for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -Infinity, 2 ** 401, 2 ** -410]) {
          for (const column of ['x', 'y'] as const) {
            const b = batches[1] as DesignBatch;
            const x = b.x.map((c) => c.slice());
            const y = b.y.slice();
            const target = column === 'x' ? (x[p - 1] as Float64Array) : y;
            if (bad === 2 ** -410) for (let i = 0; i < target.length; i++) target[i] *= bad;
            else target[column === 'x' ? 13 : 36] = bad;
            expect(tryUpdateRefineState(state, { ...b, x, y })).toBe(false);
            expect(differences(before, state.data)).toEqual([]);
          }
        }
      });
    }
  }
});
