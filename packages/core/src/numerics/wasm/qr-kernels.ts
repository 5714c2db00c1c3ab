/**
 * The `qr` accumulator's kernels on the WebAssembly SIMD module: the same
 * blocked Householder TSQR as tsqr.ts (reflectors with a non-negative
 * diagonal, four columns per compact-WY panel, blocks of 128 rows), so R
 * agrees with the JS path to rounding (sums over rows are split over two SIMD
 * lanes) and is deterministic.
 *
 * R stays in module memory for a whole batch; each block of rows is written
 * straight into module memory, so nothing is copied per block beyond what
 * the JS path copies into its own work buffer.
 */

import { evenUp, heapStart, heapView, KERNEL_BLOCK_ROWS, kernelExports } from './kernel-module.js';

const rootWeights = new Float64Array(KERNEL_BLOCK_ROWS);

/**
 * Drop-in for updateQrState's body (qr-accumulator.ts): folds the batch
 * columns `cols` = [x₁ … x_p y] (n rows; rows scaled by √w when `w` is given,
 * with a leading column of ones, or of √w, when `intercept`) into the k x k
 * row-major upper triangular R, 128 rows at a time.
 */
export function wasmUpdateQr(
  r: Float64Array,
  k: number,
  cols: readonly Float64Array[],
  n: number,
  w: Float64Array | undefined,
  intercept: boolean,
): void {
  const ex = kernelExports('wasmUpdateQr');
  const nb = KERNEL_BLOCK_ROWS;
  const rAt = heapStart();
  const bAt = rAt + evenUp(k * k);
  const heap = heapView(ex, bAt - rAt + nb * k);
  heap.set(r.subarray(0, k * k), rAt);
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
        for (let i = row0, end = row0 + nr; i < end; i++) heap[off + i] = x[i] * rootW[i - row0];
      }
    }
    ex.annihilate(rAt * 8, k, bAt * 8, nr, -1);
  }
  r.set(heap.subarray(rAt, rAt + k * k));
}

/**
 * Drop-in for annihilateBlock (tsqr.ts): folds `rows` rows of B (column-major,
 * leading dimension ldb, k columns) into R, in blocks of 128 rows. B is read,
 * not modified (the JS kernel overwrites it; callers use neither result).
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
  const nb = KERNEL_BLOCK_ROWS;
  const rAt = heapStart();
  const bAt = rAt + evenUp(k * k);
  const heap = heapView(ex, bAt - rAt + nb * k);
  heap.set(r.subarray(0, k * k), rAt);
  for (let row0 = 0; row0 < rows; row0 += nb) {
    const nr = Math.min(nb, rows - row0);
    for (let c = 0; c < k; c++) {
      heap.set(b.subarray(c * ldb + row0, c * ldb + row0 + nr), bAt + c * nb);
    }
    ex.annihilate(rAt * 8, k, bAt * 8, nr, triangular ? row0 : -1);
  }
  r.set(heap.subarray(rAt, rAt + k * k));
}

/**
 * Drop-in for mergeTriangles (tsqr.ts): R_a ← the triangular factor of
 * [R_a; R_b] (both k x k row-major upper triangular); R_b is not modified.
 * R_b's rows are folded in 128 at a time, each block restricted to its
 * nonzero part.
 */
export function wasmMergeTriangles(ra: Float64Array, rb: Float64Array, k: number): void {
  const ex = kernelExports('wasmMergeTriangles');
  const nb = KERNEL_BLOCK_ROWS;
  const rAt = heapStart();
  const bAt = rAt + evenUp(k * k);
  const heap = heapView(ex, bAt - rAt + nb * k);
  heap.set(ra.subarray(0, k * k), rAt);
  for (let row0 = 0; row0 < k; row0 += nb) {
    const nr = Math.min(nb, k - row0);
    // Rows row0 … row0+nr−1 of R_b, column-major; zero below the diagonal.
    for (let c = 0; c < k; c++) {
      const off = bAt + c * nb;
      const last = Math.min(nr, c - row0 + 1);
      for (let i = 0; i < last; i++) heap[off + i] = rb[(row0 + i) * k + c];
      heap.fill(0, off + Math.max(0, last), off + nr);
    }
    ex.annihilate(rAt * 8, k, bAt * 8, nr, row0);
  }
  ra.set(heap.subarray(rAt, rAt + k * k));
}
