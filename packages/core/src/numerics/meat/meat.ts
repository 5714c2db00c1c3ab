/**
 * The "meat" of a heteroskedasticity-robust (sandwich) covariance, summed in
 * one streaming pass over the rows at fixed coefficients β: HC0–HC3 of
 * MacKinnon & White (1985), as R's `sandwich::vcovHC` and statsmodels'
 * `cov_type='HC0'…'HC3'` compute them.
 *
 * ## What is summed (rows with wᵢ > 0, over the identified columns K)
 *
 *     rᵢ = yᵢ − xᵢᵀβ                       (all m columns; a dropped column's β counts 0)
 *     hᵢ = wᵢ·‖R_K⁻ᵀ xᵢ‖²                  (leverage: the hat matrix's diagonal, W½X(XᵀWX)⁻¹XᵀW½)
 *     ωᵢ = wᵢ² rᵢ² / (1 − hᵢ)^e            e = 0 (HC0, HC1), 1 (HC2), 2 (HC3)
 *     M  = Σ ωᵢ x_K,i x_K,iᵀ               (packed upper triangle)
 *
 * A weighted row enters scaled by √wᵢ, as in the accumulators: its whitened
 * residual is √w·r and its whitened row √w·x, so ω·xxᵀ above is
 * (√w r)²/(1−h)^e·(√w x)(√w x)ᵀ — statsmodels' WLS convention, and
 * sandwich's on `lm` with weights (its estfun is w·r·x).
 *
 * The leverage needs R_K with R_KᵀR_K = X_KᵀWX_K: the first pass's factor
 * restricted to the identified columns (MeatSpec.factor). Each row costs one
 * triangular solve (O(q²)) and one rank-one update (O(q²)); nothing is n × n
 * or n × p. Rows are taken in chunks of CHUNK: the chunk's columns are copied
 * into scratch, the solve runs column by column over the chunk (forward
 * substitution with R_Kᵀ, vectorised over rows, four earlier columns per
 * sweep), and the chunk's meat is the symmetric rank-CHUNK update of the
 * rows √ωᵢ·xᵢ (syrkUpperAdd, the Gram kernel's register blocking) — no
 * allocation per row or per batch. The triangular solve is used rather
 * than an explicit R_K⁻¹: it is backward stable (Higham, ASNA §8.1), while an
 * explicit inverse's error grows with κ(R_K) a second time, and both cost the
 * same q²/2 multiply-adds per row.
 *
 * ## State layout
 *
 * One Float64Array: [q, rows with w > 0, rows with h > 1 − √ε, M packed by
 * rows (q(q+1)/2)]. States merge by adding element-wise; the engine merges
 * them in unit order by its fixed tree, so the bits do not depend on the
 * number of workers.
 */

import { NumericInputError, StateFormatError } from '@linreg/errors';
import {
  chunkResiduals,
  inverseGramFromUpper,
  paddedColumns,
  solveUpper,
  syrkUpperAdd,
} from '../linalg/index.js';
import { keptFactor, type Solution } from '../solve/index.js';
import {
  createState,
  fieldIndex,
  headerLength,
  MEAT_STATE,
  readState,
  serializeState,
} from '../state/index.js';
import type { DesignBatch, TriangularFactor } from '../types.js';
import { wasmKernelsAvailable, wasmLeverageChunk, wasmSyrkUpperAdd } from '../wasm/index.js';
import { leveragesJs } from './leverage.js';

export type HcType = 'hc0' | 'hc1' | 'hc2' | 'hc3';

/** Rows per chunk of the blocked kernel: 2·q·CHUNK doubles of scratch stay in cache. */
const CHUNK = 128;
const HEADER = headerLength(MEAT_STATE);
const Q = fieldIndex(MEAT_STATE, 'q');
const ROWS = fieldIndex(MEAT_STATE, 'rows');
const HIGH = fieldIndex(MEAT_STATE, 'high leverage rows');
/** sandwich warns that HC2/HC3 are unstable above this leverage: 1 − √ε. */
export const HIGH_LEVERAGE = 1 - Math.sqrt(2 ** -52);

/** What a meat pass needs besides the rows (plain data: it travels to the workers). */
export interface MeatSpec {
  /** Feature columns of a batch. */
  readonly p: number;
  readonly intercept: boolean;
  /** Length m = p + intercept; NaN (a dropped column) counts as 0. */
  readonly beta: Float64Array;
  /** Identified design columns K, ascending (q of them). */
  readonly kept: readonly number[];
  /** q × q row-major upper-triangular R_K with R_KᵀR_K = X_KᵀWX_K. */
  readonly factor: Float64Array;
  readonly type: HcType;
}

export interface MeatState {
  readonly q: number;
  readonly data: Float64Array;
}

/** The identified columns of a solution (those not aliased), ascending. */
export function identifiedColumns(solution: Solution): number[] {
  const isAliased = new Uint8Array(solution.m);
  for (const c of solution.aliased) isAliased[c] = 1;
  const kept: number[] = [];
  for (let j = 0; j < solution.m; j++) if (isAliased[j] === 0) kept.push(j);
  return kept;
}

/**
 * R_K (q × q, row-major, ld q) and, from the same factor, β_K and B_K = (X_KᵀWX_K)⁻¹
 * by back substitution — used when the solution's own β and C are not those
 * of the identified columns alone (aliased columns under `min-norm`).
 */
export function identifiedFactor(
  factor: TriangularFactor,
  kept: readonly number[],
): { r: Float64Array; beta: Float64Array; bread: Float64Array } {
  const k = factor.k;
  const m = k - 1;
  const q = kept.length;
  const full = q === m;
  const t = full ? factor.r : keptFactor(factor, kept);
  const ld = full ? k : q + 1;
  const r = new Float64Array(q * q);
  const beta = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    for (let j = i; j < q; j++) r[i * q + j] = t[i * ld + j];
    beta[i] = t[i * ld + q];
  }
  solveUpper(r, q, q, beta);
  return { r, beta, bread: inverseGramFromUpper(r, q, q) };
}

/** The arguments of a meat pass at the solution's coefficients. */
export function meatSpecOf(factor: TriangularFactor, solution: Solution, type: HcType): MeatSpec {
  const kept = identifiedColumns(solution);
  const beta = Float64Array.from(solution.coefficients, (b) => (Number.isNaN(b) ? 0 : b));
  return {
    p: factor.spec.p,
    intercept: factor.spec.intercept,
    beta,
    kept,
    factor: identifiedFactor(factor, kept).r,
    type,
  };
}

/** The exponent e of (1 − h) in ω. */
function exponentOf(type: HcType): number {
  return type === 'hc2' ? 1 : type === 'hc3' ? 2 : 0;
}

export function createMeatState(q: number): MeatState {
  const data = createState(MEAT_STATE, (q * (q + 1)) / 2);
  data[Q] = q;
  return { q, data };
}

/** Rows with positive weight the state has seen. */
export const meatRows = (s: MeatState): number => s.data[ROWS];
/** Rows whose leverage exceeded HIGH_LEVERAGE (HC2/HC3 are unstable there). */
export const meatHighLeverageRows = (s: MeatState): number => s.data[HIGH];

/** M as a full q × q symmetric matrix. */
export function meatMatrix(s: MeatState): Float64Array {
  const q = s.q;
  const out = new Float64Array(q * q);
  let o = HEADER;
  for (let a = 0; a < q; a++) {
    for (let b = a; b < q; b++) {
      const v = s.data[o++];
      out[a * q + b] = v;
      out[b * q + a] = v;
    }
  }
  return out;
}

/** Sums the rows of batches into a meat state; its scratch is allocated once. */
export class MeatAccumulator {
  readonly #spec: MeatSpec;
  readonly #e: number;
  readonly #x: Float64Array;
  readonly #z: Float64Array;
  readonly #r: Float64Array;
  readonly #omega: Float64Array;
  readonly #ss: Float64Array;
  /** √ω·x_K, column-major with padded columns (syrkUpperAdd's layout). */
  readonly #u: Float64Array;
  /** M, q × q row-major, upper triangle; packed into the state by `state`. */
  readonly #meat: Float64Array;
  readonly #state: MeatState;
  /** The WebAssembly SIMD kernel when available: the same bits as the JS one (wasm/gram-kernels.ts). */
  readonly #syrk = wasmKernelsAvailable() ? wasmSyrkUpperAdd : syrkUpperAdd;
  /** The WebAssembly leverage kernel when available: the same bits as #leveragesJs. */
  readonly #wasm = wasmKernelsAvailable();
  /** Per kept column: the feature index in the batch, or −1 for the intercept. */
  readonly #source: Int32Array;

  constructor(spec: MeatSpec) {
    const q = spec.kept.length;
    const m = spec.p + (spec.intercept ? 1 : 0);
    if (spec.beta.length !== m || spec.factor.length !== q * q) {
      throw new NumericInputError(
        `meat: ${spec.beta.length} coefficients and a factor of ${spec.factor.length} entries for m = ${m}, q = ${q}`,
      );
    }
    this.#spec = spec;
    this.#e = exponentOf(spec.type);
    this.#state = createMeatState(q);
    this.#x = new Float64Array(q * CHUNK);
    this.#z = new Float64Array(q * CHUNK);
    this.#r = new Float64Array(CHUNK);
    this.#omega = new Float64Array(CHUNK);
    this.#ss = new Float64Array(CHUNK);
    this.#u = new Float64Array(paddedColumns(q) * CHUNK);
    this.#meat = new Float64Array(q * q);
    const i0 = spec.intercept ? 1 : 0;
    this.#source = Int32Array.from(spec.kept, (c) => c - i0);
  }

  /** The rows so far, M packed by rows. */
  get state(): MeatState {
    const q = this.#state.q;
    let o = HEADER;
    for (let a = 0; a < q; a++) {
      for (let b = a; b < q; b++) this.#state.data[o++] = this.#meat[a * q + b];
    }
    return this.#state;
  }

  /** The JS path of the leverages (see #chunk): ss[t] = ‖R_K⁻ᵀ x_t‖² over the chunk in x. */
  #leveragesJs(len: number): void {
    leveragesJs(this.#state.q, this.#spec.factor, this.#x, this.#z, CHUNK, len, this.#ss);
  }

  update(batch: DesignBatch): void {
    if (batch.x.length !== this.#spec.p) {
      throw new NumericInputError(
        `meat: batch has ${batch.x.length} feature columns, the fit has p = ${this.#spec.p}`,
      );
    }
    for (let start = 0; start < batch.rows; start += CHUNK) {
      this.#chunk(batch, start, Math.min(CHUNK, batch.rows - start));
    }
  }

  #chunk(batch: DesignBatch, start: number, len: number): void {
    const { beta, factor: rk, intercept } = this.#spec;
    const q = this.#state.q;
    const x = this.#x;
    const r = this.#r;
    const omega = this.#omega;
    const u = this.#u;
    const data = this.#state.data;
    const w = batch.w;

    chunkResiduals(batch, start, len, beta, intercept, r);

    // The identified columns of the chunk, column-major in scratch.
    for (let a = 0; a < q; a++) {
      const s = this.#source[a];
      const o = a * CHUNK;
      if (s < 0) x.fill(1, o, o + len);
      else x.set((batch.x[s] as Float64Array).subarray(start, start + len), o);
    }

    // z = R_K⁻ᵀ x by forward substitution, every row of the chunk at once (four
    // earlier columns per sweep), and ss = ‖z‖² per row. The WebAssembly kernel
    // computes the same bits (wasm/kernels.ts leverageChunk).
    const ss = this.#ss;
    if (this.#wasm) wasmLeverageChunk(q, rk, x, CHUNK, len, ss);
    else this.#leveragesJs(len);

    // √ω with ω = w² r² / (1 − h)^e and h = w ‖z‖² (NaN when 1 − h < 0 under HC2: h ≤ 1 in exact arithmetic).
    const e = this.#e;
    let rows = 0;
    let high = 0;
    for (let t = 0; t < len; t++) {
      const wt = w === undefined ? 1 : w[start + t];
      if (wt === 0) {
        omega[t] = 0;
        continue;
      }
      rows += 1;
      const h = wt * ss[t];
      if (h > HIGH_LEVERAGE) high += 1;
      const wr = Math.abs(wt * r[t]);
      omega[t] = e === 0 ? wr : e === 1 ? wr / Math.sqrt(1 - h) : wr / (1 - h);
    }

    // M += Σ (√ω x_K)(√ω x_K)ᵀ: a register-blocked symmetric rank-len update (padding columns stay 0).
    for (let a = 0; a < q; a++) {
      const oa = a * CHUNK;
      for (let t = 0; t < len; t++) u[oa + t] = omega[t] * x[oa + t];
    }
    this.#syrk(len, q, u, CHUNK, this.#meat, q);
    data[ROWS] += rows;
    data[HIGH] += high;
  }
}

/** a + b, into a (returned). */
export function mergeMeatStates(a: MeatState, b: MeatState): MeatState {
  if (a.q !== b.q || a.data.length !== b.data.length) {
    throw new StateFormatError('layout', `cannot merge meat states of q = ${a.q} and q = ${b.q}`);
  }
  const da = a.data;
  const db = b.data;
  da[ROWS] += db[ROWS];
  da[HIGH] += db[HIGH];
  for (let i = HEADER; i < da.length; i++) da[i] += db[i];
  return a;
}

/** The state's bytes with the common header's checksum (docs/state-format.md): no copy when it spans its buffer. */
export function serializeMeatState(s: MeatState): ArrayBuffer {
  return serializeState(s.data);
}

/** A state over `buf` (no copy), its common header validated and its length checked against q. */
export function deserializeMeatState(buf: ArrayBuffer): MeatState {
  const data = readState(buf, MEAT_STATE);
  const q = data[Q];
  if (data.length !== HEADER + (q * (q + 1)) / 2) {
    throw new StateFormatError(
      'payload length',
      `${data.length} doubles do not hold a meat state of q = ${q}`,
    );
  }
  return { q, data };
}
