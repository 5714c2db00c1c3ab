/**
 * A reflector of a column whose entries are subnormal (rounding noise left in
 * the trailing columns of the first block of a design wider than ~2,700
 * columns, folded into the zero R) must not divide by v₁·scale, which
 * underflows: that made a p = 4,000 fit fail with "R[2557][2718] = NaN".
 * JS and WebAssembly kernels, same bits.
 */
import { describe, expect, it } from 'vitest';
import { annihilateBlock } from '../../../../packages/core/src/numerics/accumulate/tsqr.js';
import {
  wasmAnnihilateBlock,
  wasmKernelsAvailable,
} from '../../../../packages/core/src/numerics/wasm/index.js';

describe('a reflector of subnormal entries', () => {
  // One row [5e-321, 3e-321, 1] folded into the zero 3 × 3 R (B column-major, one row).
  const block = () => Float64Array.of(5e-321, 3e-321, 1);

  it('gives a finite R in JS: the row itself, up to sign', () => {
    const r = new Float64Array(9);
    annihilateBlock(r, 3, block(), 1, 1, false);
    expect(Array.from(r).every(Number.isFinite)).toBe(true);
    expect(r[0]).toBe(5e-321);
    expect(r[1]).toBe(3e-321);
    expect(r[2]).toBe(1);
  });

  it('gives the same bits in WebAssembly', () => {
    expect(wasmKernelsAvailable()).toBe(true);
    const js = new Float64Array(9);
    annihilateBlock(js, 3, block(), 1, 1, false);
    const wasm = new Float64Array(9);
    wasmAnnihilateBlock(wasm, 3, block(), 1, 1, false);
    expect(wasm).toEqual(js);
  });
});
