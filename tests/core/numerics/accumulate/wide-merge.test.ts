/**
 * Merges of wide TSQR factors (k > DD_MERGE_MAX_COLUMNS) run in double, not
 * double-double: the result is still the triangular factor of [R_a; R_b]
 * (RᵀR = R_aᵀR_a + R_bᵀR_b to rounding, the diagonal non-negative) and agrees
 * with the double-double merge to rounding. The fold runs by 128-row blocks
 * of R_b (tsqr.ts foldRows), in WebAssembly or JS with the same bits.
 */
import { describe, expect, it } from 'vitest';
import { mergeTrianglesDd } from '../../../../packages/core/src/numerics/accumulate/index.js';
import {
  DD_MERGE_MAX_COLUMNS,
  mergeTriangles,
} from '../../../../packages/core/src/numerics/accumulate/tsqr.js';
import { wasmKernelsAvailable } from '../../../../packages/core/src/numerics/wasm/index.js';
import { seededRandom } from './accumulator-reference.js';

function triangle(k: number, seed: number): Float64Array {
  const rnd = seededRandom(seed);
  const r = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    r[i * k + i] = 1 + rnd();
    for (let c = i + 1; c < k; c++) r[i * k + c] = rnd() - 0.5;
  }
  return r;
}

/** (RᵀR)[i][j] for the upper-triangular R. */
function gram(r: Float64Array, k: number, i: number, j: number): number {
  let s = 0;
  for (let l = 0; l <= Math.min(i, j); l++)
    s += (r[l * k + i] as number) * (r[l * k + j] as number);
  return s;
}

describe('a merge wider than the double-double limit', () => {
  const k = DD_MERGE_MAX_COLUMNS + 40;
  const ra = triangle(k, 1);
  const rb = triangle(k, 2);
  const merged = ra.slice();
  mergeTriangles(merged, rb, k);

  it('is the factor of the stacked triangles', () => {
    const rnd = seededRandom(3);
    for (let t = 0; t < 400; t++) {
      const i = Math.floor(rnd() * k);
      const j = Math.floor(rnd() * k);
      const want = gram(ra, k, i, j) + gram(rb, k, i, j);
      const scale = Math.sqrt(
        (gram(ra, k, i, i) + gram(rb, k, i, i)) * (gram(ra, k, j, j) + gram(rb, k, j, j)),
      );
      expect(Math.abs(gram(merged, k, i, j) - want) / scale).toBeLessThan(1e-13);
    }
    for (let i = 0; i < k; i++) {
      expect(merged[i * k + i]).toBeGreaterThanOrEqual(0);
      for (let c = 0; c < i; c++) expect(merged[i * k + c]).toBe(0);
    }
  });

  it('gives the same bits in WebAssembly and in JS (LINREG_KERNELS=js)', () => {
    expect(wasmKernelsAvailable()).toBe(true);
    const js = ra.slice();
    const saved = process.env.LINREG_KERNELS;
    process.env.LINREG_KERNELS = 'js';
    try {
      expect(wasmKernelsAvailable()).toBe(false);
      mergeTriangles(js, rb, k);
    } finally {
      if (saved === undefined) delete process.env.LINREG_KERNELS;
      else process.env.LINREG_KERNELS = saved;
    }
    expect(js).toEqual(merged);
  });

  it('agrees with the double-double merge to rounding', () => {
    const dd = ra.slice();
    mergeTrianglesDd(dd, rb, k);
    let worst = 0;
    for (let i = 0; i < k * k; i++) {
      worst = Math.max(worst, Math.abs((merged[i] as number) - (dd[i] as number)));
    }
    expect(worst).toBeLessThan(1e-11);
  });
});
