/**
 * Tall-skinny QR (TSQR): the upper triangular R of a stream of rows, kept up
 * to date block by block, and the merge of two such R factors.
 *
 * ## Method
 *
 * For rows A = [A₁; A₂; …], R is the triangular factor of A = QR. Each block
 * of rows B is folded in by the QR of [R; B] (so R_newᵀR_new = RᵀR + BᵀB in
 * exact arithmetic). Column 0 is annihilated first and its reflector applied
 * to every other column on its own; the remaining columns are annihilated four
 * at a time (panels 1..4, 5..8, …), each group of four applied to the trailing
 * columns in compact WY form (householder.ts; LAPACK's dtpqrt with block
 * size 4).
 *
 * Why column 0 alone: it is the intercept whenever the model has one, and its
 * reflector removes the block's mean from every other column. In compact WY
 * the inner products vᵢᵀb of the panel's later reflectors are taken with the
 * trailing columns as they were before the panel, i.e. uncentered, so their
 * rounding errors scale with |mean| instead of the centered spread. With
 * column 0 applied first those products see centered data, as in unblocked
 * Householder QR (LAPACK's dgeqr2, which numpy uses at these sizes). Measured
 * on the reference problems (tests/core/accuracy-reference.test.ts, median
 * over 20 row orders): Longley-like 11.5 → 13.7 correct digits, Wampler4
 * 11.6 → 11.9, others unchanged within noise; the cost is one unblocked
 * reflector per block (≈ +3% update time at k = 102).
 *
 * Two partial results merge by the QR of [R_a; R_b] in double-double
 * arithmetic (dd-triangle-merge.ts), so a merge adds only the final rounding
 * of R whatever the number of merges a row passes through.
 *
 * Stability: Householder QR is columnwise backward stable (Higham, Accuracy
 * and Stability of Numerical Algorithms, 2nd ed., Thm 19.4): the computed R
 * is the exact factor of A + ΔA with ‖Δa_j‖₂ ≤ γ·‖a_j‖₂ for every column,
 * γ a modest multiple of ε (growing at worst with the number of blocks and
 * merges a row passes through, each merge adding at most ε/2 per entry), in
 * any grouping of blocks and merges.
 *
 * The diagonal of R is non-negative (see householder.ts), so R is unique
 * when A has full column rank.
 */

import { wasmFoldRows, wasmKernelsAvailable } from '../wasm/index.js';
import { mergeTrianglesDd } from './dd-triangle-merge.js';
import {
  applyBlockReflector4,
  applyReflector,
  buildBlockTriangle4,
  makeReflector,
} from './householder.js';

const taus = new Float64Array(4);
const tri = new Float64Array(16);

/**
 * Folds the rows of B (column-major, `rows` x k, leading dimension ldb) into
 * the k x k row-major upper triangular R (leading dimension k). B is
 * overwritten. With `triangular`, B is upper triangular (column c nonzero
 * only in rows 0..c) and the work is restricted to its nonzero part.
 */
export function annihilateBlock(
  r: Float64Array,
  k: number,
  b: Float64Array,
  ldb: number,
  rows: number,
  triangular: boolean,
): void {
  if (rows <= 0) return;
  // Column 0 on its own, applied to all other columns before any panel (see above).
  const tau0 = makeReflector(triangular ? 1 : rows, b, 0, r, 0);
  if (tau0 !== 0) {
    for (let c = 1; c < k; c++) applyReflector(triangular ? 1 : rows, b, 0, c * ldb, tau0, r, c);
  }
  for (let j0 = 1; j0 < k; j0 += 4) {
    const width = Math.min(4, k - j0);
    const panelRows = triangular ? Math.min(rows, j0 + width) : rows;
    const jEnd = j0 + width;
    let any = false;
    for (let jj = 0; jj < width; jj++) {
      const j = j0 + jj;
      const vOff = j * ldb;
      const tau = makeReflector(panelRows, b, vOff, r, j * k + j);
      taus[jj] = tau;
      if (tau === 0) continue;
      any = true;
      for (let c = j + 1; c < jEnd; c++)
        applyReflector(panelRows, b, vOff, c * ldb, tau, r, j * k + c);
    }
    if (jEnd >= k || !any) continue;
    buildBlockTriangle4(panelRows, b, ldb, j0, taus, tri);
    applyBlockReflector4(panelRows, b, ldb, j0, tri, r, k, jEnd, k);
  }
}

/**
 * Widest factor merged in double-double. The dd merge costs ~7× the double
 * one and grows as k³ (measured 193 ms at k = 402, 2.2 s at k = 1,001, all on
 * the main thread), while its gain — about one digit, and only when many
 * small states are merged — does not grow with k. Wider factors are folded in
 * double by the row kernel (foldRows): backward stable, ε·‖a_c‖ per column
 * and merge.
 */
export const DD_MERGE_MAX_COLUMNS = 512;

/** Rows of R_b folded at a time by foldRows: the row kernels' block (wasm/kernel-module.ts). */
const FOLD_BLOCK_ROWS = 128;

/**
 * Replaces R_a by the triangular factor of [R_a; R_b] (both k x k row-major
 * upper triangular): in double-double and rounded once (dd-triangle-merge.ts)
 * up to DD_MERGE_MAX_COLUMNS, in double beyond. R_b is not modified.
 */
export function mergeTriangles(ra: Float64Array, rb: Float64Array, k: number): void {
  if (k <= DD_MERGE_MAX_COLUMNS) {
    mergeTrianglesDd(ra, rb, k);
    return;
  }
  if (wasmKernelsAvailable()) wasmFoldRows(ra, k, rb, k);
  else foldRows(ra, k, rb, k);
}

/**
 * Folds the n rows of the row-major `rows` (leading dimension k) into R as
 * ordinary blocks of FOLD_BLOCK_ROWS rows — in a merge, the rows of R_b.
 *
 * Why by rows and not as one triangular block (annihilateBlock's
 * `triangular`): that sweeps the whole k × k triangle of R_b once per
 * four-column panel, k/4 sweeps of up to 8k² bytes, memory-bound (one merge
 * at k = 4,002: 12 s in WebAssembly). A block of 128 rows of R_b stays in
 * cache while its panels are applied; its columns left of its first row are
 * zero, so their reflectors are the identity (τ = 0) and skipped, and the
 * flops are the triangular fold's, about (2/3)k³ (k = 4,002: 2.9 s; k =
 * 1,002: 0.05 s against 0.09 s). The result is the same backward-stable
 * Householder fold, in a different order of reflections.
 */
export function foldRows(r: Float64Array, k: number, rows: Float64Array, n: number): void {
  const nb = FOLD_BLOCK_ROWS;
  const b = new Float64Array(nb * k);
  for (let i0 = 0; i0 < n; i0 += nb) {
    const nr = Math.min(nb, n - i0);
    // Column-major block (leading dimension nb), as annihilateBlock takes it; it overwrites b.
    for (let c = 0; c < k; c++) {
      for (let i = 0; i < nr; i++) b[c * nb + i] = rows[(i0 + i) * k + c] as number;
    }
    annihilateBlock(r, k, b, nb, nr, false);
  }
}
