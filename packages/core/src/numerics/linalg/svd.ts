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
 * stable formulas of Rutishauser: ζ = (β − α)/(2γ), t = sign(ζ)/(|ζ| + √(1+ζ²));
 * γ is always a fresh dot product, the squared norms α, β are tracked).
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
  /** n × n row-major: column j is the right singular vector v_j (empty when not requested). */
  readonly v: Float64Array;
  /** Sweeps used (diagnostic). */
  readonly sweeps: number;
}

const MAX_SWEEPS = 80;
/** Below this fraction of its value at the start of the sweep, a tracked norm is recomputed. */
const NORM_DRIFT = 1e-3;

export interface JacobiOptions {
  /** Accumulate the right singular vectors V (default true). Without them `v` is empty. */
  readonly wantV?: boolean;
}

/** SVD of the rows × cols row-major matrix `a` (rows ≥ cols). `a` is not modified. */
export function jacobiSvd(
  a: Float64Array,
  rows: number,
  cols: number,
  options: JacobiOptions = {},
): SvdResult {
  if (rows < cols) {
    throw new RangeError(`jacobiSvd needs rows >= cols, got ${rows} x ${cols}`);
  }
  const wantV = options.wantV ?? true;
  // Column-major working copies: each column is contiguous for the dot products.
  const w = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) w[j * rows + i] = a[i * cols + j];
  }
  const vc = new Float64Array(wantV ? cols * cols : 0);
  if (wantV) for (let j = 0; j < cols; j++) vc[j * cols + j] = 1;

  // Squared column norms, tracked through the rotations (α' = α − tγ, β' = β + tγ)
  // and recomputed at every sweep and whenever a tracked value has drifted down
  // by more than NORM_DRIFT (where its absolute error would start to matter), as
  // LAPACK's dgesvj does.
  const sq = new Float64Array(cols);
  const sqStart = new Float64Array(cols);
  const fresh = (j: number): number => {
    let ss = 0;
    const o = j * rows;
    for (let i = 0; i < rows; i++) ss += w[o + i] * w[o + i];
    return ss;
  };

  const tol = rows * 2 ** -53;
  let sweeps = 0;
  for (; sweeps < MAX_SWEEPS; sweeps++) {
    for (let j = 0; j < cols; j++) {
      sq[j] = fresh(j);
      sqStart[j] = sq[j];
    }
    let rotated = false;
    for (let p = 0; p < cols - 1; p++) {
      const op = p * rows;
      for (let q = p + 1; q < cols; q++) {
        const oq = q * rows;
        if (sq[p] < NORM_DRIFT * sqStart[p]) {
          sq[p] = fresh(p);
          sqStart[p] = sq[p];
        }
        if (sq[q] < NORM_DRIFT * sqStart[q]) {
          sq[q] = fresh(q);
          sqStart[q] = sq[q];
        }
        const alpha = sq[p];
        const beta = sq[q];
        if (alpha === 0 || beta === 0) continue;
        let gamma = 0;
        for (let i = 0; i < rows; i++) gamma += w[op + i] * w[oq + i];
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
        sq[p] = Math.max(alpha - t * gamma, 0);
        sq[q] = beta + t * gamma;
        if (wantV) {
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
    }
    if (!rotated) break;
  }

  const norms = new Float64Array(cols);
  for (let j = 0; j < cols; j++) norms[j] = Math.sqrt(fresh(j));
  const order = Array.from({ length: cols }, (_, j) => j).sort((x, y) => norms[y] - norms[x]);

  const s = new Float64Array(cols);
  const u = new Float64Array(rows * cols);
  const v = new Float64Array(wantV ? cols * cols : 0);
  for (let k = 0; k < cols; k++) {
    const j = order[k];
    const sigma = norms[j];
    s[k] = sigma;
    if (sigma > 0) {
      for (let i = 0; i < rows; i++) u[i * cols + k] = w[j * rows + i] / sigma;
    }
    if (wantV) for (let i = 0; i < cols; i++) v[i * cols + k] = vc[j * cols + i];
  }
  return { n: cols, s, u, v, sweeps };
}
