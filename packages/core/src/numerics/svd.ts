/**
 * Singular value decomposition of a small dense matrix by one-sided Jacobi.
 *
 * ## Method
 *
 * Hestenes' one-sided Jacobi (1958), in the form analysed by Demmel and
 * Veselić ("Jacobi's method is more accurate than QR", SIAM J. Matrix Anal.
 * Appl. 13, 1992) with de Rijk's sorted-sweep idea left out for simplicity:
 * plane rotations are applied to pairs of columns of A (rows × cols,
 * rows ≥ cols) until every pair is numerically orthogonal,
 *
 *     |a_pᵀa_q| ≤ tol · ‖a_p‖ ‖a_q‖,   tol = rows · 2⁻⁵³,
 *
 * accumulating the same rotations in V. Then A V = U Σ with σ_j = ‖a_j‖ and
 * u_j = a_j / σ_j. Each rotation is computed from fresh dot products (the
 * stable formulas of Rutishauser: ζ = (β − α)/(2γ), t = sign(ζ)/(|ζ| + √(1+ζ²))).
 * For a matrix A = B·D with D diagonal, the computed singular values have
 * relative errors of order κ(B)·ε, independent of D — the property the rank
 * decision relies on. Cost O(rows·cols²) per sweep, usually 6–12 sweeps:
 * intended for the m × m factors of a fit (m up to a few hundred).
 */

export interface SvdResult {
  /** Number of singular triplets (= cols). */
  readonly n: number;
  /** Singular values, descending, length n. */
  readonly s: Float64Array;
  /** rows × n row-major: column j is the left singular vector u_j (zero when σ_j = 0). */
  readonly u: Float64Array;
  /** n × n row-major: column j is the right singular vector v_j. */
  readonly v: Float64Array;
  /** Sweeps used (diagnostic). */
  readonly sweeps: number;
}

const MAX_SWEEPS = 80;

/** SVD of the rows × cols row-major matrix `a` (rows ≥ cols). `a` is not modified. */
export function jacobiSvd(a: Float64Array, rows: number, cols: number): SvdResult {
  if (rows < cols) {
    throw new RangeError(`jacobiSvd needs rows >= cols, got ${rows} x ${cols}`);
  }
  // Column-major working copies: each column is contiguous for the dot products.
  const w = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) w[j * rows + i] = a[i * cols + j];
  }
  const vc = new Float64Array(cols * cols);
  for (let j = 0; j < cols; j++) vc[j * cols + j] = 1;

  const tol = rows * 2 ** -53;
  let sweeps = 0;
  for (; sweeps < MAX_SWEEPS; sweeps++) {
    let rotated = false;
    for (let p = 0; p < cols - 1; p++) {
      const op = p * rows;
      for (let q = p + 1; q < cols; q++) {
        const oq = q * rows;
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < rows; i++) {
          const x = w[op + i];
          const y = w[oq + i];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (alpha === 0 || beta === 0) continue;
        if (Math.abs(gamma) <= tol * Math.sqrt(alpha) * Math.sqrt(beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < rows; i++) {
          const x = w[op + i];
          const y = w[oq + i];
          w[op + i] = c * x - s * y;
          w[oq + i] = s * x + c * y;
        }
        const vp = p * cols;
        const vq = q * cols;
        for (let i = 0; i < cols; i++) {
          const x = vc[vp + i];
          const y = vc[vq + i];
          vc[vp + i] = c * x - s * y;
          vc[vq + i] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }

  const norms = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    let ss = 0;
    for (let i = 0; i < rows; i++) ss += w[j * rows + i] * w[j * rows + i];
    norms[j] = Math.sqrt(ss);
  }
  const order = Array.from({ length: cols }, (_, j) => j).sort((x, y) => norms[y] - norms[x]);

  const s = new Float64Array(cols);
  const u = new Float64Array(rows * cols);
  const v = new Float64Array(cols * cols);
  for (let k = 0; k < cols; k++) {
    const j = order[k];
    const sigma = norms[j];
    s[k] = sigma;
    if (sigma > 0) {
      for (let i = 0; i < rows; i++) u[i * cols + k] = w[j * rows + i] / sigma;
    }
    for (let i = 0; i < cols; i++) v[i * cols + k] = vc[j * cols + i];
  }
  return { n: cols, s, u, v, sweeps };
}
