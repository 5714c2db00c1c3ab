/**
 * Accumulators: the mergeable partial state of a least-squares fit over a
 * stream of row batches. Two kinds share one interface:
 *
 * - `qr` (default): the upper triangular R of the weighted augmented design
 *   [1 X y] (rows scaled by √w), kept by blocked Householder TSQR (tsqr.ts).
 *   Backward stable; digits lost ≈ log10 κ only.
 * - `normal`: weighted means and centered co-moments (comoments.ts), about
 *   twice as fast; finalized by a semidefinite Cholesky, so it squares the
 *   condition number and reports an estimate of the extra digits lost.
 *
 * A state is one Float64Array with the common state header (state-format.ts,
 * docs/state-format.md), so it moves between threads as its ArrayBuffer and
 * (de)serializes without a copy; only (de)serialization computes the
 * checksum. Updates and merges are deterministic: a fixed order of batches
 * and merges gives bitwise identical states, any order agrees to rounding.
 */

import { NumericInputError } from '@linreg/errors';
import { serializeState, stateView } from '../state/index.js';
import type { AccumulatorSpec, DesignBatch, SparseColumns, TriangularFactor } from '../types.js';
import { batchColumns, summarizeWeights, type WeightSummary } from './batch-check.js';
import {
  finalizeNormalState,
  mergeNormalStates,
  updateNormalState,
  updateSparseNormalState,
} from './normal-accumulator.js';
import { mergeQrStates, updateQrState } from './qr-accumulator.js';
import { densifyColumns } from './sparse-comoments.js';
import {
  allocateState,
  augmentedColumns,
  H_ROWS,
  H_ROWS_POSITIVE,
  H_SUM_LOG_WEIGHTS,
  H_SUM_WEIGHTS,
  HEADER_LENGTH,
  readStateHeader,
  sameSpec,
} from './state-format.js';
import { columnsInRange } from './value-range.js';

/** A partial state: its spec and the one buffer (header + payload) that holds it. */
export interface AccumulatorState {
  readonly spec: AccumulatorSpec;
  readonly data: Float64Array;
}

function describeSpec(spec: AccumulatorSpec): string {
  return `${spec.kind}, p = ${spec.p}, intercept = ${spec.intercept}, weighted = ${spec.weighted}`;
}

function validateSpec(spec: AccumulatorSpec): void {
  if (spec.kind !== 'qr' && spec.kind !== 'normal') {
    throw new NumericInputError(
      `accumulator kind must be 'qr' or 'normal', got '${String(spec.kind)}'`,
    );
  }
  if (!Number.isInteger(spec.p) || spec.p < 0) {
    throw new NumericInputError(
      `accumulator p must be a non-negative integer, got ${String(spec.p)}`,
    );
  }
}

/** A fresh, empty state for `spec`. */
export function createAccumulator(spec: AccumulatorSpec): AccumulatorState {
  validateSpec(spec);
  const own: AccumulatorSpec = {
    kind: spec.kind,
    p: spec.p,
    intercept: spec.intercept,
    weighted: spec.weighted,
  };
  return { spec: own, data: allocateState(own) };
}

/** The payload (everything after the header) as a view. */
function payload(state: AccumulatorState): Float64Array {
  return state.data.subarray(HEADER_LENGTH);
}

/**
 * Adds the rows of `batch` to `state` (mutating it). Weights must be finite
 * and non-negative, else NumericInputError naming the row: `firstRow` (the
 * index of the batch's first row in the caller's numbering, default 0) is
 * added to the row index within the batch. Zero-weight rows contribute
 * nothing but are counted in `rows`. Rows are assumed finite otherwise.
 */
export function updateAccumulator(state: AccumulatorState, batch: DesignBatch, firstRow = 0): void {
  update(state, batch, firstRow, true);
}

/**
 * updateAccumulator for a batch whose [X y] values have not been checked
 * (its weights, if any, must have been): when every value is finite and in
 * range (value-range.ts), adds the batch — the same bits as updateAccumulator
 * — and returns true; otherwise returns false with the state untouched, for
 * the caller to find the offending row, drop or report it, and add the
 * checked batch. The check rides on a pass over the values the update makes
 * anyway (the means of the `normal` route, the copy into the WebAssembly
 * kernels' memory of the `qr` route), so a caller saves its own.
 */
export function tryUpdateAccumulator(
  state: AccumulatorState,
  batch: DesignBatch,
  firstRow = 0,
): boolean {
  return update(state, batch, firstRow, false);
}

function update(
  state: AccumulatorState,
  batch: DesignBatch,
  firstRow: number,
  checked: boolean,
): boolean {
  const spec = state.spec;
  const n = batch.rows;
  const sparse = batch.sparse;
  if (sparse !== undefined) checkSparse(sparse, batch, spec.p);
  // One-hot blocks: the Gram route adds them sparsely; TSQR needs the dense columns.
  const cols =
    sparse === undefined
      ? batchColumns(spec, batch)
      : spec.kind === 'qr'
        ? batchColumns(spec, {
            ...batch,
            x: densifyColumns(batch.x, sparse, spec.p, n),
            sparse: undefined,
          })
        : [...batch.x, batch.y];
  // The dense routes check the values in a pass they make anyway; the sparse Gram
  // route has none, so its dense columns are checked first (one-hot blocks hold 0 and 1).
  if (!checked && sparse !== undefined && !columnsInRange(cols, n)) return false;
  const checkHere = !checked && sparse === undefined;
  const w = spec.weighted ? batch.w : undefined;
  const weights: WeightSummary =
    w === undefined ? { positive: n, sum: n, sumLog: 0 } : summarizeWeights(w, n, firstRow);
  const data = state.data;
  const weightBefore = data[H_SUM_WEIGHTS];
  if (weights.sum > 0) {
    if (spec.kind === 'qr') {
      if (!updateQrState(spec, payload(state), cols, n, w, !checkHere)) return false;
    } else if (sparse !== undefined) {
      updateSparseNormalState(spec, payload(state), weightBefore, cols, sparse, n, w, weights.sum);
    } else if (
      !updateNormalState(spec, payload(state), weightBefore, cols, n, w, weights.sum, !checkHere)
    ) {
      return false;
    }
  } else if (checkHere && !columnsInRange(cols, n)) return false;
  data[H_ROWS] += n;
  data[H_ROWS_POSITIVE] += weights.positive;
  data[H_SUM_WEIGHTS] = weightBefore + weights.sum;
  data[H_SUM_LOG_WEIGHTS] += weights.sumLog;
  return true;
}

/** A one-hot batch's shape: x holds exactly the dense columns, every nonzero names a sparse column. */
function checkSparse(sparse: SparseColumns, batch: DesignBatch, p: number): void {
  if (batch.x.length !== sparse.dense.length) {
    throw new NumericInputError(
      `batch has ${batch.x.length} dense columns, its sparse layout names ${sparse.dense.length}`,
    );
  }
  const dense = new Uint8Array(p);
  for (const c of sparse.dense) {
    if (!(c >= 0 && c < p)) throw new NumericInputError(`dense column ${c} is outside 0…${p - 1}`);
    dense[c] = 1;
  }
  for (const cols of sparse.columns) {
    for (let i = 0; i < batch.rows; i++) {
      const c = cols[i] as number;
      if (c >= p || (c >= 0 && dense[c] === 1) || c < -1) {
        throw new NumericInputError(`row ${i}: one-hot column ${c} is not a sparse column`, i);
      }
    }
  }
}

/**
 * a ⊕ b: the state of the union of both inputs, stored in a's buffer (which is
 * returned). b is unchanged. Specs must match, else NumericInputError.
 */
export function mergeAccumulators(a: AccumulatorState, b: AccumulatorState): AccumulatorState {
  if (!sameSpec(a.spec, b.spec)) {
    throw new NumericInputError(
      `cannot merge accumulator states with different specs (${describeSpec(a.spec)} vs ${describeSpec(b.spec)})`,
    );
  }
  const da = a.data;
  const db = b.data;
  const spec = a.spec;
  const wa = da[H_SUM_WEIGHTS];
  const wb = db[H_SUM_WEIGHTS];
  if (spec.kind === 'qr') mergeQrStates(spec, payload(a), payload(b), wa, wb);
  else mergeNormalStates(spec, payload(a), payload(b), wa, wb);
  da[H_ROWS] += db[H_ROWS];
  da[H_ROWS_POSITIVE] += db[H_ROWS_POSITIVE];
  da[H_SUM_WEIGHTS] = wa + wb;
  da[H_SUM_LOG_WEIGHTS] += db[H_SUM_LOG_WEIGHTS];
  return a;
}

/**
 * The state's bytes, checksum filled in (in place): its own buffer (no copy)
 * when the state spans all of it, else a copy.
 */
export function serializeAccumulator(s: AccumulatorState): ArrayBuffer {
  return serializeState(s.data);
}

/**
 * A state over `buf` (no copy; a state written in the other byte order is
 * swapped in place). Validates the common header (magic, byte order, kind,
 * version, lengths, checksum) and the accumulator's fields; throws
 * StateFormatError naming the field at fault.
 */
export function deserializeAccumulator(buf: ArrayBuffer): AccumulatorState {
  const data = stateView(buf);
  const spec = readStateHeader(data);
  return { spec, data };
}

/** The triangular factor R (RᵀR = AᵀWA of [1 X y]) and counts of a state. */
export function finalizeAccumulator(s: AccumulatorState): TriangularFactor {
  const spec = s.spec;
  const data = s.data;
  const k = augmentedColumns(spec);
  const r = new Float64Array(k * k);
  let digitsLostEstimate = 0;
  if (spec.kind === 'qr') {
    r.set(payload(s));
  } else {
    digitsLostEstimate = finalizeNormalState(spec, payload(s), data[H_SUM_WEIGHTS], r, k);
  }
  return {
    spec,
    k,
    r,
    rows: data[H_ROWS],
    rowsPositiveWeight: data[H_ROWS_POSITIVE],
    sumWeights: data[H_SUM_WEIGHTS],
    sumLogWeights: data[H_SUM_LOG_WEIGHTS],
    digitsLostEstimate,
  };
}
