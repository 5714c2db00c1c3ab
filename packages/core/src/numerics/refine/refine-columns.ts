/**
 * A refinement batch without the dd Gram (m > GRAM_MAX_COLUMNS), column by
 * column. The row loop in refine-state.ts gathers each row from m column
 * arrays, one cache line per value at large m (~20 ns a value at m = 1,001);
 * here every loop walks one column in order. The bits are the row loop's:
 * each row's residual takes the same operations in the same column order,
 * and each accumulator (gⱼ, the RSS) takes its rows' terms in row order —
 * only the interleaving between different accumulators changes.
 *
 * The WebAssembly SIMD module computes the same walk, with the same bits
 * (wasm/refine-kernels.ts), when available; LINREG_KERNELS=js keeps this one.
 */
import { columnsInRange, magnitudeInRange } from '../accumulate/index.js';
import { ddAdd, ddMul, ddMulDouble } from '../linalg/index.js';
import type { DesignBatch } from '../types.js';
import { wasmAddRefineColumns, wasmKernelsAvailable } from '../wasm/index.js';

/** Whether every column's largest |x| (NaN for a column holding a NaN) is in range. */
const allInRange = (maxima: Float64Array): boolean => maxima.every(magnitudeInRange);

/** Per-row scratch (residual and weighted residual, each a dd pair), grown as needed. */
let rh = new Float64Array(0);
let rl = new Float64Array(0);
let wrh = new Float64Array(0);
let wrl = new Float64Array(0);
const tmp = new Float64Array(2);
/** 2²⁷ + 1: Veltkamp's splitter (as in double-double.ts). */
const SPLITTER = 134217729;

function scratch(rows: number): void {
  if (rh.length >= rows) return;
  rh = new Float64Array(rows);
  rl = new Float64Array(rows);
  wrh = new Float64Array(rows);
  wrl = new Float64Array(rows);
}

/**
 * Adds Σ w·r·xⱼ to the dd pairs at data[g + 2j] and Σ w·r² to data[rss], for
 * r = y − Σ βⱼ xⱼ in double-double; rows of weight 0 are skipped. Column j of
 * the design is the intercept's ones when j < i0, else batch.x[j − i0].
 *
 * With `checked` false the batch's [X y] values have not been checked
 * (value-range.ts; its weights have): when one is non-finite or out of
 * range, `data` is left as it was and the result is false. The WebAssembly
 * walk checks them on its copy of each slab; this one in a pass of its own.
 */
export function addRefineColumns(
  data: Float64Array,
  g: number,
  rss: number,
  beta: Float64Array,
  i0: number,
  batch: DesignBatch,
  checked = true,
): boolean {
  if (wasmKernelsAvailable()) {
    return wasmAddRefineColumns(data, g, rss, beta, i0, batch, checked ? undefined : allInRange);
  }
  if (!checked && !columnsInRange([...batch.x, batch.y], batch.rows)) return false;
  addColumnsJs(data, g, rss, beta, i0, batch);
  return true;
}

function addColumnsJs(
  data: Float64Array,
  g: number,
  rss: number,
  beta: Float64Array,
  i0: number,
  batch: DesignBatch,
): void {
  const n = batch.rows;
  const m = beta.length;
  const { y, w } = batch;
  scratch(n);
  for (let i = 0; i < n; i++) {
    rh[i] = y[i];
    rl[i] = 0;
  }
  for (let j = 0; j < m; j++) {
    const b = beta[j] as number;
    const x = j < i0 ? undefined : (batch.x[j - i0] as Float64Array);
    // twoProduct(b, xᵢ) written out, b's halves split once per column.
    let t = SPLITTER * b;
    const bh = t - (t - b);
    const bl = b - bh;
    for (let i = 0; i < n; i++) {
      const xi = x === undefined ? 1 : (x[i] as number);
      const p = b * xi;
      t = SPLITTER * xi;
      const xh = t - (t - xi);
      const xl = xi - xh;
      const pl = bh * xh - p + bh * xl + bl * xh + bl * xl;
      const h = rh[i] as number;
      const ph = -p;
      const s1 = h + ph;
      const bb = s1 - h;
      const e = h - (s1 - bb) + (ph - bb) + ((rl[i] as number) - pl);
      const hi = s1 + e;
      rh[i] = hi;
      rl[i] = e - (hi - s1);
    }
  }
  let wh = rh;
  let wl = rl;
  if (w !== undefined) {
    for (let i = 0; i < n; i++) {
      ddMulDouble(rh[i] as number, rl[i] as number, w[i] as number, tmp, 0);
      wrh[i] = tmp[0] as number;
      wrl[i] = tmp[1] as number;
    }
    wh = wrh;
    wl = wrl;
  }
  for (let j = 0; j < m; j++) {
    const x = j < i0 ? undefined : (batch.x[j - i0] as Float64Array);
    const at = g + 2 * j;
    // ddMulDouble(wrᵢ, xᵢ) then ddAdd into (gh, gl), written out on locals.
    let gh = data[at] as number;
    let gl = data[at + 1] as number;
    for (let i = 0; i < n; i++) {
      if (w !== undefined && w[i] === 0) continue;
      const xi = x === undefined ? 1 : (x[i] as number);
      const a = wh[i] as number;
      const p = a * xi;
      let t = SPLITTER * a;
      const ah = t - (t - a);
      const al = a - ah;
      t = SPLITTER * xi;
      const xh = t - (t - xi);
      const xl = xi - xh;
      const e0 = ah * xh - p + ah * xl + al * xh + al * xl + (wl[i] as number) * xi;
      const mh = p + e0;
      const ml = e0 - (mh - p);
      const s = gh + mh;
      const bb = s - gh;
      const e = gh - (s - bb) + (mh - bb) + (gl + ml);
      gh = s + e;
      gl = e - (gh - s);
    }
    data[at] = gh;
    data[at + 1] = gl;
  }
  for (let i = 0; i < n; i++) {
    if (w !== undefined && w[i] === 0) continue;
    ddMul(wh[i] as number, wl[i] as number, rh[i] as number, rl[i] as number, tmp, 0);
    ddAdd(data, rss, tmp[0] as number, tmp[1] as number);
  }
}
