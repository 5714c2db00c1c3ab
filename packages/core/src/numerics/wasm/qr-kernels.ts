/**
 * The `qr` accumulator's kernels on the WebAssembly SIMD module: the same
 * blocked Householder TSQR as tsqr.ts (reflectors with a non-negative
 * diagonal, four columns per compact-WY panel), so R agrees with the JS path
 * to rounding (sums are split over two SIMD lanes) and is deterministic.
 *
 * R stays in module memory for a whole batch; each block of rows is written
 * straight into module memory, so nothing is copied per block beyond what
 * the JS path copies into its own work buffer.
 */

import { evenUp, heapStart, heapView, kernelExports } from './kernel-module.js';

/** Rows per Householder block, as in qr-accumulator.ts (QR_BLOCK_ROWS). */
export const WASM_QR_BLOCK_ROWS = 128;

let rootWeights = new Float64Array(0);

/**
 * Drop-in for updateQrState's body (qr-accumulator.ts): folds the batch
 * columns `cols` = [x₁ … x_p y] (n rows; rows scaled by √w when `w` is given,
 * with a leading column of ones, or of √w, when `intercept`) into the k x k
 * row-major upper triangular R, `blockRows` rows at a time.
 */
export function wasmUpdateQr(
  r: Float64Array,
  k: number,
  cols: readonly Float64Array[],
  n: number,
  w: Float64Array | undefined,
  intercept: boolean,
  blockRows = WASM_QR_BLOCK_ROWS,
): void {
  const ex = kernelExports('wasmUpdateQr');
  const nb = evenUp(blockRows);
  const rAt = heapStart();
  const bAt = rAt + evenUp(k * k);
  const heap = heapView(ex, bAt - rAt + nb * k);
  heap.set(r.subarray(0, k * k), rAt);
  if (w !== undefined && rootWeights.length < nb) rootWeights = new Float64Array(nb);
  const rootW = rootWeights;
  const first = intercept ? 1 : 0;
  for (let row0 = 0; row0 < n; row0 += nb) {
    const nr = Math.min(nb, n - row0);
    if (w === undefined) {
      if (intercept) heap.fill(1, bAt, bAt + nr);
      for (let c = 0; c < cols.length; c++) {
        heap.set((cols[c] as Float64Array).subarray(row0, row0 + nr), bAt + (c + first) * nb);
      }
    } else {
      for (let i = 0; i < nr; i++) rootW[i] = Math.sqrt(w[row0 + i]);
      if (intercept) heap.set(rootW.subarray(0, nr), bAt);
      for (let c = 0; c < cols.length; c++) {
        const x = cols[c] as Float64Array;
        const off = bAt + (c + first) * nb - row0;
        for (let i = row0, end = row0 + nr; i < end; i++) {
          heap[off + i] = x[i] * rootW[i - row0];
        }
      }
    }
    ex.annihilate(rAt * 8, k, bAt * 8, nb, nr, 0);
  }
  r.set(heap.subarray(rAt, rAt + k * k));
}

/**
 * Drop-in for annihilateBlock (tsqr.ts): folds `rows` rows of B (column-major,
 * leading dimension ldb, k columns) into R. B is read, not modified (the JS
 * kernel overwrites it; callers use neither result).
 */
export function wasmAnnihilateBlock(
  r: Float64Array,
  k: number,
  b: Float64Array,
  ldb: number,
  rows: number,
  triangular: boolean,
): void {
  if (rows <= 0) return;
  const ex = kernelExports('wasmAnnihilateBlock');
  const ld = evenUp(rows);
  const rAt = heapStart();
  const bAt = rAt + evenUp(k * k);
  const heap = heapView(ex, bAt - rAt + ld * k);
  heap.set(r.subarray(0, k * k), rAt);
  for (let c = 0; c < k; c++) heap.set(b.subarray(c * ldb, c * ldb + rows), bAt + c * ld);
  ex.annihilate(rAt * 8, k, bAt * 8, ld, rows, triangular ? 1 : 0);
  r.set(heap.subarray(rAt, rAt + k * k));
}

/**
 * Drop-in for mergeTriangles (tsqr.ts): R_a ← the triangular factor of
 * [R_a; R_b] (both k x k row-major upper triangular); R_b is not modified.
 */
export function wasmMergeTriangles(ra: Float64Array, rb: Float64Array, k: number): void {
  const ex = kernelExports('wasmMergeTriangles');
  const ld = evenUp(k);
  const rAt = heapStart();
  const bAt = rAt + evenUp(k * k);
  const heap = heapView(ex, bAt - rAt + ld * k);
  heap.set(ra.subarray(0, k * k), rAt);
  // R_b's upper triangle transposed into column-major storage, zeros below.
  for (let c = 0; c < k; c++) {
    const off = bAt + c * ld;
    for (let i = 0; i <= c; i++) heap[off + i] = rb[i * k + c];
    heap.fill(0, off + c + 1, off + ld);
  }
  ex.annihilate(rAt * 8, k, bAt * 8, ld, k, 1);
  ra.set(heap.subarray(rAt, rAt + k * k));
}
