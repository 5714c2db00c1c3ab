/**
 * The inverse iteration's step of linalg/extreme-singular-values.ts on the
 * WebAssembly module (wasm/kernels.ts inverseIterationStep): v ← T⁻¹(T⁻ᵀv)
 * by the two triangular solves of back-substitution.ts, the same operations
 * per entry in the same order, so the same bits.
 *
 * Why: up to 300 steps run once per fit on the main thread, after the last
 * merge — mostly before V8 has optimized the JS solves (m = 100: 10–20 ms
 * cold, 2 ms warm). One call per step, so V8's optimized code takes over
 * after the first few.
 */
import { evenUp, heapStart, heapView, type KernelExports, kernelExports } from './kernel-module.js';

interface InverseIterationExports {
  inverseIterationStep(t: number, ld: number, m: number, b: number): void;
}

/**
 * A function doing out ← T⁻¹(T⁻ᵀv) for the upper-triangular m x m block of
 * `t` (row stride ld), which is copied into module memory once. It holds
 * that memory until the next use of any other kernel.
 */
export function wasmInverseIteration(
  t: Float64Array,
  ld: number,
  m: number,
): (v: Float64Array, out: Float64Array) => void {
  const ex = kernelExports('wasmInverseIteration') as KernelExports & InverseIterationExports;
  // The block's last entry is t[(m − 1)·ld + m − 1]: copy no further (t may end there).
  const used = m === 0 ? 0 : (m - 1) * ld + m;
  const tAt = heapStart();
  const bAt = tAt + evenUp(used);
  const doubles = bAt + evenUp(m) - tAt;
  heapView(ex, doubles).set(t.subarray(0, used), tAt);
  return (v, out) => {
    const heap = heapView(ex, doubles);
    heap.set(v.subarray(0, m), bAt);
    ex.inverseIterationStep(tAt * 8, ld, m, bAt * 8);
    out.set(heap.subarray(bAt, bAt + m));
  };
}
