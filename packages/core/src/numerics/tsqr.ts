/**
 * Tall-skinny QR (TSQR): the upper triangular R of a stream of rows, kept up
 * to date block by block, and the merge of two such R factors.
 *
 * ## Method
 *
 * For rows A = [A₁; A₂; …], R is the triangular factor of A = QR. Each block
 * of rows B is folded in by the QR of [R; B] (so R_newᵀR_new = RᵀR + BᵀB in
 * exact arithmetic): its columns are annihilated four at a time by Householder
 * reflections, and each group of four is applied to the trailing columns in
 * compact WY form (householder.ts; LAPACK's dtpqrt with block size 4).
 * Two partial results merge by the QR of [R_a; R_b]; R_b is triangular and
 * stays triangular under the reflections, so the panel at columns j0..j0+3
 * only touches the first j0 + 4 rows of R_b (a structured factorization
 * costing ~⅔k³ instead of 2k³ flops).
 *
 * Stability: Householder QR is columnwise backward stable (Higham, Accuracy
 * and Stability of Numerical Algorithms, 2nd ed., Thm 19.4): the computed R
 * is the exact factor of A + ΔA with ‖Δa_j‖₂ ≤ γ·‖a_j‖₂ for every column,
 * γ a modest multiple of ε (growing at worst with the number of blocks and
 * merges a row passes through), in any grouping of blocks and merges.
 *
 * The diagonal of R is non-negative (see householder.ts), so R is unique
 * when A has full column rank.
 */

import {
  applyBlockReflector4,
  applyReflector,
  buildBlockTriangle4,
  EXP,
  makeReflector,
} from './householder.js';
import { SLOT_MERGE_TRIANGLE, scratch } from './scratch.js';

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
  for (let j0 = 0, width = 0; j0 < k; j0 += width) {
    width = EXP.has('first1') && j0 === 0 ? 1 : Math.min(4, k - j0);
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
      for (let c = j + 1; c < (EXP.has('unblk') || width === 1 ? k : jEnd); c++)
        applyReflector(panelRows, b, vOff, c * ldb, tau, r, j * k + c);
    }
    if (jEnd >= k || !any || EXP.has('unblk') || width === 1) continue;
    buildBlockTriangle4(panelRows, b, ldb, j0, taus, tri);
    applyBlockReflector4(panelRows, b, ldb, j0, tri, r, k, jEnd, k);
  }
}

/**
 * Replaces R_a by the triangular factor of [R_a; R_b] (both k x k row-major
 * upper triangular). R_b is not modified.
 */
export function mergeTriangles(ra: Float64Array, rb: Float64Array, k: number): void {
  const b = scratch(SLOT_MERGE_TRIANGLE, k * k);
  // Transpose the upper triangle of R_b into column-major storage; zero the rest.
  for (let c = 0; c < k; c++) {
    const off = c * k;
    for (let i = 0; i <= c; i++) b[off + i] = rb[i * k + c];
    b.fill(0, off + c + 1, off + k);
  }
  annihilateBlock(ra, k, b, k, k, true);
}
