/**
 * Weighted means and co-moment matrices of the columns [X y] — the state of
 * the `normal` (Gram) accumulator.
 *
 * ## Method
 *
 * With an intercept the state is (W, x̄, C) with W = Σw, x̄ = Σ w x / W and
 * C = Σ w (x − x̄)(x − x̄)ᵀ, never the raw Σ w x xᵀ: raw sums lose every digit
 * of the spread when a column is near 1e9 with unit spread, centered sums
 * lose none (Chan, Golub & LeVeque, "Algorithms for computing the sample
 * variance", Am. Stat. 37, 1983).
 *
 * A batch is summarized in two passes: its weighted means (with one
 * correction pass, x̄ ← x̄ + Σ w (x − x̄) / W, which removes the rounding error
 * of the first pass — the "corrected two-pass algorithm" of the same paper),
 * then its centered co-moments by a blocked Gram kernel over √w (x − x̄_b)
 * (blas.ts syrkUpperAdd). Two summaries (W_a, x̄_a, C_a) and (W_b, x̄_b, C_b)
 * merge by the weighted pairwise update (means kept as unevaluated sums
 * hi + lo, so δ keeps its digits when the means are large)
 *   W = W_a + W_b,  δ = x̄_b − x̄_a,
 *   x̄ = x̄_a + δ W_b / W,
 *   C = C_a + C_b + δ δᵀ W_a W_b / W.
 * A fixed order of batches and merges gives bitwise identical states.
 *
 * Without an intercept the least-squares problem needs the raw Gram Σ w x xᵀ,
 * so that is what C holds (means stay zero).
 */

import { paddedColumns, syrkUpperAdd } from '../linalg/index.js';
import { wasmAddCenteredGram, wasmKernelsAvailable } from '../wasm/index.js';
import { SLOT_BLOCK, SLOT_ROOT_WEIGHTS, scratch } from './scratch.js';
import { columnsInRange, magnitudeInRange } from './value-range.js';

/** Rows per Gram block: the block (rows x q doubles) should stay in L2. */
const BLOCK_ROWS = 128;

/**
 * Weighted means of the first `rows` entries of each column, as unevaluated
 * sums hi + lo: hi = Σ w x / W, lo = Σ w (x − hi) / W (the correction pass).
 * x − hi is exact when x is within a factor 2 of hi (Sterbenz), so hi + lo
 * carries the mean to about ε·spread rather than ε·|mean|.
 *
 * Each sum is one chain of dependent additions (their order fixes the bits),
 * so a loop over one column runs at the adder's latency; four columns go
 * through each loop together, four independent chains in flight, each summed
 * in the same order as alone — the same bits, about three times faster.
 *
 * The first pass also records each column's largest |x| in `max`, so that a
 * batch whose values were not checked yet is checked here, in a read the
 * means make anyway (value-range.ts; NaN, which no comparison picks, shows
 * in the sum instead).
 */
function batchMeans(
  cols: readonly Float64Array[],
  rows: number,
  w: Float64Array | undefined,
  weight: number,
  hi: Float64Array,
  lo: Float64Array,
  max: Float64Array,
): void {
  const q = cols.length;
  let c = 0;
  for (; c + 4 <= q; c += 4) {
    if (w === undefined) means4(cols, c, rows, weight, hi, lo, max);
    else weightedMeans4(cols, c, rows, w, weight, hi, lo, max);
  }
  for (; c < q; c++) {
    const x = cols[c] as Float64Array;
    let s = 0;
    let mx = 0;
    if (w === undefined) {
      for (let i = 0; i < rows; i++) {
        const v = x[i];
        s += v;
        const a = Math.abs(v);
        if (a > mx) mx = a;
      }
    } else {
      for (let i = 0; i < rows; i++) {
        const v = x[i];
        s += w[i] * v;
        const a = Math.abs(v);
        if (a > mx) mx = a;
      }
    }
    max[c] = mx;
    const m = s / weight;
    let d = 0;
    if (w === undefined) {
      for (let i = 0; i < rows; i++) d += x[i] - m;
    } else {
      for (let i = 0; i < rows; i++) d += w[i] * (x[i] - m);
    }
    hi[c] = m;
    lo[c] = d / weight;
  }
}

let primed = false;

/**
 * Runs batchMeans once on a few rows before its first real batch. Called
 * cold on a 60,000-row batch, V8 compiles the means loops on stack
 * replacement before the code after each loop ever ran, so that code has no
 * type feedback; the compiled loop then bails out ("insufficient type
 * feedback", a soft deoptimization that keeps the code) at the end of every
 * call, and the rest of the call runs in the interpreter — about 25 ms over a
 * worker's first batch at 62,500 x 101 (measured). A few small calls first
 * leave feedback everywhere.
 */
function primeMeans(): void {
  if (primed) return;
  primed = true;
  const rows = 6;
  const cols = Array.from({ length: 5 }, (_, c) =>
    Float64Array.from({ length: rows }, (_, i) => (i - 1.75) * (c + 0.5)),
  );
  const w = Float64Array.from({ length: rows }, (_, i) => 0.5 + i);
  let weight = 0;
  for (let i = 0; i < rows; i++) weight += w[i];
  const hi = new Float64Array(5);
  const lo = new Float64Array(5);
  const max = new Float64Array(5);
  // V8 allocates a function's feedback vector only after a few calls (8 in Node 20).
  for (let k = 0; k < 12; k++) {
    batchMeans(cols, rows, undefined, rows, hi, lo, max);
    batchMeans(cols, rows, w, weight, hi, lo, max);
  }
}

/** batchMeans of columns c … c+3, unweighted. */
function means4(
  cols: readonly Float64Array[],
  c: number,
  rows: number,
  weight: number,
  hi: Float64Array,
  lo: Float64Array,
  max: Float64Array,
): void {
  const x0 = cols[c] as Float64Array;
  const x1 = cols[c + 1] as Float64Array;
  const x2 = cols[c + 2] as Float64Array;
  const x3 = cols[c + 3] as Float64Array;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let mx0 = 0;
  let mx1 = 0;
  let mx2 = 0;
  let mx3 = 0;
  for (let i = 0; i < rows; i++) {
    const v0 = x0[i];
    const v1 = x1[i];
    const v2 = x2[i];
    const v3 = x3[i];
    s0 += v0;
    s1 += v1;
    s2 += v2;
    s3 += v3;
    // Math.abs, not a sign test: random signs would mispredict a branch per value.
    const a0 = Math.abs(v0);
    const a1 = Math.abs(v1);
    const a2 = Math.abs(v2);
    const a3 = Math.abs(v3);
    if (a0 > mx0) mx0 = a0;
    if (a1 > mx1) mx1 = a1;
    if (a2 > mx2) mx2 = a2;
    if (a3 > mx3) mx3 = a3;
  }
  max[c] = mx0;
  max[c + 1] = mx1;
  max[c + 2] = mx2;
  max[c + 3] = mx3;
  const m0 = s0 / weight;
  const m1 = s1 / weight;
  const m2 = s2 / weight;
  const m3 = s3 / weight;
  let d0 = 0;
  let d1 = 0;
  let d2 = 0;
  let d3 = 0;
  for (let i = 0; i < rows; i++) {
    d0 += x0[i] - m0;
    d1 += x1[i] - m1;
    d2 += x2[i] - m2;
    d3 += x3[i] - m3;
  }
  hi[c] = m0;
  hi[c + 1] = m1;
  hi[c + 2] = m2;
  hi[c + 3] = m3;
  lo[c] = d0 / weight;
  lo[c + 1] = d1 / weight;
  lo[c + 2] = d2 / weight;
  lo[c + 3] = d3 / weight;
}

/** batchMeans of columns c … c+3, weighted. */
function weightedMeans4(
  cols: readonly Float64Array[],
  c: number,
  rows: number,
  w: Float64Array,
  weight: number,
  hi: Float64Array,
  lo: Float64Array,
  max: Float64Array,
): void {
  const x0 = cols[c] as Float64Array;
  const x1 = cols[c + 1] as Float64Array;
  const x2 = cols[c + 2] as Float64Array;
  const x3 = cols[c + 3] as Float64Array;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let mx0 = 0;
  let mx1 = 0;
  let mx2 = 0;
  let mx3 = 0;
  for (let i = 0; i < rows; i++) {
    const wi = w[i];
    const v0 = x0[i];
    const v1 = x1[i];
    const v2 = x2[i];
    const v3 = x3[i];
    s0 += wi * v0;
    s1 += wi * v1;
    s2 += wi * v2;
    s3 += wi * v3;
    const a0 = Math.abs(v0);
    const a1 = Math.abs(v1);
    const a2 = Math.abs(v2);
    const a3 = Math.abs(v3);
    if (a0 > mx0) mx0 = a0;
    if (a1 > mx1) mx1 = a1;
    if (a2 > mx2) mx2 = a2;
    if (a3 > mx3) mx3 = a3;
  }
  max[c] = mx0;
  max[c + 1] = mx1;
  max[c + 2] = mx2;
  max[c + 3] = mx3;
  const m0 = s0 / weight;
  const m1 = s1 / weight;
  const m2 = s2 / weight;
  const m3 = s3 / weight;
  let d0 = 0;
  let d1 = 0;
  let d2 = 0;
  let d3 = 0;
  for (let i = 0; i < rows; i++) {
    const wi = w[i];
    d0 += wi * (x0[i] - m0);
    d1 += wi * (x1[i] - m1);
    d2 += wi * (x2[i] - m2);
    d3 += wi * (x3[i] - m3);
  }
  hi[c] = m0;
  hi[c + 1] = m1;
  hi[c + 2] = m2;
  hi[c + 3] = m3;
  lo[c] = d0 / weight;
  lo[c + 1] = d1 / weight;
  lo[c + 2] = d2 / weight;
  lo[c + 3] = d3 / weight;
}

/**
 * Adds one batch to a co-moment state. `meanHi`, `meanLo` (q each, the mean
 * as an unevaluated sum) and `cm` (q x q row-major, upper) are the state;
 * `weightBefore` its Σw before the batch and `batchWeight` the batch's
 * Σw (> 0). `cols` are the q columns [x₁ … x_p y].
 *
 * With `checked` false the values have not been checked yet: then, when some
 * value is non-finite or out of range (value-range.ts), nothing is added and
 * the result is false, for the caller to find and report the row; the check
 * rides on the means' first pass (or, uncentered, takes a pass of its own).
 */
export function addBatchComoments(
  meanHi: Float64Array,
  meanLo: Float64Array,
  cm: Float64Array,
  weightBefore: number,
  cols: readonly Float64Array[],
  rows: number,
  w: Float64Array | undefined,
  batchWeight: number,
  centered: boolean,
  checked = true,
): boolean {
  const q = cols.length;
  const bHi = new Float64Array(q);
  const bLo = new Float64Array(q);
  if (centered) {
    primeMeans();
    const max = new Float64Array(q);
    batchMeans(cols, rows, w, batchWeight, bHi, bLo, max);
    if (!checked) {
      for (let c = 0; c < q; c++) {
        // A non-finite value makes the mean non-finite (w x is NaN for w = 0 and x = ±Infinity).
        const m = bHi[c];
        if (!(m - m === 0 && magnitudeInRange(max[c]))) return false;
      }
    }
  } else if (!checked && !columnsInRange(cols, rows)) return false;
  // The same block loop in WebAssembly SIMD when available (wasm/gram-kernels.ts): same bits.
  if (wasmKernelsAvailable()) wasmAddCenteredGram(cm, cols, rows, w, bHi, bLo);
  else addCenteredGramJs(cm, cols, rows, w, bHi, bLo);
  if (centered) combineMeans(meanHi, meanLo, cm, weightBefore, bHi, bLo, batchWeight, q);
  return true;
}

/** The JS block loop: cm += Σ w (x − hi − lo)(x − hi − lo)ᵀ, upper triangle. */
function addCenteredGramJs(
  cm: Float64Array,
  cols: readonly Float64Array[],
  rows: number,
  w: Float64Array | undefined,
  bHi: Float64Array,
  bLo: Float64Array,
): void {
  const q = cols.length;
  const qpad = paddedColumns(q);
  const nb = BLOCK_ROWS;
  // Zeroed once per batch: the padding columns q..qpad−1 must read as zeros.
  const block = scratch(SLOT_BLOCK, nb * qpad, true);
  const rootW = w === undefined ? undefined : scratch(SLOT_ROOT_WEIGHTS, nb);

  for (let row0 = 0; row0 < rows; row0 += nb) {
    const nr = Math.min(nb, rows - row0);
    if (rootW !== undefined && w !== undefined) {
      for (let i = 0; i < nr; i++) rootW[i] = Math.sqrt(w[row0 + i]);
    }
    for (let c = 0; c < q; c++) {
      const x = cols[c] as Float64Array;
      const off = c * nb - row0;
      const hi = bHi[c];
      const lo = bLo[c];
      if (rootW === undefined) {
        for (let i = row0, end = row0 + nr; i < end; i++) block[off + i] = x[i] - hi - lo;
      } else {
        for (let i = row0, end = row0 + nr; i < end; i++) {
          block[off + i] = (x[i] - hi - lo) * rootW[i - row0];
        }
      }
    }
    syrkUpperAdd(nr, q, block, nb, cm, q);
  }
}

/**
 * The mean part of the pairwise update: given that C_b has already been added
 * into `cm`, adds δ δᵀ W_a W_b / W and moves the mean (hi, lo) to the
 * combined mean. δ = (hi_b − hi_a) + (lo_b − lo_a) is accurate to about ε·|δ|
 * even when the means are near 1e9 and δ is tiny.
 */
export function combineMeans(
  hiA: Float64Array,
  loA: Float64Array,
  cm: Float64Array,
  wa: number,
  hiB: Float64Array,
  loB: Float64Array,
  wb: number,
  q: number,
): void {
  if (wb === 0) return;
  if (wa === 0) {
    for (let c = 0; c < q; c++) {
      hiA[c] = hiB[c];
      loA[c] = loB[c];
    }
    return;
  }
  const total = wa + wb;
  const f = (wa * wb) / total;
  const g = wb / total;
  const delta = new Float64Array(q);
  for (let c = 0; c < q; c++) delta[c] = hiB[c] - hiA[c] + (loB[c] - loA[c]);
  for (let i = 0; i < q; i++) {
    const fdi = f * delta[i];
    const row = i * q;
    for (let j = i; j < q; j++) cm[row + j] += fdi * delta[j];
  }
  for (let c = 0; c < q; c++) {
    // (hi, lo) += δ g, renormalized with Knuth's two-sum.
    const t = delta[c] * g;
    const s = hiA[c] + t;
    const bb = s - hiA[c];
    const err = hiA[c] - (s - bb) + (t - bb);
    const lo = loA[c] + err;
    const hi = s + lo;
    loA[c] = lo - (hi - s);
    hiA[c] = hi;
  }
}

/** Merges state b into state a (q columns); `wa`, `wb` are their Σw. */
export function mergeComoments(
  hiA: Float64Array,
  loA: Float64Array,
  cmA: Float64Array,
  wa: number,
  hiB: Float64Array,
  loB: Float64Array,
  cmB: Float64Array,
  wb: number,
  q: number,
  centered: boolean,
): void {
  for (let i = 0; i < q; i++) {
    const row = i * q;
    for (let j = i; j < q; j++) cmA[row + j] += cmB[row + j];
  }
  if (centered) combineMeans(hiA, loA, cmA, wa, hiB, loB, wb, q);
}
