/**
 * The merge of two TSQR triangles, R ← the triangular factor of [R_a; R_b],
 * computed in double-double arithmetic and rounded to double once at the end.
 *
 * ## Why double-double
 *
 * A merge is the one place where rounding accumulates with the number of
 * partial states rather than the number of rows: a state merged n times (the
 * worst case being 1-row states folded left to right in any order) has each
 * entry of R rounded after every merge, on top of the rounding inside the
 * merge's own reflections. In double, each merge adds a backward error of a
 * few ε·‖a_c‖ to every column c; in double-double it adds only the final
 * rounding of R (≤ ε/2 relative per entry). On the reference problems
 * (tests/core/accuracy-reference.test.ts), 1-row states merged left to right,
 * median correct digits over 20 shuffled orders went from 10.5 to 11.4
 * (Longley-like), 6.3 to 6.8 (Filip-like), 12.3 to 13.1 (Wampler2), 9.7 to
 * 10.8 (Wampler3), 10.5 to 11.6 (Wampler4) — the same as exact merges rounded
 * to double after each one (an mpmath simulation), i.e. the limit for states
 * stored in double, and at or above numpy's one-shot Householder QR on the
 * same rows in permuted orders.
 *
 * ## Method
 *
 * Structured Householder QR of the stacked triangles (as tsqr.ts, unblocked):
 * for column j, the reflector combines α = R_a[j][j] with the first
 * min(p, j+1) entries of R_b's column j (R_b stays upper trapezoidal), with
 * the sign convention and Parlett's formula of householder.ts, so the
 * diagonal of R stays non-negative. R_b's trailing zero rows never change and
 * are skipped: with p nonzero rows the merge costs about p·k² dd operations
 * (a 1-row state merges in O(k²)). Each dd multiply-add is ~25 flops, so a
 * full k x k merge costs ~7x the double one (measured: 3.4 ms vs 0.5 ms at
 * k = 102, 193 ms vs 25 ms at k = 402), still small next to the 2nk² flops of
 * building a state of n ≫ k rows (≈ 0.4 s for 64k rows at k = 102).
 *
 * Where: the merges of a fit run on the main thread, whose CPU a worker
 * loses when there are as many workers as cores, so with the WebAssembly
 * kernels available the whole merge runs there (wasm/dd-merge-kernels.ts;
 * the same bits). Measured at k = 101 (tsqr.ts mergeTriangles, one process,
 * 20 merges): JS 1.8 ms once optimized, 5–6 ms median (most merges of a fit
 * run before V8 has optimized this function); WebAssembly 0.84 ms, 0.9 ms
 * median. At k = 402: 110 ms JS, 46 ms WebAssembly.
 *
 * Range: every column is first scaled by a power of two (exact) so its
 * largest entry is in [1, 2); orthogonal transformations commute with column
 * scaling, so nothing in the dd arithmetic can overflow, and Dekker's split
 * (|x| < 2⁹⁹⁶) stays exact. A reflector whose v₁² underflows is the identity
 * to working precision and is skipped, as in householder.ts.
 *
 * Arithmetic: Dekker's TwoProduct and Knuth's TwoSum, with the accurate
 * (IEEE-style) dd addition of Hida, Li and Bailey's QD library, so sums with
 * cancellation keep ~104 bits.
 */

import { ddDiv, ddMul, ddSqrt } from '../linalg/index.js';
import { wasmKernelsAvailable, wasmMergeTrianglesDd } from '../wasm/index.js';
import { pow2, scaleExponent } from './dd-column-scale.js';

/** 2²⁷ + 1: Veltkamp's splitter. */
const SPLITTER = 134217729;

/** Grow-only work buffers (module state is per worker thread). */
let aHi = new Float64Array(0);
let aLo = new Float64Array(0);
let bHi = new Float64Array(0);
let bLo = new Float64Array(0);
let scales = new Float64Array(0);
const pair = new Float64Array(2);

function ensure(k: number, p: number): void {
  if (aHi.length < k * k) {
    aHi = new Float64Array(k * k);
    aLo = new Float64Array(k * k);
  }
  if (bHi.length < p * k) {
    bHi = new Float64Array(p * k);
    bLo = new Float64Array(p * k);
  }
  if (scales.length < k) scales = new Float64Array(k);
}

/** Number of leading rows of the upper triangular k x k `rb` that hold a nonzero entry. */
function nonzeroRows(rb: Float64Array, k: number): number {
  for (let i = k - 1; i >= 0; i--) {
    for (let c = i; c < k; c++) if (rb[i * k + c] !== 0) return i + 1;
  }
  return 0;
}

/**
 * Replaces the k x k row-major upper triangular R_a by the triangular factor
 * (non-negative diagonal) of [R_a; R_b]. R_b is not modified. Runs in
 * WebAssembly SIMD when the kernels are available (wasm/dd-merge-kernels.ts:
 * the same operations in the same order, so the same bits), else below.
 */
export function mergeTrianglesDd(ra: Float64Array, rb: Float64Array, k: number): void {
  const p = nonzeroRows(rb, k);
  if (p === 0) return;
  if (wasmKernelsAvailable()) {
    wasmMergeTrianglesDd(ra, rb, k, p, (big, inv, scale) => {
      for (let c = 0; c < k; c++) {
        const e = scaleExponent(big[c] as number);
        inv[c] = pow2(-e);
        scale[c] = pow2(e);
      }
    });
    return;
  }
  ensure(k, p);
  const ah = aHi;
  const al = aLo;
  const bh = bHi;
  const bl = bLo;
  // Column scales 2^−e that put each column's max |entry| in [1, 2) (for |e| ≤ 1000);
  // B column-major, ld = p.
  for (let c = 0; c < k; c++) {
    let big = 0;
    for (let i = 0; i <= c; i++) big = Math.max(big, Math.abs(ra[i * k + c]));
    const rows = Math.min(p, c + 1);
    for (let i = 0; i < rows; i++) big = Math.max(big, Math.abs(rb[i * k + c]));
    const e = scaleExponent(big);
    const s = pow2(-e);
    scales[c] = pow2(e);
    for (let i = 0; i <= c; i++) {
      ah[i * k + c] = ra[i * k + c] * s;
      al[i * k + c] = 0;
    }
    const off = c * p;
    for (let i = 0; i < rows; i++) {
      bh[off + i] = rb[i * k + c] * s;
      bl[off + i] = 0;
    }
    for (let i = rows; i < p; i++) {
      bh[off + i] = 0;
      bl[off + i] = 0;
    }
  }

  for (let j = 0; j < k; j++) {
    const rows = Math.min(p, j + 1);
    const vOff = j * p;
    // σ = Σ x_i² in dd.
    let sh = 0;
    let sl = 0;
    for (let i = 0; i < rows; i++) {
      ddMul(bh[vOff + i], bl[vOff + i], bh[vOff + i], bl[vOff + i], pair, 0);
      const x = pair[0];
      const xl = pair[1];
      // (sh, sl) += (x, xl), accurate dd addition.
      let s = sh + x;
      let bb = s - sh;
      let e = sh - (s - bb) + (x - bb);
      let t = sl + xl;
      bb = t - sl;
      const f = sl - (t - bb) + (xl - bb);
      e += t;
      t = s + e;
      e = e - (t - s);
      e += f;
      s = t + e;
      sl = e - (s - t);
      sh = s;
    }
    const ajj = j * k + j;
    const alphaH = ah[ajj];
    const alphaL = al[ajj];
    if (sh === 0) {
      if (alphaH >= 0) continue;
      // x = 0, α < 0: flip the sign of row j (τ = 2, v_B = 0).
      for (let c = j; c < k; c++) {
        ah[j * k + c] = -ah[j * k + c];
        al[j * k + c] = -al[j * k + c];
      }
      continue;
    }
    // μ = √(α² + σ).
    ddMul(alphaH, alphaL, alphaH, alphaL, pair, 0);
    ddAddPair(pair, sh, sl);
    ddSqrt(pair[0], pair[1], pair, 0);
    const muH = pair[0];
    const muL = pair[1];
    // v₁ = α − μ (α ≤ 0) or −σ / (α + μ) (Parlett, no cancellation).
    let v1H: number;
    let v1L: number;
    if (alphaH <= 0) {
      pair[0] = alphaH;
      pair[1] = alphaL;
      ddAddPair(pair, -muH, -muL);
      v1H = pair[0];
      v1L = pair[1];
    } else {
      pair[0] = alphaH;
      pair[1] = alphaL;
      ddAddPair(pair, muH, muL);
      ddDiv(-sh, -sl, pair[0], pair[1], pair, 0);
      v1H = pair[0];
      v1L = pair[1];
    }
    // τ = 2 v₁² / (σ + v₁²).
    ddMul(v1H, v1L, v1H, v1L, pair, 0);
    const q1H = pair[0];
    const q1L = pair[1];
    ddAddPair(pair, sh, sl);
    ddDiv(2 * q1H, 2 * q1L, pair[0], pair[1], pair, 0);
    const tauH = pair[0];
    const tauL = pair[1];
    ah[ajj] = muH;
    al[ajj] = muL;
    if (tauH === 0 || !Number.isFinite(tauH)) continue;
    // v_B = x / v₁.
    for (let i = 0; i < rows; i++) {
      ddDiv(bh[vOff + i], bl[vOff + i], v1H, v1L, pair, 0);
      bh[vOff + i] = pair[0];
      bl[vOff + i] = pair[1];
    }
    for (let c = j + 1; c < k; c++) {
      const cOff = c * p;
      const arc = j * k + c;
      // w = A[j][c] + Σ v_i B[i][c].
      let wh = ah[arc];
      let wl = al[arc];
      for (let i = 0; i < rows; i++) {
        const xh = bh[vOff + i];
        const xl = bl[vOff + i];
        const yh = bh[cOff + i];
        const yl = bl[cOff + i];
        // (ph, pl) = x·y (dd × dd, Dekker).
        const ph = xh * yh;
        let t = SPLITTER * xh;
        const x1 = t - (t - xh);
        const x2 = xh - x1;
        t = SPLITTER * yh;
        const y1 = t - (t - yh);
        const y2 = yh - y1;
        let pl = x1 * y1 - ph + x1 * y2 + x2 * y1 + x2 * y2;
        pl += xh * yl + xl * yh;
        // (wh, wl) += (ph, pl).
        const s = wh + ph;
        let bb = s - wh;
        let e = wh - (s - bb) + (ph - bb);
        let u = wl + pl;
        bb = u - wl;
        const f = wl - (u - bb) + (pl - bb);
        e += u;
        u = s + e;
        e = e - (u - s);
        e += f;
        wh = u + e;
        wl = e - (wh - u);
      }
      // w ← τ w.
      ddMul(tauH, tauL, wh, wl, pair, 0);
      wh = pair[0];
      wl = pair[1];
      // A[j][c] −= w.
      pair[0] = ah[arc];
      pair[1] = al[arc];
      ddAddPair(pair, -wh, -wl);
      ah[arc] = pair[0];
      al[arc] = pair[1];
      // B[:, c] −= w v.
      let t = SPLITTER * wh;
      const w1 = t - (t - wh);
      const w2 = wh - w1;
      for (let i = 0; i < rows; i++) {
        const xh = bh[vOff + i];
        const xl = bl[vOff + i];
        const ph = xh * wh;
        t = SPLITTER * xh;
        const x1 = t - (t - xh);
        const x2 = xh - x1;
        let pl = x1 * w1 - ph + x1 * w2 + x2 * w1 + x2 * w2;
        pl += xh * wl + xl * wh;
        // B[i][c] += (−ph, −pl).
        const yh = bh[cOff + i];
        const yl = bl[cOff + i];
        let s = yh - ph;
        let bb = s - yh;
        let e = yh - (s - bb) + (-ph - bb);
        let u = yl - pl;
        bb = u - yl;
        const f = yl - (u - bb) + (-pl - bb);
        e += u;
        u = s + e;
        e = e - (u - s);
        e += f;
        s = u + e;
        bh[cOff + i] = s;
        bl[cOff + i] = e - (s - u);
      }
    }
  }

  for (let i = 0; i < k; i++) {
    for (let c = i; c < k; c++) ra[i * k + c] = (ah[i * k + c] + al[i * k + c]) * scales[c];
  }
}

/** (pair[0], pair[1]) += (hi, lo), accurate dd addition. */
function ddAddPair(out: Float64Array, hi: number, lo: number): void {
  const ah = out[0];
  const al = out[1];
  let s = ah + hi;
  let bb = s - ah;
  let e = ah - (s - bb) + (hi - bb);
  let t = al + lo;
  bb = t - al;
  const f = al - (t - bb) + (lo - bb);
  e += t;
  t = s + e;
  e = e - (t - s);
  e += f;
  s = t + e;
  out[0] = s;
  out[1] = e - (s - t);
}
