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
 * ## Layout: one Float64Array
 *
 * | index | field                                                      |
 * |-------|------------------------------------------------------------|
 * | 0     | magic 0x4c5252656669 ("LRRefi")                            |
 * | 1     | format version (1)                                         |
 * | 2     | accumulator kind of the fit: 1 = qr, 2 = normal           |
 * | 3     | p                                                          |
 * | 4     | flags: bit 0 intercept, bit 1 weighted, bit 2 gram         |
 * | 5     | rows seen (including zero-weight rows)                     |
 * | 6     | m                                                          |
 * | 7     | payload length in doubles                                  |
 * | 8-15  | reserved, zero                                             |
 *
 * Payload: β (m doubles) | g (m dd pairs) | S (1 dd pair) | G (m(m+1)/2 dd
 * pairs, packed upper triangle by rows) when `gram`.
 */

import { StateFormatError } from '../accumulate/index.js';
import { ddAdd, ddMul, ddMulDouble, twoProduct } from '../linalg/index.js';
import { type AccumulatorSpec, type DesignBatch, NumericInputError } from '../types.js';

export const REFINE_MAGIC = 0x4c5252656669;
export const REFINE_VERSION = 1;
const HEADER = 16;
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
  const data = new Float64Array(HEADER + payloadLength(m, gram));
  data[0] = REFINE_MAGIC;
  data[1] = REFINE_VERSION;
  data[2] = spec.kind === 'qr' ? 1 : 2;
  data[3] = spec.p;
  data[4] =
    (spec.intercept ? FLAG_INTERCEPT : 0) |
    (spec.weighted ? FLAG_WEIGHTED : 0) |
    (gram ? FLAG_GRAM : 0);
  data[6] = m;
  data[7] = payloadLength(m, gram);
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
  return s.data[5];
}

/** Adds the rows of one batch. Never allocates per row. */
export function updateRefineState(s: RefineState, batch: DesignBatch): void {
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
  data[5] += batch.rows;
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
  if (a.data[2] !== b.data[2] || a.data[3] !== b.data[3] || a.data[4] !== b.data[4]) {
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
  a.data[5] += b.data[5];
  return a;
}

/** The state's bytes (its own buffer when it spans all of it, else a copy). */
export function serializeRefineState(s: RefineState): ArrayBuffer {
  const data = s.data;
  const buf = data.buffer;
  if (buf instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === buf.byteLength) {
    return buf;
  }
  return data.slice().buffer;
}

/** A state over `buf` (no copy); validates the header, throwing StateFormatError naming the field. */
export function deserializeRefineState(buf: ArrayBuffer): RefineState {
  if (buf.byteLength % 8 !== 0 || buf.byteLength < HEADER * 8) {
    throw new StateFormatError('length', `${buf.byteLength} bytes is not a refinement state`);
  }
  const data = new Float64Array(buf);
  if (data[0] !== REFINE_MAGIC) {
    throw new StateFormatError('magic', `found ${data[0]}: not a linreg refinement state`);
  }
  if (data[1] !== REFINE_VERSION) {
    throw new StateFormatError('version', `refinement state version ${data[1]} is not supported`);
  }
  const kind = data[2] === 1 ? 'qr' : data[2] === 2 ? 'normal' : undefined;
  if (kind === undefined) throw new StateFormatError('kind', `unknown kind code ${data[2]}`);
  const p = data[3];
  const flags = data[4];
  const m = data[6];
  if (!Number.isInteger(flags) || flags < 0 || flags > 7) {
    throw new StateFormatError('flags', `${flags} is not a valid flag set (0..7)`);
  }
  const intercept = (flags & FLAG_INTERCEPT) !== 0;
  if (!Number.isInteger(p) || p < 0 || m !== p + (intercept ? 1 : 0)) {
    throw new StateFormatError('p', `p = ${p} and m = ${m} are inconsistent`);
  }
  if (!Number.isInteger(data[5]) || data[5] < 0) {
    throw new StateFormatError('rows', `${data[5]} is not a row count`);
  }
  const gram = (flags & FLAG_GRAM) !== 0;
  if (data[7] !== payloadLength(m, gram) || data.length !== HEADER + payloadLength(m, gram)) {
    throw new StateFormatError(
      'length',
      `${data.length} doubles, expected ${HEADER + payloadLength(m, gram)} for m = ${m}`,
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
