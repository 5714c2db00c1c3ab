/**
 * The post-merge kernels of a wide fit (wasm/kernels.ts invertUpperBlock and
 * gramApply; numerics/wasm/inverse-kernels.ts) give the bits of the JS loops
 * they stand in for: the triangular inverse of back-substitution.ts, the
 * products TᵀD²Tv of the rank certificate's Lanczos iterations (solve/rank.ts)
 * and TᵀTv of the raw condition number with its inverse step T⁻¹T⁻ᵀv
 * (extreme-singular-values.ts), so a fit's model does
 * not depend on LINREG_KERNELS.
 */
import { describe, expect, it } from 'vitest';
import {
  extremeSingularValues,
  invertUpper,
} from '../../../../packages/core/src/numerics/linalg/index.js';
import { solve } from '../../../../packages/core/src/numerics/solve/index.js';
import { CERTIFY_MIN_COLUMNS } from '../../../../packages/core/src/numerics/solve/rank.js';
import { factorOf } from '../../support/factor-of.js';
import { bothPaths, differences, restoreKernelsAfterEach } from '../../support/kernel-paths.js';
import { plainInverse } from '../../support/plain-inverse.js';
import { seededRandom } from '../accumulate/accumulator-reference.js';

restoreKernelsAfterEach();

/** An upper-triangular n × n block in a ld-wide array, diagonal of both signs. */
function triangle(n: number, ld: number, seed: number): Float64Array {
  const rnd = seededRandom(seed);
  const t = new Float64Array(ld * ld);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < ld; j++) {
      t[i * ld + j] = rnd() - 0.5 + (i === j ? (i % 3 === 1 ? -1 : 1) * (1 + Math.sqrt(n)) : 0);
    }
  }
  return t;
}

describe('WebAssembly triangular inverse', () => {
  for (const n of [32, 33, 39, 40, 41, 64, 130, 257]) {
    it(`n = ${n}: the bits of the JS loop and of plain back substitution`, () => {
      const ld = n + 1;
      const t = triangle(n, ld, n);
      const [js, wasm] = bothPaths(() => invertUpper(t, ld, n));
      expect(differences(wasm, js)).toEqual([]);
      expect(differences(wasm, plainInverse(t, ld, n))).toEqual([]);
      // Below the diagonal: +0, as the JS loop leaves it.
      expect(Object.is(wasm[(n - 1) * n], 0)).toBe(true);
    });
  }

  it('a zero or tiny diagonal entry gives the JS loop’s Infinity / NaN columns, and no others', () => {
    const n = 50;
    const ld = n;
    const t = triangle(n, ld, 7);
    t[20 * ld + 20] = 0;
    t[37 * ld + 37] = 1e-300;
    const [js, wasm] = bothPaths(() => invertUpper(t, ld, n));
    expect(differences(wasm, js)).toEqual([]);
    // Columns left of the zero pivot do not see it.
    for (let j = 0; j < 20; j++) expect(Number.isFinite(wasm[j] as number)).toBe(true);
    expect(wasm.some((x) => !Number.isFinite(x))).toBe(true);
  });
});

describe('WebAssembly products of the rank certificate', () => {
  for (const p of [CERTIFY_MIN_COLUMNS + 1, CERTIFY_MIN_COLUMNS + 36, 160]) {
    it(`p = ${p}: κ, the covariance and the coefficients have the bits of the JS path`, () => {
      const n = 3 * p;
      const rnd = seededRandom(p);
      const base = Float64Array.from({ length: n }, () => rnd() - 0.5);
      const x = Array.from({ length: p }, (_, j) =>
        Float64Array.from(
          { length: n },
          (_, i) => (0.5 * (base[i] as number) + rnd() - 0.5) * 10 ** (j % 4),
        ),
      );
      const y = Float64Array.from({ length: n }, (_, i) => (x[1] as Float64Array)[i] as number);
      const f = factorOf({ intercept: true, x, y });
      const [js, wasm] = bothPaths(() => solve(f));
      expect(wasm.rank).toBe(p + 1);
      expect(Number.isFinite(wasm.conditionNumber)).toBe(true);
      expect(wasm.conditionNumber).toBeGreaterThan(1);
      expect(Object.is(wasm.conditionNumber, js.conditionNumber)).toBe(true);
      expect(Number.isFinite(wasm.conditionNumberRaw)).toBe(true);
      expect(Object.is(wasm.conditionNumberRaw, js.conditionNumberRaw)).toBe(true);
      expect(differences(wasm.covUnscaled, js.covUnscaled)).toEqual([]);
      expect(differences(wasm.coefficients, js.coefficients)).toEqual([]);
    });
  }
});

describe('WebAssembly TᵀTv and inverse step of the extreme singular values', () => {
  for (const [m, ld] of [
    [32, 33],
    [77, 78],
    [120, 120],
  ] as const) {
    it(`m = ${m}, ld = ${ld}: σ₁, σ_m and the singular vector have the bits of the JS loop`, () => {
      const t = triangle(m, ld, m + ld);
      const [js, wasm] = bothPaths(() => extremeSingularValues(t, ld, m));
      expect(wasm.largest).toBeGreaterThan(wasm.smallest);
      expect(wasm.smallest).toBeGreaterThan(0);
      expect(Object.is(wasm.largest, js.largest)).toBe(true);
      expect(Object.is(wasm.smallest, js.smallest)).toBe(true);
      expect(differences(wasm.smallestVector, js.smallestVector)).toEqual([]);
    });
  }
});
