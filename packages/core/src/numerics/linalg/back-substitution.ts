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
  return gramOfUpperInverse(invertUpper(t, ld, n), n);
}

/**
 * C = U Uᵀ for an upper-triangular n × n row-major U = T⁻¹ already at hand
 * (a wide fit's rank certificate inverts R once, solve/rank.ts): the same
 * bits as inverseGramFromUpper(T).
 */
export function gramOfUpperInverse(inv: Float64Array, n: number): Float64Array {
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

/** 2²⁷ + 1: Veltkamp's splitter for Dekker's exact product. */
const SPLITTER = 134217729;

/**
 * Solves T x = b in place like solveUpper, but with the residuals
 * b_i − Σ_j t_ij x_j accumulated and x kept in double-double (Dekker's
 * TwoProduct, Knuth's TwoSum), x rounded to double at the end. The result is
 * the exact solution of the stored triangular system to about
 * κ(T)·2⁻¹⁰⁴ relative, then rounded: the solve adds no error of its own
 * beyond that last rounding, where plain back substitution adds up to
 * n·ε·cond(T, x) (Higham, ASNA 2nd ed., §8.2). Costs ~15× solveUpper, i.e.
 * O(n²) flops, negligible next to building T; used for the full-rank OLS
 * coefficients, whose accuracy is the point of the `qr` route.
 */
export function solveUpperAccurate(t: Float64Array, ld: number, n: number, b: Float64Array): void {
  const xh = new Float64Array(n);
  const xl = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sh = b[i];
    let sl = 0;
    const row = i * ld;
    for (let j = i + 1; j < n; j++) {
      // (ph, pl) = t_ij · (xh_j + xl_j), exact in its leading part.
      const a = t[row + j];
      const c = xh[j];
      const ph = a * c;
      let q = SPLITTER * a;
      const a1 = q - (q - a);
      const a2 = a - a1;
      q = SPLITTER * c;
      const c1 = q - (q - c);
      const c2 = c - c1;
      const pl = a1 * c1 - ph + a1 * c2 + a2 * c1 + a2 * c2 + a * xl[j];
      // (sh, sl) −= (ph, pl).
      const s = sh - ph;
      const bb = s - sh;
      const e = sh - (s - bb) + (-ph - bb) + (sl - pl);
      sh = s + e;
      sl = e - (sh - s);
    }
    // x_i = (sh + sl) / t_ii in dd: one quotient digit and its remainder.
    const d = t[row + i];
    const q1 = sh / d;
    const ph = q1 * d;
    let q = SPLITTER * q1;
    const u1 = q - (q - q1);
    const u2 = q1 - u1;
    q = SPLITTER * d;
    const d1 = q - (q - d);
    const d2 = d - d1;
    const pl = u1 * d1 - ph + u1 * d2 + u2 * d1 + u2 * d2;
    const q2 = (sh - ph - pl + sl) / d;
    const h = q1 + q2;
    xh[i] = h;
    xl[i] = q2 - (h - q1);
  }
  for (let i = 0; i < n; i++) b[i] = xh[i] + xl[i];
}
