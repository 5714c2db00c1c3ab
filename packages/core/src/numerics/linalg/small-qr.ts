/**
 * Householder QR of a small dense matrix, returning only R. The solver uses it
 * to re-factor sub-blocks of a fit's triangular factor (kept columns, the
 * ridge-augmented system, a basis of the null space); never on data rows.
 *
 * ## Method
 *
 * Unblocked Householder QR (Golub & Van Loan, Matrix Computations, 4th ed.,
 * Alg. 5.2.1), reflector v = x + sign(x₁)‖x‖e₁ so there is no cancellation.
 * Backward stable: the R returned is the exact R of A + δA with
 * ‖δa_j‖ ≤ c·rows·ε·‖a_j‖ for every column j.
 */

/**
 * R (cols × cols, row-major, upper triangular) of the rows × cols row-major
 * matrix `a` (rows ≥ cols). `a` is not modified. Diagonal signs are not normalized.
 */
export function householderR(a: Float64Array, rows: number, cols: number): Float64Array {
  if (rows < cols) {
    throw new RangeError(`householderR needs rows >= cols, got ${rows} x ${cols}`);
  }
  // Column-major copy: reflections touch columns below the diagonal.
  const w = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) w[j * rows + i] = a[i * cols + j];
  }
  for (let k = 0; k < cols; k++) {
    const ok = k * rows;
    let scale = 0;
    for (let i = k; i < rows; i++) scale = Math.max(scale, Math.abs(w[ok + i]));
    if (scale === 0) continue;
    let ss = 0;
    for (let i = k; i < rows; i++) {
      const x = w[ok + i] / scale;
      ss += x * x;
    }
    const norm = scale * Math.sqrt(ss);
    const alpha = w[ok + k] >= 0 ? -norm : norm;
    // v = x − alpha·e₁ stored in place of x; vᵀv = 2·norm·(norm + |x_k|).
    w[ok + k] -= alpha;
    const vtv = 2 * norm * (norm + Math.abs(w[ok + k] + alpha));
    // vᵀv underflows only for a column of subnormal numbers: treat it as zero.
    for (let j = k + 1; j < cols && vtv > 0; j++) {
      const oj = j * rows;
      let dot = 0;
      for (let i = k; i < rows; i++) dot += w[ok + i] * w[oj + i];
      const f = (2 * dot) / vtv;
      for (let i = k; i < rows; i++) w[oj + i] -= f * w[ok + i];
    }
    w[ok + k] = alpha;
    for (let i = k + 1; i < rows; i++) w[ok + i] = 0;
  }
  const r = new Float64Array(cols * cols);
  for (let i = 0; i < cols; i++) {
    for (let j = i; j < cols; j++) r[i * cols + j] = w[j * rows + i];
  }
  return r;
}
