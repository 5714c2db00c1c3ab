/**
 * The robust-SE pass's leverage kernel on the WebAssembly SIMD module
 * (wasm/kernels.ts leverageChunk): for a chunk of rows, z = R⁻ᵀx by forward
 * substitution and ss = ‖z‖² per row, bit for bit as the JS loop in
 * numerics/meat/meat.ts. Only ss comes back: the meat needs the leverages,
 * not z.
 */
import { evenUp, heapStart, heapView, kernelExports } from './kernel-module.js';

/**
 * rk: q x q row-major upper triangular; x: the chunk column-major (column a at
 * a·ldx, `len` rows used, ldx even); ss: receives `len` sums. x is not changed.
 */
export function wasmLeverageChunk(
  q: number,
  rk: Float64Array,
  x: Float64Array,
  ldx: number,
  len: number,
  ss: Float64Array,
): void {
  const ex = kernelExports('wasmLeverageChunk');
  const rkAt = heapStart();
  const rkLen = evenUp(q * q);
  const zAt = rkAt + rkLen;
  const zLen = evenUp(q * ldx);
  const ssAt = zAt + zLen;
  const heap = heapView(ex, rkLen + zLen + evenUp(len));
  heap.set(rk.subarray(0, q * q), rkAt);
  heap.set(x.subarray(0, q * ldx), zAt);
  ex.leverageChunk(q, rkAt * 8, zAt * 8, ldx, len, ssAt * 8);
  ss.set(heap.subarray(ssAt, ssAt + len));
}
