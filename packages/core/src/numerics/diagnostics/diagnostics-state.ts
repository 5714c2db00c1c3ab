/**
 * Residual diagnostics in one streaming pass at fixed coefficients β: the
 * mergeable sums behind skewness, kurtosis, Jarque–Bera, the omnibus K²,
 * Durbin–Watson and the studentized Breusch–Pagan test (the statistics
 * themselves are computed from the merged state in inference/diagnostics.ts,
 * so workers running this pass do not load `@stdlib`).
 *
 * ## Which residuals
 *
 * Rows with wᵢ > 0 only (a zero-weight row is no observation, as in the
 * residual df), with the raw residual eᵢ = yᵢ − xᵢᵀβ (all m columns; a
 * dropped column's β counts 0) and the whitened one ẽᵢ = √wᵢ·eᵢ (= eᵢ
 * unweighted): R's `weighted.residuals(fit)`, statsmodels' `wresid`.
 *
 * - Moments, extremes and Durbin–Watson use ẽ, as statsmodels' summary does
 *   for WLS (jarque_bera, omni_normtest, durbin_watson of `wresid`).
 * - Breusch–Pagan follows `lmtest::bptest(fit)` on a weighted `lm`: the raw
 *   e², centered at σ₀² = Σwe²/n, regressed by WLS (weights w) on the design.
 *
 * ## What is summed, and why it merges
 *
 * 1. Moments of ẽ: (n, mean, M₂, M₃, M₄), Mₖ = Σ(ẽ − mean)ᵏ. Each chunk of
 *    rows is reduced exactly (its mean, then its central sums: two sweeps
 *    over the chunk's scratch), then combined with the running state by the
 *    pairwise formulas of Chan, Golub & LeVeque (1979) for M₂ and Pébay
 *    (2008, SAND2008-6212, eqs. 3.1) for M₃ and M₄; the same formulas merge
 *    two units' states. No raw power sums, so nothing cancels when the
 *    residuals' mean is far from 0 (no intercept, WLS).
 * 2. min ẽ and max ẽ: merge by min / max.
 * 3. Durbin–Watson Σₜ(ẽₜ − ẽₜ₋₁)² / Σẽₜ² in file order (rows dropped for a
 *    missing value or of zero weight are skipped): a state keeps its first and
 *    last ẽ and the sum of squared differences inside it. Units are
 *    consecutive runs of rows in file order and the engine merges left unit
 *    with right unit, so merge(a, b) adds the one boundary term
 *    (first_b − last_a)². The denominator is M₂ + n·mean².
 * 4. Breusch–Pagan: with uᵢ = eᵢ², a shift c (the fit's RSS/n, broadcast with
 *    β: close to σ₀², so the sums below do not cancel) and dᵢ = uᵢ − c:
 *
 *        W = Σ wᵢ,  S = Σ wᵢdᵢ,  T₁ = Σ dᵢ,  T₂ = Σ dᵢ²,
 *        G = Σ wᵢdᵢ zᵢ,  Z = Σ wᵢ zᵢ        (zᵢ: the q identified design columns)
 *
 *    all plain sums, merged by adding. From them (inference/diagnostics.ts)
 *    σ₀² = (S + cW)/n, δ = σ₀² − c, vᵢ = uᵢ − σ₀² = dᵢ − δ and
 *
 *        ZᵀWv = G − δ·Z,   Σvᵢ² = T₂ − 2δT₁ + nδ²,
 *        Σ wᵢ v̂ᵢ² = ‖R_K⁻ᵀ ZᵀWv‖²        (R_KᵀR_K = X_KᵀWX_K, the first pass's factor)
 *        BP = n·Σwᵢv̂ᵢ² / Σvᵢ²  on q − 1 df,
 *
 *    exactly lmtest's `n * sum(wts * aux$fitted.values^2) / sum(w^2)`
 *    (aux = lm.wfit(Z, v, wts)) without a second pass or any n-sized array.
 *
 * 5. Quartiles of ẽ: a log-bucket sketch (DDSketch, Masson, Rim & Lee,
 *    VLDB 2019) with relative accuracy α = SKETCH_ALPHA: with γ = (1+α)/(1−α)
 *    and a floor f = 1e-8·√c, a value v with |v| > f counts in bucket
 *    i = ⌈log_γ(|v|/f)⌉ (1 ≤ i ≤ SKETCH_BUCKETS, clamped) of its sign, one
 *    with |v| ≤ f in the zero bucket. Every value of bucket i lies within
 *    α·|v| of the bucket's representative 2fγⁱ/(γ+1), so the k-th order
 *    statistic read from the counts is within max(α·|x₍ₖ₎|, f) of the exact
 *    one (when no value was clamped above f·γ^B ≈ 1.2e8·√c). Counts are
 *    integers: they merge by adding, exactly, in any order.
 *
 * Each row costs the residual (O(m)), O(q) multiply-adds for G and Z and one
 * logarithm for the sketch.
 *
 * ## State layout
 *
 * Header fields q, rows (n, rows with w > 0), shift (c), sketch floor (f) and
 * sketch buckets (B); payload [mean, M₂, M₃, M₄, min, max, first, last,
 * Σ squared differences, W, S, T₁, T₂, G (q), Z (q), zero count, negative
 * counts (B), positive counts (B)]: 14 + 2q + 2B doubles (docs/state-format.md).
 */

import { NumericInputError, StateFormatError } from '@linreg/errors';
import { chunkResiduals } from '../linalg/index.js';
import {
  createState,
  DIAGNOSTICS_STATE,
  fieldIndex,
  headerLength,
  readState,
  serializeState,
} from '../state/index.js';
import type { DesignBatch } from '../types.js';

/** Rows per chunk: the chunk's scratch stays in cache. */
const CHUNK = 512;
const HEADER = headerLength(DIAGNOSTICS_STATE);
const Q = fieldIndex(DIAGNOSTICS_STATE, 'q');
const ROWS = fieldIndex(DIAGNOSTICS_STATE, 'rows');
const SHIFT = fieldIndex(DIAGNOSTICS_STATE, 'shift');
const FLOOR = fieldIndex(DIAGNOSTICS_STATE, 'sketch floor');
const BUCKETS = fieldIndex(DIAGNOSTICS_STATE, 'sketch buckets');

/** Relative accuracy α of the quartile sketch. */
export const SKETCH_ALPHA = 1e-3;
/** γ = (1 + α) / (1 − α): the ratio of consecutive bucket bounds. */
export const SKETCH_GAMMA = (1 + SKETCH_ALPHA) / (1 - SKETCH_ALPHA);
const LN_GAMMA = Math.log(SKETCH_GAMMA);
/** Buckets per sign: from the floor f up to f·γ^B ≈ 1.2e16·f. */
export const SKETCH_BUCKETS = 18_500;
/** The floor f relative to √c, the residuals' root mean square. */
export const SKETCH_FLOOR = 1e-8;

/** Payload offsets (from HEADER). */
const MEAN = 0;
const M2 = 1;
const M3 = 2;
const M4 = 3;
const MIN = 4;
const MAX = 5;
const FIRST = 6;
const LAST = 7;
const SSD = 8;
const W = 9;
const S = 10;
const T1 = 11;
const T2 = 12;
const FIXED = 13;

/** What a diagnostics pass needs besides the rows (plain data: it travels to the workers). */
export interface DiagnosticsSpec {
  /** Feature columns of a batch. */
  readonly p: number;
  readonly intercept: boolean;
  /** Length m = p + intercept; a dropped column's NaN counts as 0. */
  readonly beta: Float64Array;
  /** Identified design columns K, ascending (q of them): Breusch–Pagan's regressors. */
  readonly kept: readonly number[];
  /** The shift c of e² (the fit's RSS / n), finite. */
  readonly shift: number;
}

export interface DiagnosticsState {
  readonly q: number;
  readonly data: Float64Array;
}

/** The sums of a state, by name (n and the shift from the header). */
export interface DiagnosticsSums {
  readonly q: number;
  readonly n: number;
  readonly shift: number;
  readonly mean: number;
  readonly m2: number;
  readonly m3: number;
  readonly m4: number;
  readonly min: number;
  readonly max: number;
  readonly sumSquaredDifferences: number;
  readonly sumWeights: number;
  readonly s: number;
  readonly t1: number;
  readonly t2: number;
  readonly g: Float64Array;
  readonly z: Float64Array;
  /** The sketch: floor f, buckets per sign B, zero count, negative and positive counts (B each). */
  readonly sketch: {
    readonly floor: number;
    readonly zero: number;
    readonly negative: Float64Array;
    readonly positive: Float64Array;
  };
}

/** The sketch's floor for a shift c: 1e-8·√c (the smallest positive double when c = 0). */
export const sketchFloor = (shift: number): number =>
  Math.max(SKETCH_FLOOR * Math.sqrt(Math.max(0, shift)), Number.MIN_VALUE);

export function createDiagnosticsState(q: number, shift: number): DiagnosticsState {
  const data = createState(DIAGNOSTICS_STATE, FIXED + 2 * q + 1 + 2 * SKETCH_BUCKETS);
  data[Q] = q;
  data[SHIFT] = shift;
  data[FLOOR] = sketchFloor(shift);
  data[BUCKETS] = SKETCH_BUCKETS;
  data[HEADER + MIN] = Number.POSITIVE_INFINITY;
  data[HEADER + MAX] = Number.NEGATIVE_INFINITY;
  return { q, data };
}

export function diagnosticsSums(s: DiagnosticsState): DiagnosticsSums {
  const d = s.data;
  const h = HEADER;
  return {
    q: s.q,
    n: d[ROWS],
    shift: d[SHIFT],
    mean: d[h + MEAN],
    m2: d[h + M2],
    m3: d[h + M3],
    m4: d[h + M4],
    min: d[h + MIN],
    max: d[h + MAX],
    sumSquaredDifferences: d[h + SSD],
    sumWeights: d[h + W],
    s: d[h + S],
    t1: d[h + T1],
    t2: d[h + T2],
    g: d.slice(h + FIXED, h + FIXED + s.q),
    z: d.slice(h + FIXED + s.q, h + FIXED + 2 * s.q),
    sketch: {
      floor: d[FLOOR],
      zero: d[h + FIXED + 2 * s.q],
      negative: d.slice(h + FIXED + 2 * s.q + 1, h + FIXED + 2 * s.q + 1 + d[BUCKETS]),
      positive: d.slice(h + FIXED + 2 * s.q + 1 + d[BUCKETS]),
    },
  };
}

/**
 * Folds the residual part (moments, extremes, Durbin–Watson) of `b` (nb rows,
 * at offset ob) into `a` (na rows, at offset oa), `b`'s rows following `a`'s.
 */
function foldResiduals(
  a: Float64Array,
  oa: number,
  na: number,
  b: Float64Array,
  ob: number,
  nb: number,
): void {
  if (nb === 0) return;
  if (na === 0) {
    for (let i = MEAN; i <= SSD; i++) a[oa + i] = b[ob + i];
    return;
  }
  const n = na + nb;
  const delta = b[ob + MEAN] - a[oa + MEAN];
  const d2 = delta * delta;
  const nab = na * nb;
  const m2a = a[oa + M2];
  const m2b = b[ob + M2];
  const m3a = a[oa + M3];
  const m3b = b[ob + M3];
  a[oa + M4] =
    a[oa + M4] +
    b[ob + M4] +
    (d2 * d2 * nab * (na * na - nab + nb * nb)) / (n * n * n) +
    (6 * d2 * (na * na * m2b + nb * nb * m2a)) / (n * n) +
    (4 * delta * (na * m3b - nb * m3a)) / n;
  a[oa + M3] =
    m3a + m3b + (d2 * delta * nab * (na - nb)) / (n * n) + (3 * delta * (na * m2b - nb * m2a)) / n;
  a[oa + M2] = m2a + m2b + (d2 * nab) / n;
  a[oa + MEAN] = a[oa + MEAN] + (delta * nb) / n;
  a[oa + MIN] = Math.min(a[oa + MIN], b[ob + MIN]);
  a[oa + MAX] = Math.max(a[oa + MAX], b[ob + MAX]);
  const jump = b[ob + FIRST] - a[oa + LAST];
  a[oa + SSD] = a[oa + SSD] + b[ob + SSD] + jump * jump;
  a[oa + LAST] = b[ob + LAST];
}

/** Sums the rows of batches into a diagnostics state; its scratch is allocated once. */
export class DiagnosticsAccumulator {
  readonly #spec: DiagnosticsSpec;
  readonly #state: DiagnosticsState;
  /** Per kept column: the feature index in the batch, or −1 for the intercept. */
  readonly #source: Int32Array;
  readonly #r = new Float64Array(CHUNK);
  /** The chunk's rows with w > 0, compacted: ẽ, w·d, d, w and the row within the batch. */
  readonly #e = new Float64Array(CHUNK);
  readonly #wd = new Float64Array(CHUNK);
  readonly #d = new Float64Array(CHUNK);
  readonly #w = new Float64Array(CHUNK);
  readonly #row = new Int32Array(CHUNK);
  /** The chunk's residual part, in the payload's layout (MEAN … SSD). */
  readonly #chunk = new Float64Array(SSD + 1);

  constructor(spec: DiagnosticsSpec) {
    const m = spec.p + (spec.intercept ? 1 : 0);
    if (spec.beta.length !== m || !Number.isFinite(spec.shift)) {
      throw new NumericInputError(
        `diagnostics: ${spec.beta.length} coefficients for m = ${m}, shift ${spec.shift}`,
      );
    }
    this.#spec = spec;
    this.#state = createDiagnosticsState(spec.kept.length, spec.shift);
    const i0 = spec.intercept ? 1 : 0;
    this.#source = Int32Array.from(spec.kept, (c) => c - i0);
  }

  get state(): DiagnosticsState {
    return this.#state;
  }

  update(batch: DesignBatch): void {
    if (batch.x.length !== this.#spec.p) {
      throw new NumericInputError(
        `diagnostics: batch has ${batch.x.length} feature columns, the fit has p = ${this.#spec.p}`,
      );
    }
    for (let start = 0; start < batch.rows; start += CHUNK) {
      this.#update(batch, start, Math.min(CHUNK, batch.rows - start));
    }
  }

  #update(batch: DesignBatch, start: number, len: number): void {
    const { beta, intercept, shift } = this.#spec;
    const r = this.#r;
    chunkResiduals(batch, start, len, beta, intercept, r);

    // Rows with w > 0, compacted; the chunk's sums of w, wd, d, d².
    const e = this.#e;
    const wd = this.#wd;
    const dd = this.#d;
    const ww = this.#w;
    const row = this.#row;
    const w = batch.w;
    let k = 0;
    let sw = 0;
    let sum = 0;
    let s = 0;
    let t1 = 0;
    let t2 = 0;
    for (let t = 0; t < len; t++) {
      const wt = w === undefined ? 1 : w[start + t];
      if (wt === 0) continue;
      const et = r[t];
      const d = et * et - shift;
      const v = w === undefined ? et : Math.sqrt(wt) * et;
      e[k] = v;
      dd[k] = d;
      wd[k] = wt * d;
      ww[k] = wt;
      row[k] = start + t;
      sw += wt;
      sum += v;
      s += wt * d;
      t1 += d;
      t2 += d * d;
      k += 1;
    }
    if (k === 0) return;

    // The chunk's moments about its own mean, extremes and successive differences.
    const mean = sum / k;
    let c2 = 0;
    let c3 = 0;
    let c4 = 0;
    let lo = e[0];
    let hi = e[0];
    let ssd = 0;
    for (let i = 0; i < k; i++) {
      const v = e[i];
      const c = v - mean;
      const cc = c * c;
      c2 += cc;
      c3 += cc * c;
      c4 += cc * cc;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      if (i > 0) {
        const jump = v - e[i - 1];
        ssd += jump * jump;
      }
    }
    const chunk = this.#chunk;
    chunk[MEAN] = mean;
    chunk[M2] = c2;
    chunk[M3] = c3;
    chunk[M4] = c4;
    chunk[MIN] = lo;
    chunk[MAX] = hi;
    chunk[FIRST] = e[0];
    chunk[LAST] = e[k - 1];
    chunk[SSD] = ssd;

    const data = this.#state.data;
    foldResiduals(data, HEADER, data[ROWS], chunk, 0, k);
    data[ROWS] += k;
    data[HEADER + W] += sw;
    data[HEADER + S] += s;
    data[HEADER + T1] += t1;
    data[HEADER + T2] += t2;

    // G = Σ w d z and Z = Σ w z over the identified columns.
    const q = this.#state.q;
    const og = HEADER + FIXED;
    const oz = og + q;
    for (let a = 0; a < q; a++) {
      const src = this.#source[a];
      if (src < 0) {
        data[og + a] += s;
        data[oz + a] += sw;
        continue;
      }
      const col = batch.x[src];
      let g = 0;
      let z = 0;
      for (let i = 0; i < k; i++) {
        const x = col[row[i]];
        g += wd[i] * x;
        z += ww[i] * x;
      }
      data[og + a] += g;
      data[oz + a] += z;
    }

    // The sketch: one count per residual.
    const zero = oz + q;
    const neg = zero + 1;
    const pos = neg + SKETCH_BUCKETS;
    const floor = data[FLOOR];
    for (let i = 0; i < k; i++) {
      const v = e[i];
      const m = Math.abs(v);
      if (m <= floor) {
        data[zero] += 1;
        continue;
      }
      const b = Math.min(SKETCH_BUCKETS, Math.max(1, Math.ceil(Math.log(m / floor) / LN_GAMMA)));
      data[(v < 0 ? neg : pos) + b - 1] += 1;
    }
  }
}

/** a followed by b, into a (returned): the units' rows in file order. */
export function mergeDiagnosticsStates(a: DiagnosticsState, b: DiagnosticsState): DiagnosticsState {
  if (
    a.q !== b.q ||
    a.data.length !== b.data.length ||
    a.data[SHIFT] !== b.data[SHIFT] ||
    a.data[FLOOR] !== b.data[FLOOR]
  ) {
    throw new StateFormatError(
      'layout',
      `cannot merge diagnostics states of q = ${a.q} and q = ${b.q} (or of different shifts)`,
    );
  }
  const da = a.data;
  const db = b.data;
  foldResiduals(da, HEADER, da[ROWS], db, HEADER, db[ROWS]);
  da[ROWS] += db[ROWS];
  for (let i = HEADER + W; i < da.length; i++) da[i] += db[i];
  return a;
}

/**
 * The value of 0-based rank k (0 ≤ k < n) read from the sketch: the
 * representative of the bucket holding it, within max(α·|x₍ₖ₎|, f) of it.
 */
export function sketchOrderStatistic(sums: DiagnosticsSums, k: number): number {
  const { floor, zero, negative, positive } = sums.sketch;
  const value = (i: number): number => (2 * floor * SKETCH_GAMMA ** i) / (SKETCH_GAMMA + 1);
  let seen = 0;
  for (let i = negative.length; i >= 1; i--) {
    seen += negative[i - 1] as number;
    if (k < seen) return -value(i);
  }
  seen += zero;
  if (k < seen) return 0;
  for (let i = 1; i <= positive.length; i++) {
    seen += positive[i - 1] as number;
    if (k < seen) return value(i);
  }
  return Number.NaN;
}

/** The state's bytes with the common header's checksum (docs/state-format.md). */
export function serializeDiagnosticsState(s: DiagnosticsState): ArrayBuffer {
  return serializeState(s.data);
}

/** A state over `buf` (no copy), its common header validated and its length checked against q. */
export function deserializeDiagnosticsState(buf: ArrayBuffer): DiagnosticsState {
  const data = readState(buf, DIAGNOSTICS_STATE);
  const q = data[Q];
  if (data.length !== HEADER + FIXED + 2 * q + 1 + 2 * data[BUCKETS]) {
    throw new StateFormatError(
      'payload length',
      `${data.length} doubles do not hold a diagnostics state of q = ${q}`,
    );
  }
  return { q, data };
}
