/**
 * An estimate of the 2-norm condition number of a design given its upper
 * triangular factor, after scaling every column to unit norm.
 *
 * ## Method
 *
 * For R (m x m upper triangular, RᵀR = the Gram of the design columns) and
 * D = diag(‖a_j‖), κ(A D⁻¹) = σ_max(R D⁻¹) / σ_min(R D⁻¹). σ_max² is
 * estimated by power iteration on (RD⁻¹)ᵀ(RD⁻¹) and σ_min⁻² by inverse
 * iteration (two triangular solves per step), each from a fixed start vector
 * and stopped when the Rayleigh quotient changes by less than 1e-3 relative or
 * after 50 steps: O(m²) per step. Both iterations approach their limits from
 * below, so the estimate is a lower bound that is typically within a small
 * factor of κ — ample for a number of lost digits (log10 κ).
 */

const MAX_STEPS = 50;
const REL_CHANGE = 1e-3;

/**
 * κ estimate of the design whose columns `cols` (indices into the q x q
 * row-major upper triangular factor s) are the retained ones; `norms2[j]` is
 * ‖a_j‖² (the Gram diagonal). Returns 1 for an empty set.
 */
export function estimateScaledCondition(
  s: Float64Array,
  q: number,
  cols: readonly number[],
  norms2: Float64Array,
): number {
  const m = cols.length;
  if (m === 0) return 1;
  // Compact R D⁻¹ on the retained rows and columns (zero rows drop out of RᵀR).
  const r = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    const i = cols[a] as number;
    for (let b = a; b < m; b++) {
      const j = cols[b] as number;
      r[a * m + b] = s[i * q + j] / Math.sqrt(norms2[j] as number);
    }
  }
  const x = new Float64Array(m);
  const y = new Float64Array(m);
  const largest = powerIteration(r, m, x, y, false);
  const inverseLargest = powerIteration(r, m, x, y, true);
  const kappa = Math.sqrt(largest * inverseLargest);
  return Number.isFinite(kappa) ? Math.max(1, kappa) : Number.POSITIVE_INFINITY;
}

/** Deterministic start vector with no special alignment to any axis. */
function start(x: Float64Array, m: number): void {
  let norm2 = 0;
  for (let i = 0; i < m; i++) {
    x[i] = 1 + 0.5 * Math.sin(i + 1);
    norm2 += x[i] * x[i];
  }
  const inv = 1 / Math.sqrt(norm2);
  for (let i = 0; i < m; i++) x[i] *= inv;
}

/** Largest eigenvalue of RᵀR (inverse = false) or of (RᵀR)⁻¹ (inverse = true). */
function powerIteration(
  r: Float64Array,
  m: number,
  x: Float64Array,
  y: Float64Array,
  inverse: boolean,
): number {
  start(x, m);
  let lambda = 0;
  for (let step = 0; step < MAX_STEPS; step++) {
    if (inverse) {
      // y = R⁻ᵀ x (forward substitution), then x = R⁻¹ y (back substitution).
      for (let i = 0; i < m; i++) {
        let t = x[i];
        for (let l = 0; l < i; l++) t -= r[l * m + i] * y[l];
        y[i] = t / r[i * m + i];
      }
      for (let i = m - 1; i >= 0; i--) {
        let t = y[i];
        for (let l = i + 1; l < m; l++) t -= r[i * m + l] * x[l];
        x[i] = t / r[i * m + i];
      }
    } else {
      // y = R x, then x = Rᵀ y.
      for (let i = 0; i < m; i++) {
        let t = 0;
        for (let l = i; l < m; l++) t += r[i * m + l] * x[l];
        y[i] = t;
      }
      for (let i = 0; i < m; i++) {
        let t = 0;
        for (let l = 0; l <= i; l++) t += r[l * m + i] * y[l];
        x[i] = t;
      }
    }
    let norm2 = 0;
    for (let i = 0; i < m; i++) norm2 += x[i] * x[i];
    const next = Math.sqrt(norm2);
    if (!(next > 0) || !Number.isFinite(next)) return next;
    const inv = 1 / next;
    for (let i = 0; i < m; i++) x[i] *= inv;
    const done = Math.abs(next - lambda) <= REL_CHANGE * next;
    lambda = next;
    if (done) break;
  }
  return lambda;
}
