/**
 * Ordinary (weighted) least squares from a triangular factor, for full rank
 * and for rank-deficient designs under the `min-norm` or `drop` policy.
 *
 * ## Method
 *
 * With the factor R of `[1 X y]` (k = m + 1), R_X its leading m × m block and
 * z = R[0..m−1, m] (= Qᵀy):
 *
 * - **Full rank**: β = R_X⁻¹ z by back substitution in double-double
 *   (solveUpperAccurate: the solve adds no rounding of its own); RSS = R[m][m]²;
 *   C = (XᵀWX)⁻¹ = R_X⁻¹R_X⁻ᵀ. This is the Householder/TSQR least-squares
 *   solution, backward stable column-wise (Higham, ASNA 2nd ed., §20.2).
 * - **Rank deficient**, kept columns K (aliasing.ts): the basic solution β_K
 *   comes from a Householder QR of the columns K ∪ {y} of R (an m+1-row
 *   problem with the same least-squares solution as the data), T; then
 *   β_K = T_K⁻¹ t, RSS = T[r][r]², C_K = (T_KᵀT_K)⁻¹. This is R's `lm`
 *   answer (`drop`: aliased coefficients NaN, their rows/columns of C NaN).
 * - **Minimum norm** (`min-norm`, the default): every β₀ + N t with N the
 *   null-space basis nᶜ = e_c − Σ_s γ_s e_s (one per aliased column c, γ the
 *   unrounded alias relation) fits equally well; the minimum-2-norm one is the
 *   orthogonal projection β = P β₀, P = I − N(NᵀN)⁻¹Nᵀ = I − Q_N Q_Nᵀ, with
 *   β₀ the basic solution padded with zeros. Its unscaled covariance is
 *   P C₀ Pᵀ = (XᵀWX)⁺, the pseudo-inverse on the identified subspace. The norm
 *   is that of the coefficients in the user's units (over all m columns,
 *   intercept included), i.e. the pseudo-inverse solution X⁺y of the design
 *   whose aliased columns satisfy their relations exactly.
 */

import {
  householderR,
  inverseGramFromUpper,
  invertUpper,
  solveUpper,
  solveUpperAccurate,
  triangularGram,
} from '../linalg/index.js';
import type { TriangularFactor } from '../types.js';
import type { Aliasing } from './aliasing.js';
import { upperGramDiagonal } from './covariance-diagonal.js';
import type { AliasedPolicy } from './solution.js';

export interface OlsResult {
  readonly coefficients: Float64Array;
  readonly covUnscaled: Float64Array;
  readonly rss: number;
  /** The triangular factor the covariance came from: R_X, or T_K of the kept columns (leading dimension ld). */
  readonly triangle: { readonly t: Float64Array; readonly ld: number; readonly columns: number[] };
}

/** Triangular factor T ((r+1) × (r+1)) of the kept design columns followed by y. */
export function keptFactor(factor: TriangularFactor, kept: readonly number[]): Float64Array {
  const k = factor.k;
  const m = k - 1;
  const cols = kept.length + 1;
  const b = new Float64Array(k * cols);
  for (let i = 0; i < k; i++) {
    for (let s = 0; s < kept.length; s++) b[i * cols + s] = factor.r[i * k + kept[s]];
    b[i * cols + kept.length] = factor.r[i * k + m];
  }
  return householderR(b, k, cols);
}

/**
 * The projection P = I − Q_N Q_Nᵀ onto the orthogonal complement of the null
 * space spanned by e_c − Σ γ_s e_s (m × m row-major).
 */
export function minNormProjection(m: number, aliasing: Aliasing): Float64Array {
  const d = aliasing.exact.length;
  const n = new Float64Array(m * d);
  aliasing.exact.forEach((rel, t) => {
    n[rel.column * d + t] = 1;
    rel.support.forEach((s, i) => {
      n[s * d + t] = -rel.gamma[i];
    });
  });
  const tn = householderR(n, m, d);
  const inv = invertUpper(tn, d, d);
  // Q_N = N T_N⁻¹ (m × d).
  const qn = new Float64Array(m * d);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let l = 0; l <= j; l++) s += n[i * d + l] * inv[l * d + j];
      qn[i * d + j] = s;
    }
  }
  const p = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      let s = i === j ? 1 : 0;
      for (let l = 0; l < d; l++) s -= qn[i * d + l] * qn[j * d + l];
      p[i * m + j] = s;
    }
  }
  return p;
}

/** y = P x for an m × m row-major P. */
export function applyMatrix(p: Float64Array, m: number, x: Float64Array): Float64Array {
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += p[i * m + j] * x[j];
    y[i] = s;
  }
  return y;
}

/** P C Pᵀ for m × m row-major matrices. */
export function congruence(p: Float64Array, c: Float64Array, m: number): Float64Array {
  const pc = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let l = 0; l < m; l++) s += p[i * m + l] * c[l * m + j];
      pc[i * m + j] = s;
    }
  }
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      let s = 0;
      for (let l = 0; l < m; l++) s += pc[i * m + l] * p[j * m + l];
      out[i * m + j] = s;
      out[j * m + i] = s;
    }
  }
  return out;
}

/** Embeds a |K| × |K| covariance into m × m, filling the other rows/columns with `fill`. */
export function embedCovariance(
  ck: Float64Array,
  kept: readonly number[],
  m: number,
  fill: number,
): Float64Array {
  const c = new Float64Array(m * m).fill(fill);
  const q = kept.length;
  for (let a = 0; a < q; a++) {
    for (let b = 0; b < q; b++) c[kept[a] * m + kept[b]] = ck[a * q + b];
  }
  return c;
}

/**
 * How solveOlsCoefficients leaves the covariance: formed, or — when it is
 * R_X⁻¹R_X⁻ᵀ from a given R_X⁻¹ (full rank, wide designs) — deferred, with
 * its diagonal (covariance-diagonal.ts, the same bits), so a caller can start
 * the refinement pass before forming it (engine/exact/finish.ts).
 */
export type OlsCovariance =
  | { readonly covUnscaled: Float64Array; readonly deferred?: undefined }
  | {
      readonly covUnscaled?: undefined;
      readonly deferred: { readonly inverse: Float64Array; readonly diagonal: Float64Array };
    };

export type OlsCoefficients = Omit<OlsResult, 'covUnscaled'> & OlsCovariance;

export function solveOls(
  factor: TriangularFactor,
  aliasing: Aliasing,
  policy: AliasedPolicy,
  /** R_X⁻¹ when the rank decision computed it (rank.ts, wide designs): not inverted again. */
  inverse?: Float64Array,
): OlsResult {
  const fit = solveOlsCoefficients(factor, aliasing, policy, inverse);
  const { coefficients, rss, triangle } = fit;
  return { coefficients, covUnscaled: olsCovariance(fit, coefficients.length), rss, triangle };
}

/** The m × m covariance, formed now if it was deferred. */
export function olsCovariance(c: OlsCovariance, m: number): Float64Array {
  return c.deferred === undefined ? c.covUnscaled : triangularGram(c.deferred.inverse, m);
}

/** solveOls without forming R_X⁻¹R_X⁻ᵀ when R_X⁻¹ is given (OlsCoefficients). */
export function solveOlsCoefficients(
  factor: TriangularFactor,
  aliasing: Aliasing,
  policy: AliasedPolicy,
  inverse?: Float64Array,
): OlsCoefficients {
  const k = factor.k;
  const m = k - 1;
  if (aliasing.aliased.length === 0) {
    const coefficients = new Float64Array(m);
    for (let i = 0; i < m; i++) coefficients[i] = factor.r[i * k + m];
    solveUpperAccurate(factor.r, k, m, coefficients);
    const last = factor.r[m * k + m];
    const triangle = { t: factor.r, ld: k, columns: Array.from({ length: m }, (_, j) => j) };
    const rss = last * last;
    return inverse === undefined
      ? { coefficients, covUnscaled: inverseGramFromUpper(factor.r, k, m), rss, triangle }
      : {
          coefficients,
          deferred: { inverse, diagonal: upperGramDiagonal(inverse, m) },
          rss,
          triangle,
        };
  }
  const kept = aliasing.kept;
  const q = kept.length;
  const t = keptFactor(factor, kept);
  const ld = q + 1;
  const bk = new Float64Array(q);
  for (let i = 0; i < q; i++) bk[i] = t[i * ld + q];
  solveUpper(t, ld, q, bk);
  const last = t[q * ld + q];
  const rss = last * last;
  const ck = inverseGramFromUpper(t, ld, q);
  const triangle = { t, ld, columns: [...kept] };
  if (policy === 'drop') {
    const coefficients = new Float64Array(m).fill(Number.NaN);
    kept.forEach((j, i) => {
      coefficients[j] = bk[i];
    });
    return {
      coefficients,
      covUnscaled: embedCovariance(ck, kept, m, Number.NaN),
      rss,
      triangle,
    };
  }
  const b0 = new Float64Array(m);
  kept.forEach((j, i) => {
    b0[j] = bk[i];
  });
  const p = minNormProjection(m, aliasing);
  return {
    coefficients: applyMatrix(p, m, b0),
    covUnscaled: congruence(p, embedCovariance(ck, kept, m, 0), m),
    rss,
    triangle,
  };
}
