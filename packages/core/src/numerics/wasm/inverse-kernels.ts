/**
 * The post-merge kernels of a wide fit on the WebAssembly SIMD module
 * (wasm/kernels.ts invertUpperBlock, transposeUpperRows, gramApply): the
 * triangular inverse of R (linalg/back-substitution.ts invertUpper) and the
 * product TᵀD²Tv of the condition numbers' Lanczos iterations
 * (solve/rank.ts, linalg/extreme-singular-values.ts), each bit for bit as its
 * JS loop — the same operations per entry in the same order, lanes across
 * columns — so the two paths give the same model.
 *
 * Each is many short calls (a block of columns, a band of rows, one step),
 * not one long one: V8 swaps a module function's optimized code in only at a
 * call, and the main thread, which runs these once per fit, would otherwise
 * run them all in the baseline compiler's code (n = 1,001: 235 ms instead
 * of ~20 ms for the inverse).
 */
import { evenUp, heapStart, heapView, kernelExports } from './kernel-module.js';

/** Columns per invertUpperBlock call; its scratch holds n rows of this many doubles. */
const INVERSE_LANES = 8;

/** Rows of T per transposeUpperRows call. */
const TRANSPOSE_ROWS = 16;

/**
 * T⁻¹ (n x n row-major, zero below the diagonal) of the upper-triangular
 * n x n block of `t` (row stride ld): the bits of invertUpper's JS loop.
 */
export function wasmInvertUpper(t: Float64Array, ld: number, n: number): Float64Array {
  const ex = kernelExports('wasmInvertUpper');
  // The block's last entry is t[(n − 1)·ld + n − 1]: copy no further (t may end there).
  const used = n === 0 ? 0 : (n - 1) * ld + n;
  const tAt = heapStart();
  const cAt = tAt + evenUp(used);
  const invAt = cAt + n * INVERSE_LANES;
  const heap = heapView(ex, invAt + n * n - tAt);
  heap.set(t.subarray(0, used), tAt);
  heap.fill(0, invAt, invAt + n * n);
  for (let j0 = 0; j0 < n; j0 += INVERSE_LANES) {
    ex.invertUpperBlock(tAt * 8, ld, n, j0, cAt * 8, invAt * 8);
  }
  return heap.slice(invAt, invAt + n * n);
}

/**
 * v ↦ TᵀD²Tv for the upper-triangular m x m block of `t` (row stride ld) and
 * D = diag(rowScale) (the identity when absent): the bits of the JS loops of
 * extreme-singular-values.ts and solve/rank.ts. T and Tᵀ are copied into
 * module memory once; the returned function is valid until another kernel runs.
 */
export function wasmGramApplier(
  t: Float64Array,
  ld: number,
  m: number,
  rowScale?: Float64Array,
): (v: Float64Array, out: Float64Array) => void {
  const ex = kernelExports('wasmGramApplier');
  const used = m === 0 ? 0 : (m - 1) * ld + m;
  const stride = evenUp(m);
  const tAt = heapStart();
  const ttAt = tAt + evenUp(used);
  const scaleAt = ttAt + m * stride;
  const vAt = scaleAt + stride;
  const tvAt = vAt + stride;
  const nextAt = tvAt + stride;
  const doubles = nextAt + stride - tAt;
  let heap = heapView(ex, doubles);
  heap.set(t.subarray(0, used), tAt);
  heap.fill(0, ttAt, ttAt + m * stride);
  for (let i0 = 0; i0 < m; i0 += TRANSPOSE_ROWS) {
    ex.transposeUpperRows(tAt * 8, ld, m, i0, Math.min(m, i0 + TRANSPOSE_ROWS), ttAt * 8, stride);
  }
  if (rowScale !== undefined) heap.set(rowScale.subarray(0, m), scaleAt);
  const scale = rowScale === undefined ? 0 : scaleAt * 8;
  return (v, out) => {
    heap = heapView(ex, doubles);
    heap.set(v.subarray(0, m), vAt);
    ex.gramApply(tAt * 8, ld, ttAt * 8, m, stride, scale, vAt * 8, tvAt * 8, nextAt * 8);
    out.set(heap.subarray(nextAt, nextAt + m));
  };
}
