/**
 * The `normal` accumulator's Gram kernel on the WebAssembly SIMD module:
 * C += AᵀA over the upper triangle (blas.ts syrkUpperAdd), 4 x 4 blocks of C
 * in eight f64x2 registers, computed bit for bit as the JS kernel computes it
 * (each entry's sum over the rows of a block in row order, then added to C;
 * see wasm/kernels.ts), so the two paths give the same co-moments.
 *
 * The batch means (comoments.ts batchMeans) stay in JS: their sums are
 * latency-bound chains either way, and copying the batch into module memory
 * twice more would cost as much as they do (measured 17 vs 16 ms at
 * 65 536 x 101).
 */

import {
  evenUp,
  heapStart,
  heapView,
  KERNEL_BLOCK_ROWS,
  kernelExports,
  SLAB_ROWS,
} from './kernel-module.js';

/** Columns the kernel reads for q used ones (q rounded up to a multiple of 4, as blas.ts paddedColumns). */
function padded(q: number): number {
  return (q + 3) & ~3;
}

/**
 * Drop-in for syrkUpperAdd (blas.ts): C[i][j] += Σ_r A[r][i]·A[r][j] for
 * 0 ≤ i ≤ j < q, A column-major (`rows` rows, leading dimension lda), C
 * row-major (leading dimension ldc), upper triangle only; same result bits.
 * Unlike the JS kernel, A needs no zero padding columns.
 */
export function wasmSyrkUpperAdd(
  rows: number,
  q: number,
  a: Float64Array,
  lda: number,
  c: Float64Array,
  ldc: number,
): void {
  const ex = kernelExports('wasmSyrkUpperAdd');
  const stride = padded(q);
  const cAt = heapStart();
  const cLen = evenUp(q * ldc);
  const aAt = cAt + cLen;
  const heap = heapView(ex, cLen + rows * stride);
  heap.set(c.subarray(0, q * ldc), cAt);
  heap.fill(0, aAt, aAt + rows * stride);
  for (let j = 0; j < q; j++) {
    const src = j * lda;
    for (let i = 0, o = aAt + j; i < rows; i++, o += stride) heap[o] = a[src + i];
  }
  ex.syrkUpperAdd(rows, q, aAt * 8, stride * 8, cAt * 8, ldc);
  c.set(heap.subarray(cAt, cAt + q * ldc));
}

/**
 * The block loop of addBatchComoments (comoments.ts) in one call: adds
 * Σ_r w_r (x_r − hi − lo)(x_r − hi − lo)ᵀ over the first `rows` rows of the q
 * columns `cols` to the upper triangle of `cm` (q x q row-major), where
 * (hi, lo) = (meanHi[c], meanLo[c]) is the batch mean of column c as an
 * unevaluated sum (zeros for the raw Gram) and w = 1 when `w` is undefined.
 * The columns (and weights) are copied into module memory one slab at a
 * time; the module centers and scales each 128-row block exactly as the JS
 * path does and adds its Gram; `cm` stays in module memory for the batch.
 */
export function wasmAddCenteredGram(
  cm: Float64Array,
  cols: readonly Float64Array[],
  rows: number,
  w: Float64Array | undefined,
  meanHi: Float64Array,
  meanLo: Float64Array,
): void {
  const ex = kernelExports('wasmAddCenteredGram');
  const q = cols.length;
  const stride = padded(q);
  const nb = KERNEL_BLOCK_ROWS;
  const slabRows = SLAB_ROWS;
  const cAt = heapStart();
  const blockAt = cAt + evenUp(q * q);
  const meansAt = blockAt + nb * stride;
  const rootAt = meansAt + evenUp(2 * q);
  const wAt = rootAt + nb;
  const slabAt = wAt + slabRows;
  const heap = heapView(ex, slabAt - cAt + slabRows * q);
  heap.set(cm.subarray(0, q * q), cAt);
  // The padding columns q..stride−1 of the block must read as zeros.
  heap.fill(0, blockAt, meansAt);
  heap.set(meanHi.subarray(0, q), meansAt);
  heap.set(meanLo.subarray(0, q), meansAt + q);
  for (let row0 = 0; row0 < rows; row0 += slabRows) {
    const nr = Math.min(slabRows, rows - row0);
    for (let c = 0; c < q; c++) {
      heap.set((cols[c] as Float64Array).subarray(row0, row0 + nr), slabAt + c * slabRows);
    }
    if (w !== undefined) heap.set(w.subarray(row0, row0 + nr), wAt);
    ex.gramSlab(
      cAt * 8,
      q,
      blockAt * 8,
      stride * 8,
      nb,
      slabAt * 8,
      slabRows,
      nr,
      meansAt * 8,
      w === undefined ? 0 : wAt * 8,
      rootAt * 8,
    );
  }
  cm.set(heap.subarray(cAt, cAt + q * q));
}

/**
 * C += Σ over row panels of AᵀA (upper triangle, C row-major n × n, ldc = n)
 * for A = Uᵀ of an upper-triangular row-major U: panel b holds rows
 * [r0, r0 + rows) of A, whose columns ≥ r0 + rows are zero, so each panel's
 * syrk runs over q = r0 + rows columns only. C stays in module memory for all
 * panels. Per panel, the same bits as syrkUpperAdd (blas.ts) on the panel.
 */
export function wasmTriangularGramPanels(
  u: Float64Array,
  n: number,
  c: Float64Array,
  panelRows: number,
): void {
  const ex = kernelExports('wasmTriangularGramPanels');
  const cAt = heapStart();
  const cLen = evenUp(n * n);
  const aAt = cAt + cLen;
  const heap = heapView(ex, cLen + panelRows * padded(n));
  heap.set(c.subarray(0, n * n), cAt);
  for (let r0 = 0; r0 < n; r0 += panelRows) {
    const rows = Math.min(panelRows, n - r0);
    const q = Math.min(n, r0 + rows);
    const stride = padded(q);
    heap.fill(0, aAt, aAt + rows * stride);
    // A[r][i] = U[i][r0 + r]: row r of the panel is column r0 + r of U, rows 0..r0 + r.
    for (let i = 0; i < q; i++) {
      const src = i * n + r0;
      const from = Math.max(0, i - r0);
      for (let r = from, o = aAt + r * stride + i; r < rows; r++, o += stride)
        heap[o] = u[src + r] as number;
    }
    ex.syrkUpperAdd(rows, q, aAt * 8, stride * 8, cAt * 8, n);
  }
  c.set(heap.subarray(cAt, cAt + n * n));
}
