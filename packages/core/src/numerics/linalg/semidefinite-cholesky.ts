/**
 * Cholesky factorization of a symmetric positive semidefinite matrix in
 * natural column order, with zero rows where the matrix is singular.
 *
 * ## Method
 *
 * Outer-product (right-looking) Cholesky, G = SᵀS with S upper triangular,
 * row-major. The pivot of column j is d_j = G_jj − Σ_{i<j} S_ij², the squared
 * distance of column j of the underlying design from the span of the columns
 * before it. Tolerance rule: when
 *
 *   d_j ≤ τ · G_jj,   τ = max(q, 16) · ε   (ε = 2⁻⁵²),
 *
 * i.e. when column j is, to within the rounding of forming and factoring G,
 * a combination of the earlier columns (its sine to their span below √τ), or
 * when G_jj = 0, row j of S is set to zero and column j takes no further part
 * in the elimination. SᵀS then still equals G up to rounding on the retained
 * columns, and S has a zero row for each aliased column — the solver
 * detects rank deficiency from those rows. Natural order (no pivoting) keeps
 * the columns where the caller put them, so "aliased" always means "a
 * combination of columns to its left", as R's `lm` reports it.
 * (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., §10.3.)
 */

const EPS = 2 ** -52;

/** The relative pivot tolerance τ for a q x q matrix. */
export function semidefiniteTolerance(q: number): number {
  return Math.max(q, 16) * EPS;
}

/**
 * Factors the upper triangle of G (q x q row-major, leading dimension ldg)
 * into S (q x q row-major, leading dimension q, strict lower part zeroed).
 * Returns a mask: retained[j] = 1 when row j of S is a true pivot, 0 when it
 * was zeroed by the tolerance rule.
 */
export function semidefiniteCholesky(
  g: Float64Array,
  ldg: number,
  q: number,
  s: Float64Array,
): Uint8Array {
  const tau = semidefiniteTolerance(q);
  const retained = new Uint8Array(q);
  for (let i = 0; i < q; i++) {
    const row = i * q;
    s.fill(0, row, row + i);
    for (let j = i; j < q; j++) s[row + j] = g[i * ldg + j];
  }
  for (let j = 0; j < q; j++) {
    const rj = j * q;
    const d = s[rj + j];
    const gjj = g[j * ldg + j];
    if (!(gjj > 0) || !(d > tau * gjj)) {
      s.fill(0, rj + j, rj + q);
      continue;
    }
    retained[j] = 1;
    const sjj = Math.sqrt(d);
    const inv = 1 / sjj;
    s[rj + j] = sjj;
    for (let c = j + 1; c < q; c++) s[rj + c] *= inv;
    for (let i = j + 1; i < q; i++) {
      const sji = s[rj + i];
      if (sji === 0) continue;
      const ri = i * q;
      for (let c = i; c < q; c++) s[ri + c] -= sji * s[rj + c];
    }
  }
  return retained;
}
