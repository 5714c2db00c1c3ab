/**
 * The double-double triangle merge (accumulate/dd-triangle-merge.ts) on the
 * WebAssembly SIMD module (wasm/kernels.ts ddMergeMaxAbs, ddMergeLoad,
 * ddMergeStep, ddMergeStore): bit for bit the JS merge — the same scalar dd
 * operations for each reflector, the same expressions per entry in the same
 * order for the trailing columns, lanes across columns — with only the
 * column scales (k logarithms) chosen here, by the JS path's own functions.
 *
 * Why: the merges run on the main thread, where every millisecond is taken
 * from a worker on a machine with as many workers as cores. One call per
 * column step, not one per merge: V8 swaps a module function's optimized
 * code in only at a call, and the few merges of a fit would otherwise run in
 * the baseline compiler's code.
 */
import { evenUp, heapStart, heapView, type KernelExports, kernelExports } from './kernel-module.js';

/** The module exports used here (wasm/kernels.ts); every pointer is a byte offset. */
interface DdMergeExports {
  ddMergeMaxAbs(ra: number, rb: number, k: number, p: number, big: number): void;
  ddMergeLoad(
    ra: number,
    rb: number,
    k: number,
    p: number,
    inv: number,
    ah: number,
    al: number,
    bh: number,
    bl: number,
    ld: number,
  ): void;
  ddMergeStep(
    ah: number,
    al: number,
    bh: number,
    bl: number,
    ld: number,
    k: number,
    j: number,
    rows: number,
    x: number,
  ): void;
  ddMergeStore(ah: number, al: number, ld: number, k: number, scale: number, ra: number): void;
}

/** Module memory of a merge: R_a, R_b, then three k-vectors, A, B and scratch (see below). */
function layout(k: number, p: number) {
  const kk = evenUp(k * k);
  const kc = evenUp(k);
  const ld = evenUp(k + 3);
  const raAt = heapStart();
  const rbAt = raAt + kk;
  const bigAt = rbAt + kk;
  const invAt = bigAt + kc;
  const scaleAt = invAt + kc;
  const ahAt = scaleAt + kc;
  const alAt = ahAt + k * ld;
  const bhAt = alAt + k * ld;
  const blAt = bhAt + p * ld;
  const xAt = blAt + p * ld;
  return { ld, raAt, rbAt, bigAt, invAt, scaleAt, ahAt, alAt, bhAt, blAt, xAt, end: xAt + 4 * p };
}

/**
 * R_a ← the triangular factor of [R_a; R_b] (k x k row-major, R_b with p > 0
 * nonzero leading rows), as mergeTrianglesDd. R_b is not modified. Both are
 * copied into module memory once: the module takes each column's largest
 * |entry| of R_a (rows 0..c) and R_b (rows 0..min(p, c + 1)) into big (NaN
 * when one is NaN, as Math.max), `chooseScales` sets from it inv[c] = 2^−e
 * and scale[c] = 2^e (accumulate/dd-column-scale.ts; it must not use the
 * module), and column c is scaled by inv[c] before and by scale[c] after.
 *
 * Module memory: R_a, R_b, then per column its largest |entry|, 2^−e and
 * 2^e, then A (k rows) and B (p rows) with row stride ld = k + 3 rounded up
 * to even (the kernel takes four columns at a time into padding columns),
 * hi and lo parts apart, then 4p doubles of scratch.
 */
export function wasmMergeTrianglesDd(
  ra: Float64Array,
  rb: Float64Array,
  k: number,
  p: number,
  chooseScales: (big: Float64Array, inv: Float64Array, scale: Float64Array) => void,
): void {
  const ex = kernelExports('wasmMergeTrianglesDd') as KernelExports & DdMergeExports;
  const at = layout(k, p);
  const m = heapView(ex, at.end - at.raAt);
  m.set(ra.subarray(0, k * k), at.raAt);
  m.set(rb.subarray(0, k * k), at.rbAt);
  ex.ddMergeMaxAbs(at.raAt * 8, at.rbAt * 8, k, p, at.bigAt * 8);
  chooseScales(
    m.subarray(at.bigAt, at.bigAt + k),
    m.subarray(at.invAt, at.invAt + k),
    m.subarray(at.scaleAt, at.scaleAt + k),
  );
  const { ld, ahAt, alAt, bhAt, blAt } = at;
  ex.ddMergeLoad(
    at.raAt * 8,
    at.rbAt * 8,
    k,
    p,
    at.invAt * 8,
    ahAt * 8,
    alAt * 8,
    bhAt * 8,
    blAt * 8,
    ld,
  );
  for (let j = 0; j < k; j++) {
    ex.ddMergeStep(
      ahAt * 8,
      alAt * 8,
      bhAt * 8,
      blAt * 8,
      ld,
      k,
      j,
      Math.min(p, j + 1),
      at.xAt * 8,
    );
  }
  ex.ddMergeStore(ahAt * 8, alAt * 8, ld, k, at.scaleAt * 8, at.raAt * 8);
  ra.set(m.subarray(at.raAt, at.raAt + k * k));
}
