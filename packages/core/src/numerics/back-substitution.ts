/**
 * Triangular solves with an upper-triangular n × n block stored row-major with
 * leading dimension `ld` (so a block of a larger factor can be used in place).
 * Backward stable (Higham, Accuracy and Stability of Numerical Algorithms,
 * 2nd ed., Thm 8.5): the computed x solves (T + δT)x = b with |δT| ≤ nε|T|.
 * A zero diagonal gives ±Infinity/NaN; callers decide rank before solving.
 */

/** Solves T x = b in place (b becomes x). */
export function solveUpper(t: Float64Array, ld: number, n: number, b: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    const row = i * ld;
    for (let j = i + 1; j < n; j++) s -= t[row + j] * b[j];
    b[i] = s / t[row + i];
  }
}

/** Solves Tᵀ x = b in place (b becomes x). */
export function solveUpperTransposed(
  t: Float64Array,
  ld: number,
  n: number,
  b: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const xi = b[i] / t[i * ld + i];
    b[i] = xi;
    const row = i * ld;
    for (let j = i + 1; j < n; j++) b[j] -= t[row + j] * xi;
  }
}

/** T⁻¹ (n × n row-major, upper triangular) by column-wise back substitution. */
export function invertUpper(t: Float64Array, ld: number, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  const col = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    col.fill(0);
    col[j] = 1;
    solveUpper(t, ld, j + 1, col);
    for (let i = 0; i <= j; i++) inv[i * n + j] = col[i];
  }
  return inv;
}

/** C = T⁻¹T⁻ᵀ = (TᵀT)⁻¹, n × n row-major symmetric: the unscaled covariance of a full-rank fit. */
export function inverseGramFromUpper(t: Float64Array, ld: number, n: number): Float64Array {
  const inv = invertUpper(t, ld, n);
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      // Rows i and j of T⁻¹ are zero left of their diagonal.
      let s = 0;
      for (let l = j; l < n; l++) s += inv[i * n + l] * inv[j * n + l];
      c[i * n + j] = s;
      c[j * n + i] = s;
    }
  }
  return c;
}
