/**
 * The `qr` accumulator's kernels on the WebAssembly SIMD module: the blocked
 * Householder TSQR of tsqr.ts (column 0 first, then compact-WY panels of four,
 * non-negative diagonal, blocks of 128 rows), computed bit for bit as the JS
 * kernels compute it (see wasm/kernels.ts for how), so the two paths give the
 * same R.
 *
 * R stays in module memory for a whole batch, and the batch rows are copied
 * into it once (in slabs of at most SLAB_ROWS rows and 8 MiB, slabRows), so
 * nothing is copied per block.
 */

import {
  evenUp,
  heapStart,
  heapView,
  KERNEL_BLOCK_ROWS,
  kernelExports,
  SLAB_ROWS,
} from './kernel-module.js';

/**
 * Doubles per row of a row-major block of k columns: even, so rows stay
 * 16-byte aligned, and with column 0 placed at an odd index the odd columns —
 * where the four-column groups of the trailing update start (1, 5, 9, …) —
 * are 16-byte aligned.
 */
function blockStride(k: number): number {
  return evenUp(k + 1);
}

/** At most this many doubles of batch rows in module memory at a time (8 MiB). */
const SLAB_DOUBLES = 1 << 20;

/**
 * Rows of a slab of q columns: SLAB_ROWS, or fewer so the slab stays within
 * SLAB_DOUBLES — at p = 4,000 a 2,048-row slab took 65 MB of module memory
 * per worker, which module memory keeps once grown. Any multiple of 128 rows
 * gives the same bits: the kernel folds 128-row blocks counted from the
 * slab's first row, hence from the batch's.
 */
function slabRows(q: number): number {
  const nb = KERNEL_BLOCK_ROWS;
  return Math.max(nb, Math.floor(Math.min(SLAB_ROWS, SLAB_DOUBLES / q) / nb) * nb);
}

/**
 * Drop-in for updateQrState's body (qr-accumulator.ts): folds the batch
 * columns `cols` = [x₁ … x_p y] (n rows; rows scaled by √w when `w` is given,
 * with a leading column of ones, or of √w, when `intercept`) into the k x k
 * row-major upper triangular R. The columns (and weights) are copied into
 * module memory one slab at a time; the module forms each 128-row block of
 * [1 X y] exactly as the JS path does and annihilates it against R.
 *
 * With `accept`, each slab's largest |x| per column is also taken as it sits
 * in cache (NaN for a column holding a NaN; slabMaxAbs in wasm/kernels.ts),
 * and `accept` sees the batch's maxima: when it returns false, R — which
 * lives in module memory for the batch — is not copied back, so `r` is
 * untouched, and the result is false.
 */
export function wasmUpdateQr(
  r: Float64Array,
  k: number,
  cols: readonly Float64Array[],
  n: number,
  w: Float64Array | undefined,
  intercept: boolean,
  accept?: (maxima: Float64Array) => boolean,
  /** Rows per slab, a multiple of 128 (tests vary it; the bits do not depend on it). */
  rows = slabRows(cols.length),
): boolean {
  const ex = kernelExports('wasmUpdateQr');
  const nb = KERNEL_BLOCK_ROWS;
  const stride = blockStride(k);
  const q = cols.length;
  const rAt = heapStart();
  const blockAt = rAt + evenUp(k * k);
  const rootAt = blockAt + nb * stride + 2;
  const wAt = rootAt + nb;
  const maxAt = wAt + rows;
  const slabAt = maxAt + evenUp(q);
  const heap = heapView(ex, slabAt - rAt + rows * q);
  heap.set(r.subarray(0, k * k), rAt);
  const check = accept !== undefined;
  if (check) heap.fill(0, maxAt, maxAt + q);
  for (let row0 = 0; row0 < n; row0 += rows) {
    const nr = Math.min(rows, n - row0);
    for (let c = 0; c < q; c++) {
      heap.set((cols[c] as Float64Array).subarray(row0, row0 + nr), slabAt + c * rows);
    }
    if (check) ex.slabMaxAbs(slabAt * 8, rows * 8, nr, q, maxAt * 8);
    if (w !== undefined) heap.set(w.subarray(row0, row0 + nr), wAt);
    ex.qrSlab(
      rAt * 8,
      k,
      (blockAt + 1) * 8,
      stride * 8,
      nb,
      slabAt * 8,
      rows,
      nr,
      intercept ? 1 : 0,
      w === undefined ? 0 : wAt * 8,
      rootAt * 8,
    );
  }
  if (accept !== undefined && !accept(heap.slice(maxAt, maxAt + q))) return false;
  r.set(heap.subarray(rAt, rAt + k * k));
  return true;
}

/**
 * Drop-in for annihilateBlock (tsqr.ts): folds `rows` rows of B (column-major,
 * leading dimension ldb, k columns) into R, with the same result bits. B is
 * read, not modified (the JS kernel overwrites it with the reflectors;
 * callers use neither).
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
  const stride = blockStride(k);
  const rAt = heapStart();
  const blockAt = rAt + evenUp(k * k) + 1;
  const heap = heapView(ex, evenUp(k * k) + 2 + rows * stride);
  heap.set(r.subarray(0, k * k), rAt);
  for (let c = 0; c < k; c++) {
    const src = c * ldb;
    for (let i = 0, o = blockAt + c; i < rows; i++, o += stride) heap[o] = b[src + i];
  }
  ex.annihilate(rAt * 8, k, blockAt * 8, stride * 8, rows, triangular ? 1 : 0);
  r.set(heap.subarray(rAt, rAt + k * k));
}

/**
 * Folds the n rows of a row-major matrix `rows` (leading dimension k; in a
 * merge, the other factor R_b) into R, KERNEL_BLOCK_ROWS rows at a time as
 * ordinary (non-triangular) blocks: the same bits as foldRowsJs (tsqr.ts).
 * R is copied into module memory once for all blocks, so a merge streams
 * each 128-row block through cache instead of the whole triangle per panel.
 */
export function wasmFoldRows(r: Float64Array, k: number, rows: Float64Array, n: number): void {
  if (n <= 0) return;
  const ex = kernelExports('wasmFoldRows');
  const nb = KERNEL_BLOCK_ROWS;
  const stride = blockStride(k);
  const rAt = heapStart();
  const blockAt = rAt + evenUp(k * k) + 1;
  const heap = heapView(ex, evenUp(k * k) + 2 + nb * stride);
  heap.set(r.subarray(0, k * k), rAt);
  for (let i0 = 0; i0 < n; i0 += nb) {
    const nr = Math.min(nb, n - i0);
    for (let i = 0; i < nr; i++) {
      const o = blockAt + i * stride;
      heap.set(rows.subarray((i0 + i) * k, (i0 + i + 1) * k), o);
    }
    ex.annihilate(rAt * 8, k, blockAt * 8, stride * 8, nr, 0);
  }
  r.set(heap.subarray(rAt, rAt + k * k));
}
