/**
 * A unit's rows for the SGD epoch: standardized once per epoch and held
 * ROW-major, and the plain-JS kernels over them (the WebAssembly SIMD
 * kernels, wasm/kernels.ts `sgdRowsSlab`, `sgdBatch`, `sgdEvaluateRows`,
 * compute the same bits; sgd-row-store.ts picks the path).
 *
 * ## Layout
 *
 * Row i starts at z[at + i·s]: z_1..z_p, t, then w when weighted, with
 *
 *     z_j = (x_j − x̄_j)·(1/s_j)  (exactly 0 for a feature without spread),
 *     t = (y − ȳ)·(1/s_y)         (standardize.ts),
 *
 * and the stride s even, so rows stay 16-byte aligned for f64x2.
 *
 * ## Why row-major
 *
 * A step visits rows in a random order. Column-major rows need a gather per
 * value to put them in that order (one random read per value: ~5 ns on a
 * 500 KB column, the largest cost of the old epoch); row-major rows are
 * built by a blocked transpose with sequential reads, and a step then reads
 * each of its rows as p contiguous doubles wherever it lies.
 *
 * ## Summation order (shared with the SIMD kernels)
 *
 * - Residual: e = ((t − c) or −c) − Σ_j a_j z_j, the dot as four running
 *   sums over j ≡ 0, 1, 2, 3 (mod 4) combined as (s0 + s1) + (s2 + s3), then
 *   the p mod 4 trailing terms in order.
 * - Column sums (the gradient): Σ_r e_r z_rj over the rows in order, one sum
 *   per column.
 */

import type { DesignBatch } from '../types.js';
import type { Standardization } from './standardize.js';

/** Doubles per row: p features, t, and w when weighted, rounded up to even. */
export function sgdRowStride(p: number, weighted: boolean): number {
  return (p + 2 + (weighted ? 1 : 0)) & ~1;
}

/** All rows of `batch`, standardized, into z from index `at` with row stride s (the layout above). */
export function jsSgdRows(
  batch: DesignBatch,
  std: Standardization,
  z: Float64Array,
  at: number,
  s: number,
): void {
  const { p, center, invScale } = std;
  const n = batch.rows;
  const w = batch.w;
  // Blocks of 16 rows keep the written rows in L1 (as the SIMD kernel).
  for (let r0 = 0; r0 < n; r0 += 16) {
    const nr = Math.min(16, n - r0);
    for (let j = 0; j <= p; j++) {
      const src = j < p ? batch.x[j] : batch.y;
      const inv = invScale[j];
      const mu = center[j];
      let o = at + r0 * s + j;
      if (inv === 0) {
        for (let r = 0; r < nr; r++, o += s) z[o] = 0;
        continue;
      }
      for (let r = 0; r < nr; r++, o += s) z[o] = (src[r0 + r] - mu) * inv;
    }
    if (w !== undefined) {
      let o = at + r0 * s + p + 1;
      for (let r = 0; r < nr; r++, o += s) z[o] = w[r0 + r];
    }
  }
}

/** Σ_j a[aAt + j]·z[o + j] over p entries, in the shared dot order. */
export function sgdRowDot(
  z: Float64Array,
  o: number,
  a: Float64Array,
  aAt: number,
  p: number,
): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < p; j += 4) {
    s0 += z[o + j] * a[aAt + j];
    s1 += z[o + j + 1] * a[aAt + j + 1];
    s2 += z[o + j + 2] * a[aAt + j + 2];
    s3 += z[o + j + 3] * a[aAt + j + 3];
  }
  let s = s0 + s1 + (s2 + s3);
  for (; j < p; j++) s += z[o + j] * a[aAt + j];
  return s;
}

/** Where a kernel leaves its scalar results: [0] the loss sum, [1] Σ e (the intercept's sum), [2] Σ w. */
export type SgdSums = Float64Array;

/**
 * One mini-batch over the rows perm[first..first+count): residuals at
 * a = θ[aAt..aAt+p) and intercept c into resid (times w·wScale when
 * weighted), then g[gAt + j] = Σ_r e_r z_rj; sums[0] = Σ w e² (or Σ e²) over
 * the batch, sums[1] = Σ_r e_r.
 */
export function jsSgdBatch(
  z: Float64Array,
  at: number,
  s: number,
  p: number,
  perm: Uint32Array,
  first: number,
  count: number,
  a: Float64Array,
  aAt: number,
  c: number,
  withTarget: boolean,
  weighted: boolean,
  wScale: number,
  resid: Float64Array,
  g: Float64Array,
  gAt: number,
  sums: SgdSums,
): void {
  let loss = 0;
  let g0 = 0;
  for (let r = 0; r < count; r++) {
    const o = at + perm[first + r] * s;
    const base = withTarget ? z[o + p] - c : -c;
    let e = base - sgdRowDot(z, o, a, aAt, p);
    if (weighted) {
      const wi = z[o + p + 1];
      loss += wi * e * e;
      e = e * (wi * wScale);
    } else {
      loss += e * e;
    }
    resid[r] = e;
    g0 += e;
  }
  sums[0] = loss;
  sums[1] = g0;
  for (let j = 0; j < p; j++) g[gAt + j] = 0;
  for (let r = 0; r < count; r++) {
    const o = at + perm[first + r] * s;
    const e = resid[r];
    for (let j = 0; j < p; j++) g[gAt + j] += e * z[o + j];
  }
}

/**
 * Full-batch sums over all `rows` rows in order at θ = (c, a): g[gAt + j] =
 * Σ w e z_j, sums = [Σ w e², Σ w e, Σ w] (evaluateSgd's quantities).
 */
export function jsSgdEvaluateRows(
  z: Float64Array,
  at: number,
  s: number,
  p: number,
  rows: number,
  a: Float64Array,
  aAt: number,
  c: number,
  weighted: boolean,
  g: Float64Array,
  gAt: number,
  sums: SgdSums,
): void {
  let loss = 0;
  let g0 = 0;
  let sw = 0;
  for (let j = 0; j < p; j++) g[gAt + j] = 0;
  for (let i = 0; i < rows; i++) {
    const o = at + i * s;
    const wi = weighted ? z[o + p + 1] : 1;
    const e = z[o + p] - c - sgdRowDot(z, o, a, aAt, p);
    loss += wi * e * e;
    sw += wi;
    const we = e * wi;
    g0 += we;
    for (let j = 0; j < p; j++) g[gAt + j] += we * z[o + j];
  }
  sums[0] = loss;
  sums[1] = g0;
  sums[2] = sw;
}
