/**
 * Per-column weighted moments of the feature columns and the target: the
 * cheap first pass that standardization needs (O(n·p), no cross products).
 *
 * ## Method
 *
 * For each column c (features 0..p−1, then the target at index p) the state
 * keeps the weighted mean x̄_c = Σ wᵢ xᵢ / W and the centered second moment
 * M2_c = Σ wᵢ (xᵢ − x̄_c)², never raw Σ w x² (which loses every digit when a
 * column sits near 1e9 with a small spread). A batch is reduced in two passes
 * (its own mean, then centered squares) and folded into the state with the
 * pairwise update of Chan, Golub & LeVeque (1979), weighted form:
 *
 *     W = Wa + Wb,  δ = x̄b − x̄a,  x̄ = x̄a + δ·Wb/W,
 *     M2 = M2a + M2b + δ²·Wa·Wb/W.
 *
 * The state also keeps the exact minimum and maximum over rows with positive
 * weight, so an exactly constant column is recognised exactly (min = max)
 * rather than by a tolerance on a rounded variance.
 *
 * Zero-weight rows are counted in `rows` but contribute nothing else. A
 * merge of states is exact up to rounding in any grouping; a fixed merge
 * order (unit order) makes it bitwise reproducible.
 *
 * Layout (one Float64Array, moved between threads as its buffer): the common
 * state header (kind `moments`, fields p, rows, W), then the payload
 * `mean[k], m2[k], min[k], max[k]`, k = p + 1. See docs/state-format.md.
 */
import { NumericInputError, StateFormatError } from '@linreg/errors';
import {
  createState,
  fieldIndex,
  headerLength,
  MOMENTS_STATE,
  readState,
  serializeState,
} from '../state/index.js';
import type { DesignBatch } from '../types.js';

/** Slots before the payload. */
const HEADER = headerLength(MOMENTS_STATE);
const M_P = fieldIndex(MOMENTS_STATE, 'p');
const M_ROWS = fieldIndex(MOMENTS_STATE, 'rows');
const M_SUM_WEIGHTS = fieldIndex(MOMENTS_STATE, 'sum of weights');

/** Weighted moments of p features and the target (plain data; `data` is the whole state). */
export interface MomentsState {
  readonly p: number;
  readonly data: Float64Array;
}

/** Read-only view of a moments state's fields. */
export interface Moments {
  readonly p: number;
  /** Rows seen, including zero-weight rows. */
  readonly rows: number;
  /** Σ w (rows when unweighted). */
  readonly sumWeights: number;
  /** Length p + 1: features then the target. */
  readonly mean: Float64Array;
  /** Σ w (x − x̄)², length p + 1. */
  readonly m2: Float64Array;
  /** Minimum over rows with positive weight (+Infinity when there are none). */
  readonly min: Float64Array;
  readonly max: Float64Array;
}

export function createMoments(p: number): MomentsState {
  if (!Number.isInteger(p) || p < 0)
    throw new NumericInputError(`moments: p must be a non-negative integer, got ${p}`);
  const k = p + 1;
  const data = createState(MOMENTS_STATE, 4 * k);
  data[M_P] = p;
  data.fill(Number.POSITIVE_INFINITY, HEADER + 2 * k, HEADER + 3 * k);
  data.fill(Number.NEGATIVE_INFINITY, HEADER + 3 * k, HEADER + 4 * k);
  return { p, data };
}

export function readMoments(state: MomentsState): Moments {
  const { p, data } = state;
  const k = p + 1;
  return {
    p,
    rows: data[M_ROWS],
    sumWeights: data[M_SUM_WEIGHTS],
    mean: data.subarray(HEADER, HEADER + k),
    m2: data.subarray(HEADER + k, HEADER + 2 * k),
    min: data.subarray(HEADER + 2 * k, HEADER + 3 * k),
    max: data.subarray(HEADER + 3 * k, HEADER + 4 * k),
  };
}

function column(batch: DesignBatch, c: number, p: number): Float64Array {
  return c < p ? batch.x[c] : batch.y;
}

/**
 * Fold one batch into the state (mutates it). Weights must be finite and
 * non-negative (NumericInputError naming the row within the batch).
 */
export function updateMoments(state: MomentsState, batch: DesignBatch): void {
  const { p, data } = state;
  if (batch.x.length !== p) {
    throw new NumericInputError(
      `moments: batch has ${batch.x.length} feature columns, state expects ${p}`,
    );
  }
  const n = batch.rows;
  const w = batch.w;
  let wb = n;
  if (w !== undefined) {
    wb = 0;
    for (let i = 0; i < n; i++) {
      const wi = w[i];
      if (!(wi >= 0) || wi === Number.POSITIVE_INFINITY) {
        throw new NumericInputError(
          `weight ${wi} in row ${i} of the batch is not a finite non-negative number`,
          i,
          'w',
        );
      }
      wb += wi;
    }
  }
  data[M_ROWS] += n;
  if (wb === 0) return;
  const k = p + 1;
  const wa = data[M_SUM_WEIGHTS];
  const total = wa + wb;
  data[M_SUM_WEIGHTS] = total;
  for (let c = 0; c < k; c++) {
    const x = column(batch, c, p);
    let sum = 0;
    let lo = data[HEADER + 2 * k + c];
    let hi = data[HEADER + 3 * k + c];
    if (w === undefined) {
      for (let i = 0; i < n; i++) {
        const v = x[i];
        sum += v;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const v = x[i];
        const wi = w[i];
        sum += wi * v;
        if (wi > 0) {
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      }
    }
    const meanB = sum / wb;
    let m2b = 0;
    if (w === undefined) {
      for (let i = 0; i < n; i++) {
        const d = x[i] - meanB;
        m2b += d * d;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const d = x[i] - meanB;
        m2b += w[i] * d * d;
      }
    }
    const meanA = data[HEADER + c];
    const delta = meanB - meanA;
    data[HEADER + c] = meanA + (delta * wb) / total;
    data[HEADER + k + c] += m2b + ((delta * delta * wa) / total) * wb;
    data[HEADER + 2 * k + c] = lo;
    data[HEADER + 3 * k + c] = hi;
  }
}

/** a ⊕ b, written into a (returned). Both must describe the same p. */
export function mergeMoments(a: MomentsState, b: MomentsState): MomentsState {
  if (a.p !== b.p)
    throw new NumericInputError(`moments: cannot merge states with p = ${a.p} and p = ${b.p}`);
  const k = a.p + 1;
  const da = a.data;
  const db = b.data;
  da[M_ROWS] += db[M_ROWS];
  const wb = db[M_SUM_WEIGHTS];
  if (wb === 0) return a;
  const wa = da[M_SUM_WEIGHTS];
  const total = wa + wb;
  da[M_SUM_WEIGHTS] = total;
  for (let c = 0; c < k; c++) {
    const meanA = da[HEADER + c];
    const delta = db[HEADER + c] - meanA;
    da[HEADER + c] = meanA + (delta * wb) / total;
    da[HEADER + k + c] += db[HEADER + k + c] + ((delta * delta * wa) / total) * wb;
    da[HEADER + 2 * k + c] = Math.min(da[HEADER + 2 * k + c], db[HEADER + 2 * k + c]);
    da[HEADER + 3 * k + c] = Math.max(da[HEADER + 3 * k + c], db[HEADER + 3 * k + c]);
  }
  return a;
}

/**
 * The state's own buffer, checksum filled in (zero-copy; move it, don't reuse
 * the state afterwards), or a copy when the state is a view into a larger one.
 */
export function serializeMoments(state: MomentsState): ArrayBuffer {
  return serializeState(state.data);
}

/**
 * A state over `buffer` (no copy; a state written in the other byte order is
 * swapped in place); validates the common header, checksum and fields,
 * throwing StateFormatError naming the field.
 */
export function deserializeMoments(buffer: ArrayBuffer): MomentsState {
  const data = readState(buffer, MOMENTS_STATE);
  const p = data[M_P];
  if (data.length - HEADER !== 4 * (p + 1)) {
    throw new StateFormatError(
      'payload length',
      `header says ${data.length - HEADER} doubles, a moments state with p = ${p} has ${4 * (p + 1)}`,
    );
  }
  return { p, data };
}
