/**
 * The SGD epoch's row kernels on the WebAssembly SIMD module (wasm/kernels.ts
 * `sgdRowsSlab`, `sgdBatch`, `sgdEvaluateRows`; the JS mirror and the layout
 * are in numerics/sgd/sgd-rows.ts, with the same bits).
 *
 * The unit's standardized rows live in module memory for a whole epoch:
 *
 *     [rows: n·s][perm: n u32][center, invScale: 2·(p + 1)][a: p][g: p]
 *     [resid: blockRows][sums: 4][slab: SLAB_ROWS·(p + 2)]
 *
 * (every region a whole, even number of doubles). The batch columns reach it
 * one slab at a time; only θ's p entries go in and the p column sums come
 * out per mini-batch.
 */

import type { DesignBatch } from '../types.js';
import {
  evenUp,
  heapStart,
  heapView,
  type KernelExports,
  kernelExports,
  SLAB_ROWS,
} from './kernel-module.js';

/** The SGD exports of the module (declared here, beside their only caller). */
interface SgdKernelExports {
  sgdRowsSlab(
    z: number,
    s: number,
    p: number,
    slab: number,
    slabLd: number,
    rows: number,
    center: number,
    invScale: number,
    weighted: number,
  ): void;
  sgdBatch(
    z: number,
    s: number,
    p: number,
    perm: number,
    count: number,
    a: number,
    c: number,
    withTarget: number,
    weighted: number,
    wScale: number,
    resid: number,
    g: number,
    sums: number,
  ): void;
  sgdEvaluateRows(
    z: number,
    s: number,
    p: number,
    rows: number,
    a: number,
    c: number,
    weighted: number,
    resid: number,
    blockRows: number,
    g: number,
    sums: number,
  ): void;
}

/** Residuals per block of the evaluation (any size gives the same bits). */
const EVALUATE_BLOCK_ROWS = 256;

/** The most bytes of module memory the rows may take (wasm32 memory ends at 4 GiB). */
const MAX_MODULE_BYTES = 3.5 * 2 ** 30;

/** A unit's rows loaded into module memory (doubles' indices into `heap`). */
export interface WasmSgdRows {
  readonly ex: KernelExports & SgdKernelExports;
  readonly heap: Float64Array;
  readonly p: number;
  readonly rows: number;
  readonly stride: number;
  readonly weighted: boolean;
  /** Where to write the permutation (n entries), a view of module memory. */
  readonly perm: Uint32Array;
  readonly zAt: number;
  readonly permAt: number;
  readonly aAt: number;
  readonly gAt: number;
  readonly residAt: number;
  readonly sumsAt: number;
}

/** True when `rows` rows of p features fit in module memory with room to spare. */
export function wasmSgdRowsFit(
  rows: number,
  p: number,
  weighted: boolean,
  batchSize: number,
): boolean {
  const s = evenUp(p + 2 + (weighted ? 1 : 0));
  const doubles =
    rows * s + rows / 2 + 6 * (p + 2) + batchSize + EVALUATE_BLOCK_ROWS + SLAB_ROWS * (p + 2);
  return doubles * 8 < MAX_MODULE_BYTES;
}

/**
 * Standardize `batch` into module memory (sgd-rows.ts layout, stride s) and
 * return where everything lives; `batchSize` sizes the residual scratch.
 */
export function wasmLoadSgdRows(
  batch: DesignBatch,
  center: Float64Array,
  invScale: Float64Array,
  s: number,
  batchSize: number,
): WasmSgdRows {
  const ex = kernelExports('sgdRowsSlab') as KernelExports & SgdKernelExports;
  const p = batch.x.length;
  const n = batch.rows;
  const weighted = batch.w !== undefined;
  const zAt = heapStart();
  const permAt = zAt + n * s;
  const statsAt = permAt + evenUp(Math.ceil(n / 2));
  const aAt = statsAt + 2 * evenUp(p + 1);
  const gAt = aAt + evenUp(p);
  const residAt = gAt + evenUp(p);
  const sumsAt = residAt + evenUp(Math.max(batchSize, EVALUATE_BLOCK_ROWS));
  const slabAt = sumsAt + 4;
  const width = p + 1 + (weighted ? 1 : 0);
  const heap = heapView(ex, slabAt - zAt + SLAB_ROWS * width);
  const invAt = statsAt + evenUp(p + 1);
  heap.set(center.subarray(0, p + 1), statsAt);
  heap.set(invScale.subarray(0, p + 1), invAt);
  for (let row0 = 0; row0 < n; row0 += SLAB_ROWS) {
    const nr = Math.min(SLAB_ROWS, n - row0);
    for (let c = 0; c < width; c++) {
      const src = c < p ? batch.x[c] : c === p ? batch.y : (batch.w as Float64Array);
      heap.set(src.subarray(row0, row0 + nr), slabAt + c * SLAB_ROWS);
    }
    ex.sgdRowsSlab(
      (zAt + row0 * s) * 8,
      s * 8,
      p,
      slabAt * 8,
      SLAB_ROWS,
      nr,
      statsAt * 8,
      invAt * 8,
      weighted ? 1 : 0,
    );
  }
  const perm = new Uint32Array(heap.buffer, permAt * 8, n);
  return {
    ex,
    heap,
    p,
    rows: n,
    stride: s,
    weighted,
    perm,
    zAt,
    permAt,
    aAt,
    gAt,
    residAt,
    sumsAt,
  };
}

/** sgd-rows.ts jsSgdBatch on the loaded rows (θ's feature part from a[aAt..], sums to g[gAt..] and sums). */
export function wasmSgdBatch(
  m: WasmSgdRows,
  first: number,
  count: number,
  a: Float64Array,
  aAt: number,
  c: number,
  withTarget: boolean,
  wScale: number,
  g: Float64Array,
  gAt: number,
  sums: Float64Array,
): void {
  const { heap, p } = m;
  for (let j = 0; j < p; j++) heap[m.aAt + j] = a[aAt + j];
  m.ex.sgdBatch(
    m.zAt * 8,
    m.stride * 8,
    p,
    m.permAt * 8 + first * 4,
    count,
    m.aAt * 8,
    c,
    withTarget ? 1 : 0,
    m.weighted ? 1 : 0,
    wScale,
    m.residAt * 8,
    m.gAt * 8,
    m.sumsAt * 8,
  );
  for (let j = 0; j < p; j++) g[gAt + j] = heap[m.gAt + j];
  sums[0] = heap[m.sumsAt];
  sums[1] = heap[m.sumsAt + 1];
}

/** sgd-rows.ts jsSgdEvaluateRows on the loaded rows. */
export function wasmSgdEvaluateRows(
  m: WasmSgdRows,
  a: Float64Array,
  aAt: number,
  c: number,
  g: Float64Array,
  gAt: number,
  sums: Float64Array,
): void {
  const { heap, p } = m;
  for (let j = 0; j < p; j++) heap[m.aAt + j] = a[aAt + j];
  m.ex.sgdEvaluateRows(
    m.zAt * 8,
    m.stride * 8,
    p,
    m.rows,
    m.aAt * 8,
    c,
    m.weighted ? 1 : 0,
    m.residAt * 8,
    EVALUATE_BLOCK_ROWS,
    m.gAt * 8,
    m.sumsAt * 8,
  );
  for (let j = 0; j < p; j++) g[gAt + j] = heap[m.gAt + j];
  sums[0] = heap[m.sumsAt];
  sums[1] = heap[m.sumsAt + 1];
  sums[2] = heap[m.sumsAt + 2];
}
