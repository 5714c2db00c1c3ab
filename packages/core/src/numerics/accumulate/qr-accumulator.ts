/**
 * The `qr` accumulator's payload operations: its state is the k x k upper
 * triangular R (row-major) of the weighted augmented design [1 X y], with
 * RᵀR = AᵀWA (see tsqr.ts for the method and householder.ts for the sign
 * convention: R has a non-negative diagonal).
 */

import type { AccumulatorSpec } from '../types.js';
import { wasmKernelsAvailable, wasmUpdateQr } from '../wasm/index.js';
import { SLOT_BLOCK, SLOT_ROOT_WEIGHTS, scratch } from './scratch.js';
import { augmentedColumns } from './state-format.js';
import { annihilateBlock, mergeTriangles } from './tsqr.js';
import { columnsInRange, magnitudeInRange } from './value-range.js';

/** Whether every column's largest |x| (NaN for a column holding a NaN) is in range. */
const allInRange = (maxima: Float64Array): boolean => maxima.every(magnitudeInRange);

/**
 * Rows per Householder block. Larger blocks amortize the panel work and the R-row
 * updates; the trailing update streams the block once per 4-column panel, so it
 * need not fit in L1 (measured: 128 beats 32–64 by ~5–15% at k = 102, ties at k = 402).
 */
const QR_BLOCK_ROWS = 128;

/**
 * Folds the batch columns [x₁ … x_p y] (rows scaled by √w) into R, QR_BLOCK_ROWS
 * rows at a time: each block of [1 X y] is copied column-major into a reused
 * work buffer and annihilated against R (tsqr.ts). With `checked` false the
 * values are checked first (value-range.ts): when one is non-finite or out of
 * range, R is left as it was and the result is false.
 */
export function updateQrState(
  spec: AccumulatorSpec,
  r: Float64Array,
  cols: readonly Float64Array[],
  n: number,
  w: Float64Array | undefined,
  checked = true,
): boolean {
  const k = augmentedColumns(spec);
  if (wasmKernelsAvailable()) {
    // The same kernels in WebAssembly SIMD when available (wasm/qr-kernels.ts): same bits.
    return wasmUpdateQr(r, k, cols, n, w, spec.intercept, checked ? undefined : allInRange);
  }
  if (!checked && !columnsInRange(cols, n)) return false;
  const nb = QR_BLOCK_ROWS;
  const block = scratch(SLOT_BLOCK, nb * k);
  const rootW = w === undefined ? undefined : scratch(SLOT_ROOT_WEIGHTS, nb);
  const first = spec.intercept ? 1 : 0;
  for (let row0 = 0; row0 < n; row0 += nb) {
    const nr = Math.min(nb, n - row0);
    if (rootW === undefined || w === undefined) {
      if (spec.intercept) block.fill(1, 0, nr);
      for (let c = 0; c < cols.length; c++) {
        block.set((cols[c] as Float64Array).subarray(row0, row0 + nr), (c + first) * nb);
      }
    } else {
      for (let i = 0; i < nr; i++) rootW[i] = Math.sqrt(w[row0 + i]);
      if (spec.intercept) block.set(rootW.subarray(0, nr), 0);
      for (let c = 0; c < cols.length; c++) {
        const x = cols[c] as Float64Array;
        const off = (c + first) * nb - row0;
        for (let i = row0, end = row0 + nr; i < end; i++) block[off + i] = x[i] * rootW[i - row0];
      }
    }
    annihilateBlock(r, k, block, nb, nr, false);
  }
  return true;
}

/**
 * R_a ← the R of [R_a; R_b]. `wa`, `wb` are the states' Σw: Σw = 0 means every
 * row had weight 0, so that R is exactly zero and the work is skipped.
 */
export function mergeQrStates(
  spec: AccumulatorSpec,
  ra: Float64Array,
  rb: Float64Array,
  wa: number,
  wb: number,
): void {
  if (wb === 0) return;
  if (wa === 0) ra.set(rb);
  else mergeTriangles(ra, rb, augmentedColumns(spec));
}
