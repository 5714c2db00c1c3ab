import { wasmInvertUpper, wasmKernelsAvailable, wasmTriangularGramPanels } from '../wasm/index.js';
import { paddedColumns, syrkUpperAdd } from './blas.js';

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

/**
 * From this order on, invertUpper runs in WebAssembly (the same bits): below
 * it the copy into module memory is not worth it.
 */
const WASM_INVERSE_MIN = 32;

/**
 * T⁻¹ (n × n row-major, upper triangular) by column-wise back substitution:
 * invertUpperJs's bits, in WebAssembly SIMD eight columns at a time when the
 * kernels are available (wasm/kernels.ts invertUpperBlock: n = 1,001 in
 * ~21 ms of CPU instead of ~120 ms warm, 150–270 ms in a fit where the JS
 * loop runs once, cold; sixteen columns a pass took ~36 ms).
 */
export function invertUpper(t: Float64Array, ld: number, n: number): Float64Array {
  if (n >= WASM_INVERSE_MIN && wasmKernelsAvailable()) return wasmInvertUpper(t, ld, n);
  return invertUpperJs(t, ld, n);
}

/**
 * T⁻¹ (n × n row-major, upper triangular) by column-wise back substitution:
 * column j solves T x = e_j (solveUpper on the leading j + 1 rows). Two
 * columns are solved together, sharing each load of T's row (two
 * multiply-adds per three loads instead of one per two; n = 1,001: 378–708 →
 * 235–242 ms in two runs on a busy machine), each with the very operations,
 * in the very order, of its own solve — the same bits.
 */
function invertUpperJs(t: Float64Array, ld: number, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  const c0 = new Float64Array(n);
  const c1 = new Float64Array(n);
  let j = 0;
  for (; j + 1 < n; j += 2) {
    const j1 = j + 1;
    // Rows j + 1 and j: the right-hand sides' ones, and column j + 1's one term of row j.
    c1[j1] = 1 / (t[j1 * ld + j1] as number);
    c0[j] = 1 / (t[j * ld + j] as number);
    c1[j] = (0 - (t[j * ld + j1] as number) * (c1[j1] as number)) / (t[j * ld + j] as number);
    for (let i = j - 1; i >= 0; i--) {
      const row = i * ld;
      let s0 = 0;
      let s1 = 0;
      for (let l = i + 1; l <= j; l++) {
        const a = t[row + l] as number;
        s0 -= a * (c0[l] as number);
        s1 -= a * (c1[l] as number);
      }
      s1 -= (t[row + j1] as number) * (c1[j1] as number);
      const d = t[row + i] as number;
      c0[i] = s0 / d;
      c1[i] = s1 / d;
    }
    for (let i = 0; i <= j; i++) inv[i * n + j] = c0[i] as number;
    for (let i = 0; i <= j1; i++) inv[i * n + j1] = c1[i] as number;
  }
  if (j < n) {
    c0.fill(0);
    c0[j] = 1;
    solveUpper(t, ld, j + 1, c0);
    for (let i = 0; i <= j; i++) inv[i * n + j] = c0[i] as number;
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
 *
 * Each entry is Σ_{l ≥ j} U[i][l]·U[j][l] (i ≤ j; rows of U are zero left of
 * their diagonal), summed from l = j upwards from 0 — the order of the
 * plain loop, kept exactly. The entries are computed two rows by two rows, so
 * one pass over rows i, i+1, j, j+1 does four multiply-adds per four loads
 * instead of one per two (n = 1,001: 885 → 357 ms, one run on a busy machine).
 */
export function gramOfUpperInverse(inv: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  const put = (i: number, j: number, v: number): void => {
    c[i * n + j] = v;
    c[j * n + i] = v;
  };
  /** The plain sum for one entry (i ≤ j). */
  const entry = (i: number, j: number): number => {
    let s = 0;
    for (let l = j; l < n; l++) s += (inv[i * n + l] as number) * (inv[j * n + l] as number);
    return s;
  };
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const ri = i * n;
    const ri1 = ri + n;
    put(i, i, entry(i, i));
    put(i, i + 1, entry(i, i + 1));
    put(i + 1, i + 1, entry(i + 1, i + 1));
    let j = i + 2;
    for (; j + 1 < n; j += 2) {
      const rj = j * n;
      const rj1 = rj + n;
      // Column j starts at l = j, column j + 1 at l = j + 1 (U[j+1][j] = 0 is not summed).
      const bj = inv[rj + j] as number;
      let s00 = 0 + (inv[ri + j] as number) * bj;
      let s10 = 0 + (inv[ri1 + j] as number) * bj;
      let s01 = 0;
      let s11 = 0;
      for (let l = j + 1; l < n; l++) {
        const a0 = inv[ri + l] as number;
        const a1 = inv[ri1 + l] as number;
        const b0 = inv[rj + l] as number;
        const b1 = inv[rj1 + l] as number;
        s00 += a0 * b0;
        s10 += a1 * b0;
        s01 += a0 * b1;
        s11 += a1 * b1;
      }
      put(i, j, s00);
      put(i + 1, j, s10);
      put(i, j + 1, s01);
      put(i + 1, j + 1, s11);
    }
    if (j < n) {
      put(i, j, entry(i, j));
      put(i + 1, j, entry(i + 1, j));
    }
  }
  if (i < n) put(i, i, entry(i, i));
  return c;
}

/** Rows of Uᵀ per panel of triangularGram: a 128-row panel of A stays in cache for the syrk kernel. */
export const GRAM_PANEL_ROWS = 128;

/**
 * C = U Uᵀ for a wide upper-triangular U (the R⁻¹ of a wide fit, solve/rank.ts)
 * at the syrk kernel's speed: C = AᵀA with A = Uᵀ, summed over panels of
 * GRAM_PANEL_ROWS rows of A, each panel only over the columns where it is
 * nonzero (so ~n³/6 multiply-adds, as the triangular loop), in WebAssembly
 * SIMD when available and otherwise by syrkUpperAdd, the same bits either
 * way. Each entry is the sum of the panels' partial sums, so its last bits
 * can differ from gramOfUpperInverse's single running sum.
 */
export function triangularGram(u: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  if (wasmKernelsAvailable()) {
    wasmTriangularGramPanels(u, n, c, GRAM_PANEL_ROWS);
  } else {
    for (let r0 = 0; r0 < n; r0 += GRAM_PANEL_ROWS) {
      const rows = Math.min(GRAM_PANEL_ROWS, n - r0);
      const q = Math.min(n, r0 + rows);
      // A column-major: column i = U[i][r0 .. r0 + rows), zero below row i − r0; padded to a multiple of 4.
      const a = new Float64Array(paddedColumns(q) * rows);
      for (let i = 0; i < q; i++) {
        for (let r = Math.max(0, i - r0); r < rows; r++)
          a[i * rows + r] = u[i * n + r0 + r] as number;
      }
      syrkUpperAdd(rows, q, a, rows, c, n);
    }
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) c[j * n + i] = c[i * n + j] as number;
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
