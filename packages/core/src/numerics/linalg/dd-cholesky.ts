/**
 * Cholesky factorization and solves in double-double, for the refinement
 * pass's Gram matrix XᵀWX summed in double-double (refine-state.ts).
 *
 * ## Why
 *
 * (XᵀWX)⁻¹ from the one-pass factor R is accurate only to about κ_s·ε
 * relative (κ_s the condition number of the unit-column design): ~1e-6 on a
 * degree-10 polynomial, not enough for 7 digits of every standard error. The
 * Gram summed in double-double is accurate to ~1e-30, and Cholesky's backward
 * error is small relative to each diagonal (van der Sluis scaling), so a
 * double-double Cholesky gives (XᵀWX)⁻¹ and G⁻¹g to about κ_s²·(2⁻¹⁰⁴ + the
 * Gram's error) relative — ~1e-12 at κ_s = 6e9 (measured: 13+ digits of every
 * SE on the Filip-like problem). That stays below 1e-7 up to κ_s ≈ 1e12, past
 * which the rank rule (τ = 1e-11) calls the design deficient anyway.
 *
 * ## Method
 *
 * Upper Cholesky G = UᵀU by rows (Golub & Van Loan Alg. 4.2.1) in dd
 * arithmetic (double-double.ts); U⁻¹ by back substitution; C = U⁻¹U⁻ᵀ.
 * Matrices are q × q row-major arrays of dd pairs (2 doubles per entry).
 */
import { ddAdd, ddDiv, ddMul, ddSqrt } from './double-double.js';

/** U (q × q dd pairs, upper) with UᵀU = G, or undefined when G is not numerically positive definite. */
export function ddCholesky(g: Float64Array, q: number): Float64Array | undefined {
  const u = new Float64Array(2 * q * q);
  const acc = new Float64Array(2);
  const tmp = new Float64Array(2);
  for (let j = 0; j < q; j++) {
    for (let i = 0; i <= j; i++) {
      acc[0] = g[2 * (i * q + j)];
      acc[1] = g[2 * (i * q + j) + 1];
      for (let l = 0; l < i; l++) {
        const a = 2 * (l * q + i);
        const b = 2 * (l * q + j);
        ddMul(u[a], u[a + 1], -u[b], -u[b + 1], tmp, 0);
        ddAdd(acc, 0, tmp[0], tmp[1]);
      }
      const o = 2 * (i * q + j);
      if (i < j) {
        const d = 2 * (i * q + i);
        ddDiv(acc[0], acc[1], u[d], u[d + 1], u, o);
      } else {
        if (!(acc[0] > 0)) return undefined;
        ddSqrt(acc[0], acc[1], u, o);
      }
    }
  }
  return u;
}

/** U⁻¹ (q × q dd pairs, upper). */
export function ddInvertUpper(u: Float64Array, q: number): Float64Array {
  const inv = new Float64Array(2 * q * q);
  const acc = new Float64Array(2);
  const tmp = new Float64Array(2);
  for (let j = 0; j < q; j++) {
    const d = 2 * (j * q + j);
    ddDiv(1, 0, u[d], u[d + 1], inv, d);
    for (let i = j - 1; i >= 0; i--) {
      acc[0] = 0;
      acc[1] = 0;
      for (let l = i + 1; l <= j; l++) {
        const a = 2 * (i * q + l);
        const b = 2 * (l * q + j);
        ddMul(u[a], u[a + 1], -inv[b], -inv[b + 1], tmp, 0);
        ddAdd(acc, 0, tmp[0], tmp[1]);
      }
      const di = 2 * (i * q + i);
      ddDiv(acc[0], acc[1], u[di], u[di + 1], inv, 2 * (i * q + j));
    }
  }
  return inv;
}

/** C = U⁻¹U⁻ᵀ = G⁻¹ rounded to double (q × q row-major, symmetric), from U⁻¹ in dd. */
export function ddInverseGram(inv: Float64Array, q: number): Float64Array {
  const c = new Float64Array(q * q);
  const acc = new Float64Array(2);
  const tmp = new Float64Array(2);
  for (let i = 0; i < q; i++) {
    for (let j = i; j < q; j++) {
      acc[0] = 0;
      acc[1] = 0;
      for (let l = j; l < q; l++) {
        const a = 2 * (i * q + l);
        const b = 2 * (j * q + l);
        ddMul(inv[a], inv[a + 1], inv[b], inv[b + 1], tmp, 0);
        ddAdd(acc, 0, tmp[0], tmp[1]);
      }
      const v = acc[0] + acc[1];
      c[i * q + j] = v;
      c[j * q + i] = v;
    }
  }
  return c;
}

/** x = G⁻¹ b = U⁻¹U⁻ᵀ b with U⁻¹ in dd and b in double; the result rounded to double. */
export function ddSolveWithInverse(inv: Float64Array, q: number, b: Float64Array): Float64Array {
  // t = U⁻ᵀ b (dd), then x = U⁻¹ t.
  const t = new Float64Array(2 * q);
  const tmp = new Float64Array(2);
  for (let i = 0; i < q; i++) {
    for (let l = 0; l <= i; l++) {
      const a = 2 * (l * q + i);
      ddMul(inv[a], inv[a + 1], b[l], 0, tmp, 0);
      ddAdd(t, 2 * i, tmp[0], tmp[1]);
    }
  }
  const x = new Float64Array(q);
  const acc = new Float64Array(2);
  for (let i = 0; i < q; i++) {
    acc[0] = 0;
    acc[1] = 0;
    for (let l = i; l < q; l++) {
      const a = 2 * (i * q + l);
      ddMul(inv[a], inv[a + 1], t[2 * l], t[2 * l + 1], tmp, 0);
      ddAdd(acc, 0, tmp[0], tmp[1]);
    }
    x[i] = acc[0] + acc[1];
  }
  return x;
}
