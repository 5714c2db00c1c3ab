/**
 * The `normal` accumulator's Gram kernel on the WebAssembly SIMD module:
 * C += AᵀA over the upper triangle (blas.ts syrkUpperAdd) with 4 x 2 blocks
 * of C in f64x2 registers. Sums over rows are split over two SIMD lanes, so C
 * agrees with the JS kernel to rounding (each entry within a few ε of
 * Σ|aᵢ||aⱼ|) and is deterministic.
 */

import { evenUp, heapStart, heapView, KERNEL_BLOCK_ROWS, kernelExports } from './kernel-module.js';

const rootWeights = new Float64Array(KERNEL_BLOCK_ROWS);

/** Columns the kernel reads for q used ones (q rounded up to a multiple of 4, as blas.ts paddedColumns). */
function padded(q: number): number {
  return (q + 3) & ~3;
}

/**
 * Drop-in for syrkUpperAdd (blas.ts): C[i][j] += Σ_r A[r][i]·A[r][j] for
 * 0 ≤ i ≤ j < q, A column-major (`rows` rows, leading dimension lda), C
 * row-major (leading dimension ldc), upper triangle only. Unlike the JS
 * kernel, A needs no zero padding columns (they are supplied here).
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
  const nb = KERNEL_BLOCK_ROWS;
  const qp = padded(q);
  const cAt = heapStart();
  const cLen = evenUp(q * ldc);
  const aAt = cAt + cLen;
  const heap = heapView(ex, cLen + nb * qp);
  heap.set(c.subarray(0, q * ldc), cAt);
  heap.fill(0, aAt + q * nb, aAt + qp * nb);
  for (let row0 = 0; row0 < rows; row0 += nb) {
    const nr = Math.min(nb, rows - row0);
    for (let j = 0; j < q; j++) {
      heap.set(a.subarray(j * lda + row0, j * lda + row0 + nr), aAt + j * nb);
    }
    ex.syrkUpperAdd(nr, q, aAt * 8, cAt * 8, ldc);
  }
  c.set(heap.subarray(cAt, cAt + q * ldc));
}

/**
 * The block loop of addBatchComoments (comoments.ts) in one call: adds
 * Σ_r w_r (x_r − hi − lo)(x_r − hi − lo)ᵀ over the first `rows` rows of the q
 * columns `cols` to the upper triangle of `cm` (q x q row-major), where
 * (hi, lo) = (meanHi[c], meanLo[c]) is the batch mean of column c as an
 * unevaluated sum (zeros for the raw Gram) and w = 1 when `w` is undefined.
 * Each block of 128 rows is centered and scaled by √w exactly as in the JS
 * path and written straight into module memory; `cm` stays there for the
 * whole batch.
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
  const qp = padded(q);
  const nb = KERNEL_BLOCK_ROWS;
  const cAt = heapStart();
  const cLen = evenUp(q * q);
  const bAt = cAt + cLen;
  const heap = heapView(ex, cLen + nb * qp);
  heap.set(cm.subarray(0, q * q), cAt);
  heap.fill(0, bAt + q * nb, bAt + qp * nb);
  const rootW = rootWeights;
  for (let row0 = 0; row0 < rows; row0 += nb) {
    const nr = Math.min(nb, rows - row0);
    if (w !== undefined) {
      for (let i = 0; i < nr; i++) rootW[i] = Math.sqrt(w[row0 + i]);
    }
    for (let c = 0; c < q; c++) {
      const x = cols[c] as Float64Array;
      const off = bAt + c * nb - row0;
      const hi = meanHi[c];
      const lo = meanLo[c];
      if (w === undefined) {
        for (let i = row0, end = row0 + nr; i < end; i++) heap[off + i] = x[i] - hi - lo;
      } else {
        for (let i = row0, end = row0 + nr; i < end; i++) {
          heap[off + i] = (x[i] - hi - lo) * rootW[i - row0];
        }
      }
    }
    ex.syrkUpperAdd(nr, q, bAt * 8, cAt * 8, q);
  }
  cm.set(heap.subarray(cAt, cAt + q * q));
}
