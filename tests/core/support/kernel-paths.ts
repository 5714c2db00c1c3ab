/**
 * Helpers for the tests that hold a WebAssembly kernel to its JS path bit for
 * bit: switching paths through LINREG_KERNELS (read on every call), and
 * comparing results as bit patterns.
 */
import { afterEach, expect } from 'vitest';
import { wasmKernelsAvailable } from '../../../packages/core/src/numerics/wasm/index.js';

/** Restores LINREG_KERNELS after each test of the calling file. */
export function restoreKernelsAfterEach(): void {
  const saved = process.env.LINREG_KERNELS;
  afterEach(() => {
    if (saved === undefined) delete process.env.LINREG_KERNELS;
    else process.env.LINREG_KERNELS = saved;
  });
}

/** `run` with the JS kernels, then with the WebAssembly ones (which must be available). */
export function bothPaths<T>(run: () => T): [js: T, wasm: T] {
  process.env.LINREG_KERNELS = 'js';
  const js = run();
  delete process.env.LINREG_KERNELS;
  expect(wasmKernelsAvailable()).toBe(true);
  return [js, run()];
}

/** Indices where a and b differ as bit patterns (Object.is: NaN = NaN, +0 ≠ −0). */
export function differences(a: Float64Array, b: Float64Array): number[] {
  expect(a.length).toBe(b.length);
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) out.push(i);
  return out;
}
