/**
 * The co-moments of a batch whose design has one-hot blocks (a formula's
 * factor terms: each block has at most one nonzero per row), added to a
 * `normal` state without touching the zeros: a row costs O(q_d² + F·q_d + F²)
 * for q_d dense columns and F blocks, not O(q²).
 *
 * ## Method
 *
 * The batch's weighted means m (as hi + lo, the corrected two-pass means of
 * comoments.ts) are taken over every column, zeros included. Then, with
 * S_c = Σ w z_c and E_d = Σ w (x_d − m_d) (≈ 0, kept for its rounding):
 *
 * - dense × dense: the centered Gram of the dense columns (the same kernel);
 * - dense d × sparse c:  Σ w (x_d − m_d)(z_c − m_c) = Σ_{z_c≠0} w (x_d − m_d) z_c − m_c E_d;
 * - sparse c × sparse c′: Σ w z_c z_c′ − m_c S_c′ − m_c′ S_c + W m_c m_c′,
 *   where Σ w z_c z_c′ is summed over the rows where both are nonzero
 *   (the diagonal within a block, pairs across blocks).
 *
 * The batch's centered co-moments then merge into the state exactly as a
 * dense batch's (combineMeans). Dense columns keep the centered accuracy of
 * comoments.ts; a sparse column's products are raw sums, exact for 0/1
 * indicators and as accurate as raw sums for a factor × number column.
 */

import type { SparseColumns } from '../types.js';
import { addBatchComoments, combineMeans } from './comoments.js';

/**
 * Adds one batch to a co-moment state over q = p + 1 columns (features in
 * design order, then y). `dense` are the batch's dense feature columns (in
 * `sparse.dense` order) followed by y.
 */
export function addSparseBatchComoments(
  meanHi: Float64Array,
  meanLo: Float64Array,
  cm: Float64Array,
  weightBefore: number,
  dense: readonly Float64Array[],
  sparse: SparseColumns,
  p: number,
  rows: number,
  w: Float64Array | undefined,
  batchWeight: number,
  centered: boolean,
): void {
  const q = p + 1;
  const qd = dense.length;
  // Design index of each dense column (y is column p).
  const where = Int32Array.from([...sparse.dense, p]);
  // Dense part: its own centered co-moments, scattered into cm.
  const dHi = new Float64Array(qd);
  const dLo = new Float64Array(qd);
  const dcm = new Float64Array(qd * qd);
  addBatchComoments(dHi, dLo, dcm, 0, dense, rows, w, batchWeight, centered);
  // addBatchComoments moved (dHi, dLo) onto the batch means (state weight 0).

  const sparseIndex = new Int32Array(q).fill(-1);
  const sparseColumns: number[] = [];
  const denseSet = new Uint8Array(q);
  for (const d of where) denseSet[d] = 1;
  for (let c = 0; c < p; c++) {
    if (denseSet[c] === 0) {
      sparseIndex[c] = sparseColumns.length;
      sparseColumns.push(c);
    }
  }
  const ns = sparseColumns.length;
  // S_c and the batch means of the sparse columns.
  const sums = new Float64Array(ns);
  const blocks = sparse.columns.length;
  for (let b = 0; b < blocks; b++) {
    const cols = sparse.columns[b] as Int32Array;
    const vals = sparse.values[b];
    for (let i = 0; i < rows; i++) {
      const c = cols[i] as number;
      if (c < 0) continue;
      const wi = w === undefined ? 1 : (w[i] as number);
      sums[sparseIndex[c] as number] += wi * (vals === undefined ? 1 : (vals[i] as number));
    }
  }
  const sHi = new Float64Array(ns);
  const sLo = new Float64Array(ns);
  if (centered) {
    for (let s = 0; s < ns; s++) sHi[s] = (sums[s] as number) / batchWeight;
    // Correction pass: Σ w (z − hi) = S − hi·W over all rows, zeros included.
    for (let s = 0; s < ns; s++) {
      sLo[s] = ((sums[s] as number) - (sHi[s] as number) * batchWeight) / batchWeight;
    }
  }
  // E_d = Σ w (x_d − m_d): the dense columns' centering residue.
  const residue = new Float64Array(qd);
  if (centered) {
    for (let d = 0; d < qd; d++) {
      const x = dense[d] as Float64Array;
      const hi = dHi[d] as number;
      const lo = dLo[d] as number;
      let e = 0;
      for (let i = 0; i < rows; i++)
        e += (w === undefined ? 1 : (w[i] as number)) * ((x[i] as number) - hi - lo);
      residue[d] = e;
    }
  }
  // Cross sums: cross[s·qd + d] = Σ_{z_s≠0} w z_s (x_d − m_d); pair sums within/between blocks.
  const cross = new Float64Array(ns * qd);
  const pairs = new Float64Array(ns * ns);
  const centeredRow = new Float64Array(qd);
  for (let i = 0; i < rows; i++) {
    const wi = w === undefined ? 1 : (w[i] as number);
    if (wi === 0) continue;
    let any = false;
    for (let b = 0; b < blocks; b++)
      if (((sparse.columns[b] as Int32Array)[i] as number) >= 0) any = true;
    if (!any) continue;
    for (let d = 0; d < qd; d++) {
      centeredRow[d] =
        ((dense[d] as Float64Array)[i] as number) - (dHi[d] as number) - (dLo[d] as number);
    }
    for (let b = 0; b < blocks; b++) {
      const c = (sparse.columns[b] as Int32Array)[i] as number;
      if (c < 0) continue;
      const vb = sparse.values[b];
      const v = wi * (vb === undefined ? 1 : (vb[i] as number));
      const s = sparseIndex[c] as number;
      const row = s * qd;
      for (let d = 0; d < qd; d++) cross[row + d] += v * (centeredRow[d] as number);
      for (let b2 = b; b2 < blocks; b2++) {
        const c2 = (sparse.columns[b2] as Int32Array)[i] as number;
        if (c2 < 0) continue;
        const vb2 = sparse.values[b2];
        const v2 = vb2 === undefined ? 1 : (vb2[i] as number);
        const s2 = sparseIndex[c2] as number;
        const lo = Math.min(s, s2);
        const hi = Math.max(s, s2);
        pairs[lo * ns + hi] += v * v2;
      }
    }
  }
  // The batch's centered co-moments over all q columns, in design order.
  const bcm = new Float64Array(q * q);
  const put = (a: number, b: number, v: number): void => {
    const i = Math.min(a, b);
    const j = Math.max(a, b);
    bcm[i * q + j] = (bcm[i * q + j] as number) + v;
  };
  for (let a = 0; a < qd; a++) {
    for (let b = a; b < qd; b++)
      put(where[a] as number, where[b] as number, dcm[a * qd + b] as number);
  }
  for (let s = 0; s < ns; s++) {
    const c = sparseColumns[s] as number;
    const m = (sHi[s] as number) + (sLo[s] as number);
    for (let d = 0; d < qd; d++) {
      put(c, where[d] as number, (cross[s * qd + d] as number) - m * (residue[d] as number));
    }
    for (let s2 = s; s2 < ns; s2++) {
      const c2 = sparseColumns[s2] as number;
      const m2 = (sHi[s2] as number) + (sLo[s2] as number);
      const raw = pairs[s * ns + s2] as number;
      const v = centered
        ? raw - m * (sums[s2] as number) - m2 * (sums[s] as number) + batchWeight * m * m2
        : raw;
      put(c, c2, v);
    }
  }
  for (let i = 0; i < q * q; i++) cm[i] = (cm[i] as number) + (bcm[i] as number);
  if (!centered) return;
  // Merge the batch means into the state's (the dense and sparse halves in design order).
  const bHi = new Float64Array(q);
  const bLo = new Float64Array(q);
  where.forEach((c, d) => {
    bHi[c] = dHi[d] as number;
    bLo[c] = dLo[d] as number;
  });
  sparseColumns.forEach((c, s) => {
    bHi[c] = sHi[s] as number;
    bLo[c] = sLo[s] as number;
  });
  combineMeans(meanHi, meanLo, cm, weightBefore, bHi, bLo, batchWeight, q);
}

/** The batch as dense columns (for accumulators without a sparse path): zeros filled in. */
export function densifyColumns(
  dense: readonly Float64Array[],
  sparse: SparseColumns,
  p: number,
  rows: number,
): Float64Array[] {
  const out: Float64Array[] = [];
  const at = new Int32Array(p).fill(-1);
  sparse.dense.forEach((c, d) => {
    at[c] = d;
  });
  for (let c = 0; c < p; c++) {
    const d = at[c] as number;
    out.push(d >= 0 ? (dense[d] as Float64Array) : new Float64Array(rows));
  }
  sparse.columns.forEach((cols, b) => {
    const vals = sparse.values[b];
    for (let i = 0; i < rows; i++) {
      const c = cols[i] as number;
      if (c >= 0) (out[c] as Float64Array)[i] = vals === undefined ? 1 : (vals[i] as number);
    }
  });
  return out;
}
