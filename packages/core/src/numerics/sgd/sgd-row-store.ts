/**
 * A unit's standardized rows for one epoch (sgd-rows.ts layout) on the
 * WebAssembly SIMD kernels when available and the rows fit in module memory,
 * else on the plain-JS kernels; both give the same bits. Either way the rows
 * live in per-thread scratch that is grown, never shrunk, and reused by the
 * next unit (one unit's worth of memory per worker).
 *
 * A store is valid until the next kernel call of any kind on the thread
 * (the SIMD kernels share the module memory): runSgdEpoch and
 * evaluateSgdAll load and use theirs synchronously.
 */

import type { DesignBatch } from '../types.js';
import {
  type WasmSgdRows,
  wasmKernelsAvailable,
  wasmLoadSgdRows,
  wasmSgdBatch,
  wasmSgdEvaluateRows,
  wasmSgdRowsFit,
} from '../wasm/index.js';
import {
  jsSgdBatch,
  jsSgdEvaluateRows,
  jsSgdRows,
  type SgdSums,
  sgdRowStride,
} from './sgd-rows.js';
import type { Standardization } from './standardize.js';

export interface SgdRowStore {
  /** Rows per unit; `perm[0..rows)` is where the epoch's row order goes. */
  readonly rows: number;
  readonly perm: Uint32Array;
  /**
   * One mini-batch over rows perm[first..first+count) at intercept c and
   * features a[aAt..aAt+p): writes Σ_r e_r z_r to g[gAt..gAt+p) and the
   * batch's [Σ w e², Σ e] to sums (sgd-rows.ts jsSgdBatch).
   */
  batch(
    first: number,
    count: number,
    a: Float64Array,
    aAt: number,
    c: number,
    withTarget: boolean,
    wScale: number,
    g: Float64Array,
    gAt: number,
    sums: SgdSums,
  ): void;
  /** Full-batch sums over the rows in order: g = Σ w e z, sums = [Σ w e², Σ w e, Σ w]. */
  evaluate(
    a: Float64Array,
    aAt: number,
    c: number,
    g: Float64Array,
    gAt: number,
    sums: SgdSums,
  ): void;
}

let zScratch = new Float64Array(0);
let permScratch = new Uint32Array(0);
let residScratch = new Float64Array(0);

function wasmStore(m: WasmSgdRows): SgdRowStore {
  return {
    rows: m.rows,
    perm: m.perm,
    batch: (first, count, a, aAt, c, withTarget, wScale, g, gAt, sums) =>
      wasmSgdBatch(m, first, count, a, aAt, c, withTarget, wScale, g, gAt, sums),
    evaluate: (a, aAt, c, g, gAt, sums) => wasmSgdEvaluateRows(m, a, aAt, c, g, gAt, sums),
  };
}

function jsStore(
  batch: DesignBatch,
  std: Standardization,
  s: number,
  batchSize: number,
): SgdRowStore {
  const n = batch.rows;
  const p = std.p;
  const weighted = batch.w !== undefined;
  if (zScratch.length < n * s) zScratch = new Float64Array(Math.max(n * s, 2 * zScratch.length));
  if (permScratch.length < n) permScratch = new Uint32Array(Math.max(n, 2 * permScratch.length));
  if (residScratch.length < batchSize) residScratch = new Float64Array(batchSize);
  const z = zScratch;
  const perm = permScratch;
  const resid = residScratch;
  jsSgdRows(batch, std, z, 0, s);
  return {
    rows: n,
    perm,
    batch: (first, count, a, aAt, c, withTarget, wScale, g, gAt, sums) =>
      jsSgdBatch(
        z,
        0,
        s,
        p,
        perm,
        first,
        count,
        a,
        aAt,
        c,
        withTarget,
        weighted,
        wScale,
        resid,
        g,
        gAt,
        sums,
      ),
    evaluate: (a, aAt, c, g, gAt, sums) =>
      jsSgdEvaluateRows(z, 0, s, p, n, a, aAt, c, weighted, g, gAt, sums),
  };
}

/** Standardize the unit's rows for this epoch (on the SIMD kernels when they can hold them). */
export function loadSgdRows(
  batch: DesignBatch,
  std: Standardization,
  batchSize: number,
): SgdRowStore {
  const weighted = batch.w !== undefined;
  const s = sgdRowStride(std.p, weighted);
  if (wasmKernelsAvailable() && wasmSgdRowsFit(batch.rows, std.p, weighted, batchSize)) {
    return wasmStore(wasmLoadSgdRows(batch, std.center, std.invScale, s, batchSize));
  }
  return jsStore(batch, std, s, batchSize);
}
