/**
 * Ridge regression from a triangular factor.
 *
 * ## Objective (exactly)
 *
 *     minimize over b, β:   Σᵢ wᵢ (yᵢ − b − xᵢᵀβ)²  +  λ Σⱼ (sⱼ βⱼ)²
 *
 * The intercept b (when the model has one) is never penalized. sⱼ = 1 when
 * `standardize` is false. When it is true, sⱼ is the weighted population
 * standard deviation of feature j, sⱼ² = Σ wᵢ (xᵢⱼ − x̄ⱼ)² / Σ wᵢ, which makes
 * the fit identical to scikit-learn's `Ridge(alpha=λ)` on `StandardScaler`
 * (with the same sample weights) transformed features, coefficients mapped back
 * to the original units (βⱼ = β'ⱼ / sⱼ). Without an intercept nothing is
 * centered: sⱼ² = Σ wᵢ xᵢⱼ² / Σ wᵢ (glmnet's convention for `intercept=FALSE`).
 * A feature with sⱼ = 0 (constant) gets sⱼ = 1, as scikit-learn's scaler does.
 *
 * ## Method
 *
 * With R the factor of `[1 X y]` and P = λ·diag(0 for the intercept, sⱼ²),
 * the objective equals ‖R_X β − z‖² + βᵀPβ + R[m][m]², so the coefficients
 * solve the augmented least-squares problem [R_X; P^½] β ≈ [z; 0], solved by a
 * Householder QR (small-qr.ts) — no normal equations, no centering step (the
 * unpenalized intercept column does the centering exactly). With T_X the
 * triangular factor of the augmented design, H = XᵀWX + P = T_XᵀT_X and:
 *
 * - RSS = ‖R_X β − z‖² + R[m][m]² (the data misfit only, not the penalty);
 * - effective df = tr(X H⁻¹ XᵀW) = ‖R_X T_X⁻¹‖_F² (intercept included: it adds 1);
 * - C = H⁻¹ XᵀWX H⁻¹ = T_X⁻¹ BᵀB T_X⁻ᵀ with B = R_X T_X⁻¹ (the sandwich).
 */
import { householderR, invertUpper, solveUpper } from '../linalg/index.js';
import type { TriangularFactor } from '../types.js';

export interface RidgeResult {
  readonly coefficients: Float64Array;
  readonly covUnscaled: Float64Array;
  readonly rss: number;
  /** Trace of the hat matrix (intercept included). */
  readonly df: number;
  /** Penalty weights P/λ on the diagonal (0 for the intercept), length m. */
  readonly penaltyWeights: Float64Array;
}

/** sⱼ² per design column (0 for the intercept), following the convention above. */
export function penaltyWeights(factor: TriangularFactor, standardize: boolean): Float64Array {
  const k = factor.k;
  const m = k - 1;
  const i0 = factor.spec.intercept ? 1 : 0;
  const d = new Float64Array(m);
  for (let j = i0; j < m; j++) {
    if (!standardize) {
      d[j] = 1;
      continue;
    }
    // With an intercept, rows 1..j of column j are the centered column (row 0 is its mean part).
    let ss = 0;
    for (let i = i0; i <= j; i++) ss += factor.r[i * k + j] * factor.r[i * k + j];
    const variance = ss / factor.sumWeights;
    d[j] = variance > 0 ? variance : 1;
  }
  return d;
}

/** Triangular factor T (k × k) of [R_X z; √(λ·weights) 0] (the y column last). */
export function ridgeFactor(
  factor: TriangularFactor,
  lambda: number,
  weights: Float64Array,
): Float64Array {
  const k = factor.k;
  const m = k - 1;
  const penalized: number[] = [];
  for (let j = 0; j < m; j++) if (weights[j] > 0) penalized.push(j);
  const rows = k + penalized.length;
  const a = new Float64Array(rows * k);
  a.set(factor.r.subarray(0, k * k));
  penalized.forEach((j, t) => {
    a[(k + t) * k + j] = Math.sqrt(lambda * weights[j]);
  });
  return householderR(a, rows, k);
}

export function solveRidge(
  factor: TriangularFactor,
  lambda: number,
  standardize: boolean,
): RidgeResult {
  const k = factor.k;
  const m = k - 1;
  const weights = penaltyWeights(factor, standardize);
  const t = ridgeFactor(factor, lambda, weights);
  const coefficients = new Float64Array(m);
  for (let i = 0; i < m; i++) coefficients[i] = t[i * k + m];
  solveUpper(t, k, m, coefficients);

  const r = factor.r;
  let rss = r[m * k + m] * r[m * k + m];
  for (let i = 0; i < m; i++) {
    let s = -r[i * k + m];
    for (let j = i; j < m; j++) s += r[i * k + j] * coefficients[j];
    rss += s * s;
  }

  const tinv = invertUpper(t, k, m);
  // B = R_X T_X⁻¹ (upper triangular).
  const b = new Float64Array(m * m);
  let df = 0;
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      let s = 0;
      for (let l = i; l <= j; l++) s += r[i * k + l] * tinv[l * m + j];
      b[i * m + j] = s;
      df += s * s;
    }
  }
  // BᵀB, then C = T⁻¹ (BᵀB) T⁻ᵀ.
  const btb = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      let s = 0;
      for (let l = 0; l <= i; l++) s += b[l * m + i] * b[l * m + j];
      btb[i * m + j] = s;
      btb[j * m + i] = s;
    }
  }
  const tmp = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let l = i; l < m; l++) s += tinv[i * m + l] * btb[l * m + j];
      tmp[i * m + j] = s;
    }
  }
  const cov = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      let s = 0;
      for (let l = j; l < m; l++) s += tmp[i * m + l] * tinv[j * m + l];
      cov[i * m + j] = s;
      cov[j * m + i] = s;
    }
  }
  return { coefficients, covUnscaled: cov, rss, df, penaltyWeights: weights };
}
