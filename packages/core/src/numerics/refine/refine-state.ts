/**
 * The state of a refinement pass: residual statistics at fixed coefficients β,
 * summed over rows in double-double, mergeable across units like an
 * accumulator state.
 *
 * ## What is summed (rows with wᵢ > 0; the intercept column is 1)
 *
 *     rᵢ = yᵢ − xᵢᵀβ            in double-double (exact products, TwoSum chain)
 *     g  = Σ wᵢ xᵢ rᵢ           (= XᵀW r, length m)
 *     S  = Σ wᵢ rᵢ²             (the RSS at β, accurate to ~1e-30 relative per term)
 *     G  = Σ wᵢ xᵢ xᵢᵀ          (= XᵀWX, upper triangle; only when `gram` is on)
 *
 * Cost per row: O(m) dd operations, plus O(m²) with the Gram. The Gram is on by
 * default when m ≤ `GRAM_MAX_COLUMNS` (64): it lets applyRefinement refine
 * (XᵀWX)⁻¹, hence standard errors, beyond the κ·ε accuracy of R.
 *
 * Why not above 64: the Gram's dd update runs in JavaScript at ~25× the
 * cost per row of the WebAssembly TSQR update of pass 1 (measured at m = 129
 * and 257), so at m = 1,001 the pass would take ~30 s per worker where the
 * fit's TSQR takes ~1.3 s, and the dd Cholesky that uses it is O(m³/3) dd operations
 * on the main thread (86 ms at m = 257; ~5 s at m = 1,001, minutes at
 * m = 4,001). Wide fits refine their coefficients without it (corrected
 * semi-normal equations through R) and keep R's covariance.
 *
 * ## Layout
 *
 * One Float64Array: the common state header (kind `refine`) with the fields
 * accumulator kind, p, flags (intercept, weighted, gram), rows, m; then the
 * payload β (m doubles) | g (m dd pairs) | S (1 dd pair) | G (m(m+1)/2 dd
 * pairs, packed upper triangle by rows) when `gram`. See docs/state-format.md.
 */

import { NumericInputError, StateFormatError } from '@linreg/errors';
import { columnsInRange } from '../accumulate/index.js';
import { ddAdd, ddMul, ddMulDouble, twoProduct } from '../linalg/index.js';
import {
  createState,
  fieldIndex,
  headerLength,
  REFINE_STATE,
  readState,
  serializeState,
} from '../state/index.js';
import type { AccumulatorSpec, DesignBatch } from '../types.js';
import { addRefineColumns } from './refine-columns.js';

/** Slots before the payload. */
const HEADER = headerLength(REFINE_STATE);
const R_ACCUMULATOR_KIND = fieldIndex(REFINE_STATE, 'accumulator kind');
const R_P = fieldIndex(REFINE_STATE, 'p');
const R_FLAGS = fieldIndex(REFINE_STATE, 'flags');
const R_ROWS = fieldIndex(REFINE_STATE, 'rows');
const R_M = fieldIndex(REFINE_STATE, 'm');
/** Largest m for which a refinement pass also sums XᵀWX by default (O(n m²) dd work). */
export const GRAM_MAX_COLUMNS = 64;

/** 2²⁷ + 1: Veltkamp's splitter (as in double-double.ts). */
const SPLITTER = 134217729;
/** Rows between renormalizations of the Gram's dd pairs (see addGramRow). */
const NORMALIZE_ROWS = 2;
const FLAG_INTERCEPT = 1;
const FLAG_WEIGHTED = 2;
const FLAG_GRAM = 4;

export interface RefineState {
  readonly spec: AccumulatorSpec;
  readonly m: number;
  readonly gram: boolean;
  /** Header + payload; see the layout above. */
  readonly data: Float64Array;
}

export interface RefineStateOptions {
  /** Also sum XᵀWX in double-double. Default: m ≤ GRAM_MAX_COLUMNS. */
  readonly gram?: boolean;
}

function payloadLength(m: number, gram: boolean): number {
  return m + 2 * m + 2 + (gram ? m * (m + 1) : 0);
}

/** Offsets of the payload parts. */
export function refineOffsets(m: number): {
  beta: number;
  g: number;
  rss: number;
  gram: number;
} {
  return { beta: HEADER, g: HEADER + m, rss: HEADER + 3 * m, gram: HEADER + 3 * m + 2 };
}

/** Index (in dd pairs, from the Gram offset) of G[a][b], a ≤ b, in the packed upper triangle. */
export function gramIndex(m: number, a: number, b: number): number {
  return a * m - (a * (a - 1)) / 2 + (b - a);
}

/**
 * A zero state for residuals at `coefficients` (length m; NaN — a dropped
 * column — counts as 0).
 */
export function createRefineState(
  spec: AccumulatorSpec,
  coefficients: Float64Array,
  options: RefineStateOptions = {},
): RefineState {
  const m = spec.p + (spec.intercept ? 1 : 0);
  if (coefficients.length !== m) {
    throw new NumericInputError(
      `refinement: ${coefficients.length} coefficients given, the design has m = ${m} columns`,
    );
  }
  const gram = options.gram ?? m <= GRAM_MAX_COLUMNS;
  const data = createState(REFINE_STATE, payloadLength(m, gram));
  data[R_ACCUMULATOR_KIND] = spec.kind === 'qr' ? 1 : 2;
  data[R_P] = spec.p;
  data[R_FLAGS] =
    (spec.intercept ? FLAG_INTERCEPT : 0) |
    (spec.weighted ? FLAG_WEIGHTED : 0) |
    (gram ? FLAG_GRAM : 0);
  data[R_M] = m;
  for (let j = 0; j < m; j++) {
    const b = coefficients[j];
    data[HEADER + j] = Number.isNaN(b) ? 0 : b;
  }
  return { spec, m, gram, data };
}

/** The coefficients β the state's residuals are taken at (NaN already mapped to 0). */
export function refineCoefficients(s: RefineState): Float64Array {
  return s.data.subarray(HEADER, HEADER + s.m);
}

/** Rows seen by the state (including zero-weight rows). */
export function refineRows(s: RefineState): number {
  return s.data[R_ROWS];
}

/** Adds the rows of one batch. Never allocates per row. */
export function updateRefineState(s: RefineState, batch: DesignBatch): void {
  update(s, batch, true);
}

/**
 * updateRefineState for a batch whose [X y] values have not been checked
 * (its weights must have been: engine/tasks/design-batch.ts uncheckedDesign):
 * when every value is finite and in range (accumulate/value-range.ts), adds
 * the batch — the same bits as updateRefineState — and returns true;
 * otherwise returns false with the state untouched, for the caller to find
 * the offending row and report it. Without the Gram the check rides on the
 * copy the WebAssembly walk makes anyway, which saves the caller's own scan.
 */
export function tryUpdateRefineState(s: RefineState, batch: DesignBatch): boolean {
  return update(s, batch, false);
}

function update(s: RefineState, batch: DesignBatch, checked: boolean): boolean {
  const { m, gram, data } = s;
  const i0 = s.spec.intercept ? 1 : 0;
  const p = s.spec.p;
  if (batch.x.length !== p) {
    throw new NumericInputError(
      `refinement: batch has ${batch.x.length} feature columns, the fit has p = ${p}`,
    );
  }
  const off = refineOffsets(m);
  const beta = data.subarray(off.beta, off.beta + m);
  if (!gram) {
    // Without the Gram nothing needs a whole row at once: walk the columns.
    if (!addRefineColumns(data, off.g, off.rss, beta, i0, batch, checked)) return false;
    data[R_ROWS] += batch.rows;
    return true;
  }
  if (!checked && !columnsInRange([...batch.x, batch.y], batch.rows)) return false;
  const xs = new Float64Array(m);
  // Veltkamp halves of each xⱼ, shared by every product of the row's Gram.
  const xh = new Float64Array(m);
  const xl = new Float64Array(m);
  const tmp = new Float64Array(4);
  const w = batch.w;
  const y = batch.y;
  if (i0 === 1) xs[0] = 1;
  let sinceNormalize = 0;
  for (let i = 0; i < batch.rows; i++) {
    const wi = w === undefined ? 1 : w[i];
    if (wi === 0) continue;
    for (let j = 0; j < p; j++) xs[j + i0] = batch.x[j][i];
    if (gram) {
      for (let j = 0; j < m; j++) {
        const t = SPLITTER * xs[j];
        xh[j] = t - (t - xs[j]);
        xl[j] = xs[j] - xh[j];
      }
    }
    // r = y − Σ βⱼ xⱼ in double-double.
    let rh = y[i];
    let rl = 0;
    for (let j = 0; j < m; j++) {
      twoProduct(beta[j], xs[j], tmp, 0);
      const ph = -tmp[0];
      const s1 = rh + ph;
      const bb = s1 - rh;
      const e = rh - (s1 - bb) + (ph - bb) + (rl - tmp[1]);
      rh = s1 + e;
      rl = e - (rh - s1);
    }
    let wrh = rh;
    let wrl = rl;
    if (w !== undefined) {
      ddMulDouble(rh, rl, wi, tmp, 2);
      wrh = tmp[2];
      wrl = tmp[3];
    }
    for (let j = 0; j < m; j++) {
      ddMulDouble(wrh, wrl, xs[j], tmp, 0);
      ddAdd(data, off.g + 2 * j, tmp[0], tmp[1]);
    }
    ddMul(wrh, wrl, rh, rl, tmp, 0);
    ddAdd(data, off.rss, tmp[0], tmp[1]);
    if (gram) {
      addGramRow(data, off.gram, m, xs, xh, xl, w === undefined ? 1 : wi, tmp);
      if (++sinceNormalize === NORMALIZE_ROWS) {
        normalizePairs(data, off.gram, (m * (m + 1)) / 2);
        sinceNormalize = 0;
      }
    }
  }
  if (gram) normalizePairs(data, off.gram, (m * (m + 1)) / 2);
  data[R_ROWS] += batch.rows;
  return true;
}

/**
 * G += w·x xᵀ (upper triangle, packed dd pairs) for one row. Each product
 * w·xₐ·x_b is formed exactly enough (Dekker's TwoProduct on pre-split halves,
 * plus the low part of w·xₐ times x_b) and its high part is added to the pair's
 * high word by TwoSum, all rounding errors going to the low word (the Dot2
 * scheme of Ogita, Rump & Oishi 2005, error ≈ 2⁻¹⁰⁶·Σ|terms| + rows·2⁻¹⁰⁶).
 * The pairs are renormalized every NORMALIZE_ROWS rows (`normalizePairs`):
 * the low words are plain double sums, whose rounding grows with the number
 * of terms they hold, so keeping that number small keeps the Gram's relative
 * error near rows·2⁻¹⁰⁶. Measured worst relative error of the Filip-like Gram
 * against the exact BigInt Gram: 4.1e-32 renormalizing every row (the same as
 * full dd additions), 5.3e-32 every 2 rows (the choice), 7.8e-32 every 8,
 * 1.9e-31 once per batch.
 */
function addGramRow(
  data: Float64Array,
  offGram: number,
  m: number,
  xs: Float64Array,
  xh: Float64Array,
  xl: Float64Array,
  w: number,
  tmp: Float64Array,
): void {
  let o = offGram;
  for (let a = 0; a < m; a++) {
    let wx = xs[a];
    let wxLow = 0;
    let ah = xh[a];
    let al = xl[a];
    if (w !== 1) {
      twoProduct(w, xs[a], tmp, 0);
      wx = tmp[0];
      wxLow = tmp[1];
      const t = SPLITTER * wx;
      ah = t - (t - wx);
      al = wx - ah;
    }
    for (let b = a; b < m; b++) {
      const xb = xs[b];
      const prod = wx * xb;
      const err = ah * xh[b] - prod + ah * xl[b] + al * xh[b] + al * xl[b] + wxLow * xb;
      const hi = data[o];
      const sum = hi + prod;
      const bb = sum - hi;
      data[o] = sum;
      data[o + 1] += hi - (sum - bb) + (prod - bb) + err;
      o += 2;
    }
  }
}

/** Renormalizes `count` dd pairs starting at `offset` so |lo| ≤ ulp(hi)/2 again. */
function normalizePairs(data: Float64Array, offset: number, count: number): void {
  for (let i = 0, o = offset; i < count; i++, o += 2) {
    const sum = data[o] + data[o + 1];
    data[o + 1] = data[o + 1] - (sum - data[o]);
    data[o] = sum;
  }
}

/** a + b, into a (returned). Both must be taken at the same β with the same layout. */
export function mergeRefineStates(a: RefineState, b: RefineState): RefineState {
  if (a.m !== b.m || a.gram !== b.gram || a.data.length !== b.data.length) {
    throw new StateFormatError(
      'layout',
      `cannot merge refinement states of m = ${a.m}${a.gram ? ' with Gram' : ''} and m = ${b.m}${b.gram ? ' with Gram' : ''}`,
    );
  }
  const da = a.data;
  const db = b.data;
  if (
    da[R_ACCUMULATOR_KIND] !== db[R_ACCUMULATOR_KIND] ||
    da[R_P] !== db[R_P] ||
    da[R_FLAGS] !== db[R_FLAGS]
  ) {
    throw new StateFormatError('spec', 'refinement states were built for different fits');
  }
  for (let j = 0; j < a.m; j++) {
    if (a.data[HEADER + j] !== b.data[HEADER + j]) {
      throw new StateFormatError(
        'coefficients',
        `refinement states were taken at different coefficients (column ${j}: ${a.data[HEADER + j]} vs ${b.data[HEADER + j]})`,
      );
    }
  }
  for (let o = HEADER + a.m; o < a.data.length; o += 2) ddAdd(a.data, o, b.data[o], b.data[o + 1]);
  a.data[R_ROWS] += b.data[R_ROWS];
  return a;
}

/** The state's bytes, checksum filled in (in place): its own buffer when it spans all of it, else a copy. */
export function serializeRefineState(s: RefineState): ArrayBuffer {
  return serializeState(s.data);
}

/**
 * A state over `buf` (no copy; a state written in the other byte order is
 * swapped in place); validates the common header, checksum and fields,
 * throwing StateFormatError naming the field.
 */
export function deserializeRefineState(buf: ArrayBuffer): RefineState {
  const data = readState(buf, REFINE_STATE);
  const kind = data[R_ACCUMULATOR_KIND] === 1 ? 'qr' : 'normal';
  const p = data[R_P];
  const flags = data[R_FLAGS];
  const m = data[R_M];
  const intercept = (flags & FLAG_INTERCEPT) !== 0;
  if (m !== p + (intercept ? 1 : 0)) {
    throw new StateFormatError('p', `p = ${p} and m = ${m} are inconsistent`);
  }
  const gram = (flags & FLAG_GRAM) !== 0;
  const expected = payloadLength(m, gram);
  if (data.length - HEADER !== expected) {
    throw new StateFormatError(
      'payload length',
      `header says ${data.length - HEADER} doubles, a refinement state with m = ${m}${gram ? ' and Gram' : ''} has ${expected}`,
    );
  }
  const spec: AccumulatorSpec = {
    kind,
    p,
    intercept,
    weighted: (flags & FLAG_WEIGHTED) !== 0,
  };
  return { spec, m, gram, data };
}
