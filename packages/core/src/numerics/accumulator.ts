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
 * A state is one Float64Array with a versioned header (state-format.ts), so
 * it moves between threads as its ArrayBuffer and (de)serializes without a
 * copy. Updates and merges are deterministic: a fixed order of batches and
 * merges gives bitwise identical states, any order agrees to rounding.
 */

import { addBatchComoments, mergeComoments } from './comoments.js';
import { estimateScaledCondition } from './condition-estimate.js';
import { SLOT_BLOCK, SLOT_ROOT_WEIGHTS, scratch } from './scratch.js';
import { semidefiniteCholesky } from './semidefinite-cholesky.js';
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
  stateView,
} from './state-format.js';
import { annihilateBlock, mergeTriangles } from './tsqr.js';
import {
  type AccumulatorSpec,
  type DesignBatch,
  NumericInputError,
  type TriangularFactor,
} from './types.js';

export { StateFormatError } from './state-format.js';

/** A partial state: its spec and the one buffer (header + payload) that holds it. */
export interface AccumulatorState {
  readonly spec: AccumulatorSpec;
  readonly data: Float64Array;
}

/** Rows per Householder block: the k-column block (64 x k doubles) stays in L1/L2. */
const QR_BLOCK_ROWS = 64;

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

/** Checks the batch's shape against the spec; returns its columns [x₁ … x_p y]. */
function batchColumns(spec: AccumulatorSpec, batch: DesignBatch): Float64Array[] {
  const n = batch.rows;
  if (!Number.isInteger(n) || n < 0) {
    throw new NumericInputError(`batch rows must be a non-negative integer, got ${String(n)}`);
  }
  if (batch.x.length !== spec.p) {
    throw new NumericInputError(
      `batch has ${batch.x.length} feature columns, the accumulator expects p = ${spec.p}`,
    );
  }
  const cols: Float64Array[] = [];
  for (let c = 0; c < spec.p; c++) {
    const x = batch.x[c] as Float64Array;
    if (x.length < n) {
      throw new NumericInputError(
        `feature column ${c} has ${x.length} values, the batch has ${n} rows`,
        undefined,
        `x${c}`,
      );
    }
    cols.push(x);
  }
  if (batch.y.length < n) {
    throw new NumericInputError(
      `target has ${batch.y.length} values, the batch has ${n} rows`,
      undefined,
      'y',
    );
  }
  cols.push(batch.y);
  if (spec.weighted) {
    if (batch.w === undefined) {
      throw new NumericInputError(
        'the accumulator is weighted but the batch has no weights',
        undefined,
        'w',
      );
    }
    if (batch.w.length < n) {
      throw new NumericInputError(
        `weights have ${batch.w.length} values, the batch has ${n} rows`,
        undefined,
        'w',
      );
    }
  } else if (batch.w !== undefined) {
    throw new NumericInputError(
      'the batch has weights but the accumulator is unweighted',
      undefined,
      'w',
    );
  }
  return cols;
}

interface WeightSummary {
  positive: number;
  sum: number;
  sumLog: number;
}

/**
 * Validates the weights (finite, ≥ 0) before anything is changed, so a bad
 * batch leaves the state untouched; returns their counts and sums.
 */
function summarizeWeights(w: Float64Array, n: number, firstRow: number): WeightSummary {
  let positive = 0;
  let sum = 0;
  let sumLog = 0;
  for (let i = 0; i < n; i++) {
    const wi = w[i];
    if (!(wi >= 0) || wi === Number.POSITIVE_INFINITY) {
      throw new NumericInputError(
        `weight ${String(wi)} in row ${firstRow + i} (row ${i} of the batch) is not a finite non-negative number`,
        firstRow + i,
        'w',
      );
    }
    if (wi > 0) {
      positive++;
      sum += wi;
      sumLog += Math.log(wi);
    }
  }
  return { positive, sum, sumLog };
}

/**
 * Adds the rows of `batch` to `state` (mutating it). Weights must be finite
 * and non-negative, else NumericInputError naming the row: `firstRow` (the
 * index of the batch's first row in the caller's numbering, default 0) is
 * added to the row index within the batch. Zero-weight rows contribute
 * nothing but are counted in `rows`. Rows are assumed finite otherwise.
 */
export function updateAccumulator(state: AccumulatorState, batch: DesignBatch, firstRow = 0): void {
  const spec = state.spec;
  const cols = batchColumns(spec, batch);
  const n = batch.rows;
  const w = spec.weighted ? batch.w : undefined;
  const weights: WeightSummary =
    w === undefined ? { positive: n, sum: n, sumLog: 0 } : summarizeWeights(w, n, firstRow);
  const data = state.data;
  const weightBefore = data[H_SUM_WEIGHTS];
  if (weights.sum > 0) {
    if (spec.kind === 'qr') updateQr(spec, payload(state), cols, n, w);
    else {
      const q = spec.p + 1;
      const body = payload(state);
      addBatchComoments(
        body.subarray(0, q),
        body.subarray(q, 2 * q),
        body.subarray(2 * q),
        weightBefore,
        cols,
        n,
        w,
        weights.sum,
        spec.intercept,
      );
    }
  }
  data[H_ROWS] += n;
  data[H_ROWS_POSITIVE] += weights.positive;
  data[H_SUM_WEIGHTS] = weightBefore + weights.sum;
  data[H_SUM_LOG_WEIGHTS] += weights.sumLog;
}

/** Folds a batch into R, QR_BLOCK_ROWS rows at a time, through a column-major block. */
function updateQr(
  spec: AccumulatorSpec,
  r: Float64Array,
  cols: readonly Float64Array[],
  n: number,
  w: Float64Array | undefined,
): void {
  const k = augmentedColumns(spec);
  const nb = QR_BLOCK_ROWS;
  const block = scratch(SLOT_BLOCK, nb * k);
  const rootW = w === undefined ? undefined : scratch(SLOT_ROOT_WEIGHTS, nb);
  const first = spec.intercept ? 1 : 0;
  for (let row0 = 0; row0 < n; row0 += nb) {
    const nr = Math.min(nb, n - row0);
    if (rootW === undefined || w === undefined) {
      if (spec.intercept) block.fill(1, 0, nr);
      for (let c = 0; c < cols.length; c++) {
        block.set((cols[c] as Float64Array).subarray(row0, row0 + nr), (c + first) * nb);
      }
    } else {
      for (let i = 0; i < nr; i++) rootW[i] = Math.sqrt(w[row0 + i]);
      if (spec.intercept) block.set(rootW.subarray(0, nr), 0);
      for (let c = 0; c < cols.length; c++) {
        const x = cols[c] as Float64Array;
        const off = (c + first) * nb - row0;
        for (let i = row0, end = row0 + nr; i < end; i++) block[off + i] = x[i] * rootW[i - row0];
      }
    }
    annihilateBlock(r, k, block, nb, nr, false);
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
  if (spec.kind === 'qr') {
    mergeTriangles(payload(a), payload(b), augmentedColumns(spec));
  } else {
    const q = spec.p + 1;
    const pa = payload(a);
    const pb = payload(b);
    mergeComoments(
      pa.subarray(0, q),
      pa.subarray(q, 2 * q),
      pa.subarray(2 * q),
      wa,
      pb.subarray(0, q),
      pb.subarray(q, 2 * q),
      pb.subarray(2 * q),
      wb,
      q,
      spec.intercept,
    );
  }
  da[H_ROWS] += db[H_ROWS];
  da[H_ROWS_POSITIVE] += db[H_ROWS_POSITIVE];
  da[H_SUM_WEIGHTS] = wa + wb;
  da[H_SUM_LOG_WEIGHTS] += db[H_SUM_LOG_WEIGHTS];
  return a;
}

/** The state's bytes: its own buffer (no copy) when the state spans all of it. */
export function serializeAccumulator(s: AccumulatorState): ArrayBuffer {
  const data = s.data;
  const buf = data.buffer;
  if (buf instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === buf.byteLength) {
    return buf;
  }
  return data.slice().buffer;
}

/**
 * A state over `buf` (no copy). Validates magic, version, kind, p, flags and
 * sizes; throws StateFormatError naming the field at fault.
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
    digitsLostEstimate = finalizeNormal(spec, payload(s), data[H_SUM_WEIGHTS], r, k);
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

/**
 * R of the augmented Gram from the co-moment state: with an intercept
 * R = [[√W, √W x̄ᵀ], [0, S]] with SᵀS = C (so RᵀR = [[W, W x̄ᵀ], [W x̄, C + W x̄ x̄ᵀ]]),
 * without one R = S with SᵀS = the raw Gram. Returns log10 of the estimated
 * scaled condition number of the (centered) design, the extra digits the
 * Gram route loses.
 */
function finalizeNormal(
  spec: AccumulatorSpec,
  body: Float64Array,
  sumWeights: number,
  r: Float64Array,
  k: number,
): number {
  const q = spec.p + 1;
  const meanHi = body.subarray(0, q);
  const meanLo = body.subarray(q, 2 * q);
  const cm = body.subarray(2 * q);
  const sFactor = new Float64Array(q * q);
  const retained = semidefiniteCholesky(cm, q, q, sFactor);
  const off = spec.intercept ? 1 : 0;
  if (spec.intercept) {
    const root = Math.sqrt(sumWeights);
    r[0] = root;
    for (let c = 0; c < q; c++) r[1 + c] = root * (meanHi[c] + meanLo[c]);
  }
  for (let i = 0; i < q; i++) {
    for (let j = i; j < q; j++) r[(i + off) * k + (j + off)] = sFactor[i * q + j];
  }
  // Condition of the design columns only (not y), over the retained pivots.
  const cols: number[] = [];
  const norms2 = new Float64Array(q);
  for (let j = 0; j < q - 1; j++) {
    norms2[j] = cm[j * q + j];
    if (retained[j] === 1) cols.push(j);
  }
  const kappa = estimateScaledCondition(sFactor, q, cols, norms2);
  return Math.log10(kappa);
}
