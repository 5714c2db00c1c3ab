/**
 * The refinement pass's column walk (numerics/refine/refine-columns.ts
 * addRefineColumns) on the WebAssembly SIMD module (wasm/kernels.ts
 * refineSlab): the same operations per row and per column sum, in the same
 * order, so the same bits as the JS walk.
 *
 * The batch is copied into module memory a slab of rows at a time (every
 * column of the slab, the intercept as a column of ones); the dd sums g and
 * the RSS stay in module memory for the whole batch and are copied back at
 * the end — or not at all when `accept` refuses the batch's values.
 */

import type { DesignBatch } from '../types.js';
import { evenUp, heapStart, heapView, type KernelExports, kernelExports } from './kernel-module.js';

/** The module's refinement export (wasm/kernels.ts refineSlab); every pointer is a byte offset. */
interface RefineKernelExports extends KernelExports {
  refineSlab(
    x: number,
    ldb: number,
    m: number,
    y: number,
    w: number,
    rows: number,
    beta: number,
    split: number,
    g: number,
    rss: number,
    rh: number,
    rl: number,
    wh: number,
    wl: number,
  ): void;
}

/**
 * Doubles of module memory a slab may take (256 KB) at small m: the slab's
 * rows are chosen so its m + 2 columns fit, within [MIN_SLAB_ROWS,
 * MAX_SLAB_ROWS]. The slab size does not change the bits (residuals are per
 * row; the sums continue across slabs in row order; checked on the wide
 * file's --json output for 64, 512, 1,024, 2,048 and 2,500 rows).
 *
 * MIN_SLAB_ROWS keeps every column's copy into the slab ≥ 8 KB: with
 * 64-row slabs at m = 1,001 a 5,000-row batch took ~78,000
 * `heap.set(subarray)` calls, and its walk 34.7 ms of its thread's CPU
 * (median of 24 batches in CLI fits); with 1,024 rows 24.0 ms, the kernel no
 * slower (its two sweeps of the slab come from L3 either way). Module
 * memory stays below the QR kernel's slab (SLAB_ROWS = 2,048 rows of every
 * column) that pass 1 used.
 */
const SLAB_DOUBLES = 1 << 15;
const MIN_SLAB_ROWS = 1024;
const MAX_SLAB_ROWS = 8192;

/**
 * addRefineColumns's body: adds Σ w·r·xⱼ to the dd pairs at data[g + 2j] and
 * Σ w·r² to data[rss] for r = y − Σ βⱼ xⱼ (column j is the intercept's ones
 * when j < i0, else batch.x[j − i0]). With `accept`, each slab's largest |x|
 * per column of [X y] is taken as it sits in cache (slabMaxAbs: NaN for a
 * NaN); when `accept` refuses the batch's maxima, `data` is left untouched
 * and the result is false.
 */
export function wasmAddRefineColumns(
  data: Float64Array,
  g: number,
  rss: number,
  beta: Float64Array,
  i0: number,
  batch: DesignBatch,
  accept?: (maxima: Float64Array) => boolean,
): boolean {
  const ex = kernelExports('wasmAddRefineColumns') as RefineKernelExports;
  const n = batch.rows;
  const m = beta.length;
  const p = m - i0;
  const { y, w } = batch;
  const slabRows = Math.min(
    MAX_SLAB_ROWS,
    Math.max(MIN_SLAB_ROWS, Math.floor(SLAB_DOUBLES / (m + 2)) & ~1),
  );
  const betaAt = heapStart();
  const splitAt = betaAt + evenUp(m);
  const gAt = splitAt + 2 * m;
  const rssAt = gAt + 2 * m;
  const maxAt = rssAt + 2;
  const rhAt = maxAt + evenUp(p + 1);
  const rlAt = rhAt + slabRows;
  const whAt = rlAt + slabRows;
  const wlAt = whAt + slabRows;
  const slabAt = wlAt + slabRows;
  const yAt = slabAt + m * slabRows;
  const wAt = yAt + slabRows;
  const heap = heapView(ex, wAt + slabRows - betaAt);
  heap.set(beta, betaAt);
  heap.set(data.subarray(g, g + 2 * m), gAt);
  heap[rssAt] = data[rss] as number;
  heap[rssAt + 1] = data[rss + 1] as number;
  for (let j = 0; j < i0; j++) heap.fill(1, slabAt + j * slabRows, slabAt + (j + 1) * slabRows);
  if (accept !== undefined) heap.fill(0, maxAt, maxAt + p + 1);
  for (let row0 = 0; row0 < n; row0 += slabRows) {
    const nr = Math.min(slabRows, n - row0);
    for (let c = 0; c < p; c++) {
      heap.set(
        (batch.x[c] as Float64Array).subarray(row0, row0 + nr),
        slabAt + (i0 + c) * slabRows,
      );
    }
    heap.set(y.subarray(row0, row0 + nr), yAt);
    if (w !== undefined) heap.set(w.subarray(row0, row0 + nr), wAt);
    // The feature columns and y are adjacent: one scan of p + 1 columns.
    if (accept !== undefined) {
      ex.slabMaxAbs((slabAt + i0 * slabRows) * 8, slabRows * 8, nr, p + 1, maxAt * 8);
    }
    ex.refineSlab(
      slabAt * 8,
      slabRows * 8,
      m,
      yAt * 8,
      w === undefined ? 0 : wAt * 8,
      nr,
      betaAt * 8,
      splitAt * 8,
      gAt * 8,
      rssAt * 8,
      rhAt * 8,
      rlAt * 8,
      whAt * 8,
      wlAt * 8,
    );
  }
  if (accept !== undefined && !accept(heap.slice(maxAt, maxAt + p + 1))) return false;
  data.set(heap.subarray(gAt, gAt + 2 * m), g);
  data[rss] = heap[rssAt] as number;
  data[rss + 1] = heap[rssAt + 1] as number;
  return true;
}
