/**
 * Builds TriangularFactors of in-memory data with the real accumulators, the
 * way the engine does: one batch, or 1-row batches each in its own state merged
 * in a seeded shuffled order (the hardest merge pattern for rounding).
 */
import {
  createAccumulator,
  finalizeAccumulator,
  mergeAccumulators,
  updateAccumulator,
} from '../../../packages/core/src/numerics/accumulate/index.js';
import { createRandom, shuffleInto } from '../../../packages/core/src/numerics/sgd/index.js';
import type {
  AccumulatorKind,
  AccumulatorSpec,
  DesignBatch,
  TriangularFactor,
} from '../../../packages/core/src/numerics/types.js';

export interface Data {
  readonly intercept: boolean;
  readonly x: readonly Float64Array[];
  readonly y: Float64Array;
  readonly w?: Float64Array | undefined;
}

export function specOf(d: Data, kind: AccumulatorKind = 'qr'): AccumulatorSpec {
  return { kind, p: d.x.length, intercept: d.intercept, weighted: d.w !== undefined };
}

export function batchOf(d: Data): DesignBatch {
  return { rows: d.y.length, x: d.x, y: d.y, w: d.w };
}

/** Rows [start, start+rows) as a batch of views (no copy). */
export function sliceBatch(d: Data, start: number, rows: number): DesignBatch {
  return {
    rows,
    x: d.x.map((c) => c.subarray(start, start + rows)),
    y: d.y.subarray(start, start + rows),
    w: d.w?.subarray(start, start + rows),
  };
}

/** Factor of all rows in one batch. */
export function factorOf(d: Data, kind: AccumulatorKind = 'qr'): TriangularFactor {
  const s = createAccumulator(specOf(d, kind));
  updateAccumulator(s, batchOf(d));
  return finalizeAccumulator(s);
}

/** Seeds of the row orders over which accuracy is compared as a distribution. */
export const SHUFFLE_SEEDS: readonly number[] = Array.from({ length: 20 }, (_, i) => i + 1);

/** The seeded random permutation of 0..n−1 used for row orders. */
export function rowPermutation(n: number, seed: number): Uint32Array {
  const perm = new Uint32Array(n);
  shuffleInto(perm, n, createRandom(seed));
  return perm;
}

/** The same data with its rows in the order `perm`. */
export function permuteRows<T extends Data>(d: T, perm: Uint32Array): T {
  const take = (c: Float64Array): Float64Array => Float64Array.from(perm, (i) => c[i] as number);
  return { ...d, x: d.x.map(take), y: take(d.y), w: d.w === undefined ? undefined : take(d.w) };
}

/** Factor from 1-row states merged left to right in a seeded random order. */
export function factorOfShuffledRows(
  d: Data,
  seed: number,
  kind: AccumulatorKind = 'qr',
): TriangularFactor {
  const n = d.y.length;
  const perm = rowPermutation(n, seed);
  const spec = specOf(d, kind);
  let acc = createAccumulator(spec);
  for (let t = 0; t < n; t++) {
    const one = createAccumulator(spec);
    updateAccumulator(one, sliceBatch(d, perm[t], 1));
    acc = mergeAccumulators(acc, one);
  }
  return finalizeAccumulator(acc);
}

/** Significant digits of x against the truth t: −log10(|x − t| / |ref|), capped at 15. */
export function digits(x: number, t: number, ref: number = Math.abs(t)): number {
  const err = Math.abs(x - t);
  if (err === 0) return 15;
  if (!(ref > 0)) return 0;
  return Math.min(15, Math.max(0, -Math.log10(err / ref)));
}
