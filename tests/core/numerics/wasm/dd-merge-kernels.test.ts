/**
 * The double-double triangle merge in WebAssembly SIMD (wasm/kernels.ts
 * ddMerge*, numerics/wasm/dd-merge-kernels.ts) gives the bits of the JS merge
 * (accumulate/dd-triangle-merge.ts) on random and adversarial triangles, so
 * a fit's merged state — and `partial`/`merge` models — do not depend on
 * LINREG_KERNELS.
 */
import { describe, expect, it } from 'vitest';
import {
  annihilateBlock,
  mergeTrianglesDd,
} from '../../../../packages/core/src/numerics/accumulate/index.js';
import { wasmKernelsAvailable } from '../../../../packages/core/src/numerics/wasm/index.js';
import { differences, restoreKernelsAfterEach } from '../../support/kernel-paths.js';
import { seededRandom } from '../accumulate/accumulator-reference.js';

restoreKernelsAfterEach();

/** R_a merged with R_b by the JS path, then by the WebAssembly one; R_b must stay unchanged. */
function bothPaths(
  ra: Float64Array,
  rb: Float64Array,
  k: number,
): [js: Float64Array, wasm: Float64Array] {
  const rbBefore = rb.slice();
  process.env.LINREG_KERNELS = 'js';
  const js = ra.slice();
  mergeTrianglesDd(js, rb, k);
  delete process.env.LINREG_KERNELS;
  expect(wasmKernelsAvailable()).toBe(true);
  const wasm = ra.slice();
  mergeTrianglesDd(wasm, rb, k);
  expect(differences(rb, rbBefore)).toEqual([]);
  return [js, wasm];
}

/** R (k x k row-major, non-negative diagonal) of n random rows with column c scaled by scale(c). */
function randomFactor(
  n: number,
  k: number,
  seed: number,
  scale: (c: number) => number = () => 1,
): Float64Array {
  const rnd = seededRandom(seed);
  const a = new Float64Array(n * k);
  for (let c = 0; c < k; c++) for (let i = 0; i < n; i++) a[c * n + i] = (rnd() * 2 - 1) * scale(c);
  const r = new Float64Array(k * k);
  annihilateBlock(r, k, a, n, n, false);
  return r;
}

/** A random upper triangle (any signs, no structure), entries from `value`. */
function randomTriangle(k: number, seed: number, value: (x: number) => number): Float64Array {
  const rnd = seededRandom(seed);
  const r = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let c = i; c < k; c++) r[i * k + c] = value(rnd());
  return r;
}

describe('WebAssembly double-double triangle merge', () => {
  for (const k of [1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 33, 101, 130]) {
    it(`k = ${k}: full factors, the bits of the JS merge`, () => {
      const [js, wasm] = bothPaths(
        randomFactor(3 * k, k, k),
        randomFactor(2 * k + 1, k, 1000 + k),
        k,
      );
      expect(differences(wasm, js)).toEqual([]);
    });
  }

  for (const [k, n] of [
    [9, 1],
    [9, 3],
    [40, 5],
    [101, 1],
    [101, 17],
  ] as const) {
    it(`k = ${k}: R_b of ${n} rows (trapezoidal), the bits of the JS merge`, () => {
      const [js, wasm] = bothPaths(randomFactor(2 * k, k, 7 * k), randomFactor(n, k, 11 * n), k);
      expect(differences(wasm, js)).toEqual([]);
    });
  }

  it('folding 1-row states left to right gives the same bits', () => {
    const k = 21;
    const rows = 60;
    const run = (): Float64Array => {
      const acc = new Float64Array(k * k);
      const rnd = seededRandom(5);
      for (let i = 0; i < rows; i++) {
        const row = new Float64Array(k * k);
        for (let c = 0; c < k; c++) row[c] = c === 0 ? 1 : 1e6 + rnd();
        mergeTrianglesDd(acc, row, k);
      }
      return acc;
    };
    process.env.LINREG_KERNELS = 'js';
    const js = run();
    delete process.env.LINREG_KERNELS;
    expect(differences(run(), js)).toEqual([]);
  });

  it('a chain of 40 merges of full factors (k = 37) gives the same bits', () => {
    const k = 37;
    const run = (): Float64Array => {
      const acc = randomFactor(k, k, 1);
      for (let s = 2; s < 42; s++)
        mergeTrianglesDd(
          acc,
          randomFactor(k + s, k, s, (c) => 2 ** c),
          k,
        );
      return acc;
    };
    process.env.LINREG_KERNELS = 'js';
    const js = run();
    delete process.env.LINREG_KERNELS;
    expect(differences(run(), js)).toEqual([]);
  });

  const k = 13;
  const adversarial: [string, () => [Float64Array, Float64Array]][] = [
    [
      'columns from 1e-300 to 1e300',
      () => [
        randomFactor(30, k, 1, (c) => 10 ** (-300 + 50 * c)),
        randomFactor(20, k, 2, (c) => 10 ** (-300 + 50 * c)),
      ],
    ],
    [
      'subnormal and huge entries of both signs',
      () => {
        const v = (x: number): number =>
          x < 0.25
            ? 5e-324 * Math.floor(x * 1e4)
            : x < 0.5
              ? -1.7e308 * x
              : x < 0.75
                ? x - 0.6
                : -1e-310;
        return [randomTriangle(k, 3, v), randomTriangle(k, 4, v)];
      },
    ],
    [
      'negative diagonals, zero columns and R_a = −R_b',
      () => {
        const ra = randomTriangle(k, 5, (x) => x - 0.5);
        for (let i = 0; i <= 4; i++) ra[i * k + 4] = 0;
        const rb = ra.map((x) => -x);
        return [ra, rb];
      },
    ],
    [
      'α < 0 with x = 0 (the sign flip), α = 0, and exact zeros',
      () => {
        const ra = randomTriangle(k, 6, (x) => (x < 0.3 ? 0 : x - 0.7));
        const rb = new Float64Array(k * k);
        rb[0] = 2;
        rb[3] = -1;
        rb[k + 5] = 0.5;
        return [ra, rb];
      },
    ],
    [
      'equal rows (rank-deficient, cancellation to zero)',
      () => {
        const ra = randomFactor(1, k, 8);
        return [ra, ra.slice()];
      },
    ],
    [
      'NaN and infinite entries',
      () => {
        const ra = randomTriangle(k, 9, (x) => x - 0.5);
        const rb = randomTriangle(k, 10, (x) => x - 0.5);
        ra[2 * k + 7] = Number.NaN;
        rb[3] = Number.POSITIVE_INFINITY;
        rb[4 * k + 9] = Number.NEGATIVE_INFINITY;
        return [ra, rb];
      },
    ],
  ];
  for (const [name, make] of adversarial) {
    it(`${name}: the bits of the JS merge`, () => {
      const [ra, rb] = make();
      const [js, wasm] = bothPaths(ra, rb, k);
      expect(differences(wasm, js)).toEqual([]);
    });
  }
});
