/**
 * The default step size (and batch size) of SGD from the data.
 *
 * For mini-batch SGD on least squares the largest stable step is about
 * B / (R² + (B − 1)‖H‖) (Jain, Kakade, Kidambi, Netrapalli & Sidford, JMLR
 * 2018), with H the standardized Gram and R² ≈ tr H. We take half of it, with
 * ‖H‖ from the exact factor when the fit is checked and assumed ≤ 2
 * otherwise (the driver's divergence guard covers the rest), capped at 1.
 * Adam's default is 0.01: its steps are about η per coordinate in
 * standardized units whatever the curvature.
 */
import type { Standardization } from '../../numerics/sgd/index.js';
import type { TriangularFactor } from '../../numerics/types.js';
import type { SgdSettings } from './sgd-settings.js';

/**
 * Largest eigenvalue of the standardized Gram M = (1/W) Σ w [1; z][1; z]ᵀ from
 * the exact factor (RᵀR = AᵀWA, A = [1 X]): M = GᵀG/W with G = R·Sᵀ, S the
 * standardizing map. Power iteration, 100 steps from a fixed start (a bound
 * for the step size only, so a few digits suffice).
 */
export function standardizedGramNorm(factor: TriangularFactor, std: Standardization): number {
  const k = factor.k;
  const m = k - 1;
  const off = std.intercept ? 1 : 0;
  const g = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    if (off === 1) g[i * m] = factor.r[i * k];
    for (let j = 0; j < std.p; j++) {
      const inv = std.invScale[j];
      const shift = off === 1 ? std.center[j] * factor.r[i * k] : 0;
      g[i * m + off + j] = inv * (factor.r[i * k + off + j] - shift);
    }
  }
  const x = new Float64Array(m).fill(1 / Math.sqrt(m));
  const y = new Float64Array(m);
  let lambda = 0;
  for (let it = 0; it < 100; it++) {
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += g[i * m + j] * x[j];
      y[i] = s;
    }
    let norm = 0;
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += g[i * m + j] * y[i];
      x[j] = s;
      norm += s * s;
    }
    norm = Math.sqrt(norm);
    if (norm === 0) return 0;
    lambda = norm / std.sumWeights;
    for (let j = 0; j < m; j++) x[j] /= norm;
  }
  return lambda;
}

export function defaultLearningRate(
  r: SgdSettings,
  batchSize: number,
  std: Standardization,
  gramNorm: number | undefined,
): number {
  if (r.optimizer === 'adam') return 0.01;
  let trace = r.intercept ? 1 : 0;
  for (let j = 0; j < std.p; j++) trace += std.constant[j] === 1 ? 0 : 1;
  const h = gramNorm ?? 2;
  const b = batchSize;
  return Math.min(1, (0.5 * b) / (trace + (b - 1) * h));
}

/**
 * Rows per step when not given: 64 (cheap steps, little gradient noise), but
 * at most 1/16 of the median unit's rows, so that every unit takes at least
 * ~16 steps from the broadcast parameters — an epoch advances about as far
 * as one unit's steps (the units' runs are averaged, not chained), so tiny
 * units with one big step each would barely move.
 */
export function defaultBatchSize(unitRows: readonly number[]): number {
  const sorted = unitRows.filter((n) => n > 0).sort((a, b) => a - b);
  const median = sorted.length === 0 ? 0 : sorted[Math.floor((sorted.length - 1) / 2)];
  return Math.max(1, Math.min(64, Math.floor(median / 16)));
}
