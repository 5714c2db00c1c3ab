/**
 * R's poly(): raw powers, or orthogonal polynomials whose constants
 * (attr(poly(x, d), "coefs"): alpha, norm2) depend on the data.
 *
 * ## Method
 *
 * The levels pass gathers, per unit, the power sums S_k = Σ (x − c)^k,
 * k = 0…2d, about the unit's first used value c, in double-double; units
 * merge by re-centering one onto the other's shift (binomial expansion, in
 * double-double). From the merged sums: the moments of t = (x − x̄)/s
 * (s = the root mean square about the mean), then Stieltjes' three-term
 * recurrence P_{k+1} = (t − α_k) P_k − β_k P_{k−1}, β_k = ‖P_k‖²/‖P_{k−1}‖²,
 * with inner products taken from the moments, and finally back to x's
 * units: α_x = x̄ + s·α_t, ‖P_k‖²_x = s^{2k}‖P_k‖²_t (monic in x). Centering
 * and scaling keep the moment (Hankel) matrix well conditioned for the small
 * degrees poly is used with.
 *
 * Evaluation is R's predict.poly recurrence, column k = P_k(x)/√norm2[k+1].
 */
import { ddAdd, ddAddDouble, ddDiv, ddMul, ddMulDouble } from '../numerics/linalg/index.js';
import type { PolyCoefs, Variable } from './program.js';

/** Power sums about a shift: [c, hi_0, lo_0, …, hi_2d, lo_2d]; c NaN while empty. */
export type PowerSums = Float64Array;

export function emptyPowerSums(degree: number): PowerSums {
  const s = new Float64Array(1 + 2 * (2 * degree + 1));
  s[0] = Number.NaN;
  return s;
}

/** Adds the values of rows not marked in `mask`. */
export function addPowerSums(s: PowerSums, x: Float64Array, mask: Uint8Array, n: number): void {
  const top = (s.length - 1) / 2 - 1;
  for (let i = 0; i < n; i++) {
    if (mask[i] === 1) continue;
    const v = x[i] as number;
    if (Number.isNaN(s[0] as number)) s[0] = v;
    const t = v - (s[0] as number);
    let p = 1;
    ddAddDouble(s, 1, 1);
    for (let k = 1; k <= top; k++) {
      p *= t;
      ddAddDouble(s, 1 + 2 * k, p);
    }
  }
}

/** a + b, re-centred on a's shift (b's when a is empty). */
export function mergePowerSums(a: PowerSums, b: PowerSums): PowerSums {
  if (Number.isNaN(a[0] as number)) return b.slice();
  if (Number.isNaN(b[0] as number)) return a.slice();
  const out = a.slice();
  // δ = b's shift − a's shift, exactly, as a double-double (Knuth's TwoSum).
  const a0 = a[0] as number;
  const b0 = b[0] as number;
  const dh = b0 - a0;
  const bb = dh - b0;
  const dl = b0 - (dh - bb) + (-a0 - bb);
  const shifted = shiftSums(b, dh, dl);
  for (let k = 0; k < (out.length - 1) / 2; k++) {
    ddAdd(out, 1 + 2 * k, shifted[2 * k] as number, shifted[2 * k + 1] as number);
  }
  return out;
}

/**
 * Σ (t + δ)^k from Σ t^j (binomial), δ = dh + dl in double-double; returns
 * pairs (hi, lo) for k = 0…top.
 */
function shiftSums(s: PowerSums, dh: number, dl: number): Float64Array {
  const count = (s.length - 1) / 2;
  const out = new Float64Array(2 * count);
  const tmp = new Float64Array(2);
  // powers of δ in dd
  const pow = new Float64Array(2 * count);
  pow[0] = 1;
  for (let k = 1; k < count; k++) {
    ddMul(pow[2 * k - 2] as number, pow[2 * k - 1] as number, dh, dl, tmp, 0);
    pow[2 * k] = tmp[0] as number;
    pow[2 * k + 1] = tmp[1] as number;
  }
  for (let k = 0; k < count; k++) {
    let binom = 1;
    for (let j = k; j >= 0; j--) {
      // C(k, j) δ^{k−j} S_j
      ddMul(
        pow[2 * (k - j)] as number,
        pow[2 * (k - j) + 1] as number,
        s[1 + 2 * j] as number,
        s[2 + 2 * j] as number,
        tmp,
        0,
      );
      ddMulDouble(tmp[0] as number, tmp[1] as number, binom, tmp, 0);
      ddAdd(out, 2 * k, tmp[0] as number, tmp[1] as number);
      binom = (binom * j) / (k - j + 1);
    }
  }
  return out;
}

/** R's alpha and norm2 for poly(x, degree) from the merged power sums; undefined when no row was used. */
export function polyCoefs(s: PowerSums, degree: number): PolyCoefs | undefined {
  if (Number.isNaN(s[0] as number)) return undefined;
  const tmp = new Float64Array(2);
  const n = (s[1] as number) + (s[2] as number);
  // mean offset δ = S1/S0 (dd), then central sums about the mean.
  ddDiv(s[3] as number, s[4] as number, s[1] as number, s[2] as number, tmp, 0);
  const dh = -(tmp[0] as number);
  const dl = -(tmp[1] as number);
  const central = shiftSums(s, dh, dl);
  const mean = (s[0] as number) + (-dh + -dl);
  const m2 = (central[4] as number) + (central[5] as number);
  const scale = Math.sqrt(m2 / n) || 1;
  const count = 2 * degree + 1;
  const m = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    m[k] = ((central[2 * k] as number) + (central[2 * k + 1] as number)) / scale ** k;
  }
  // Stieltjes on coefficient vectors (in t): <p, q> = Σ p_i q_j m_{i+j}.
  const inner = (p: Float64Array, q: Float64Array, shift: number): number => {
    let sum = 0;
    // Coefficients past a polynomial's degree are zero; their moments may not exist.
    for (let i = 0; i < p.length; i++) {
      if (p[i] === 0) continue;
      for (let j = 0; j < q.length; j++) {
        if (q[j] !== 0) sum += (p[i] as number) * (q[j] as number) * (m[i + j + shift] as number);
      }
    }
    return sum;
  };
  const alphaT: number[] = [];
  const normT: number[] = [];
  let prev = new Float64Array(degree + 1);
  let cur = new Float64Array(degree + 1);
  cur[0] = 1;
  let prevNorm = 1;
  for (let k = 0; k <= degree; k++) {
    const norm = inner(cur, cur, 0);
    normT.push(norm);
    if (k === degree) break;
    const alpha = inner(cur, cur, 1) / norm;
    alphaT.push(alpha);
    const beta = k === 0 ? 0 : norm / prevNorm;
    const next = new Float64Array(degree + 1);
    for (let i = 0; i <= degree; i++) {
      const shifted = i > 0 ? (cur[i - 1] as number) : 0;
      next[i] = shifted - alpha * (cur[i] as number) - beta * (prev[i] as number);
    }
    prev = cur;
    cur = next;
    prevNorm = norm;
  }
  return {
    alpha: alphaT.map((a) => mean + scale * a),
    norm2: [1, ...normT.map((v, k) => v * scale ** (2 * k))],
  };
}

/** Fills `out[k]` (k = 0…d−1) with the basis columns of poly's variable at `x`. */
export function polyBasis(
  v: Variable & { kind: 'poly' },
  x: Float64Array,
  n: number,
  out: readonly Float64Array[],
): void {
  if (v.raw) {
    for (let k = 0; k < v.degree; k++) {
      const col = out[k] as Float64Array;
      const prev = k === 0 ? undefined : (out[k - 1] as Float64Array);
      for (let i = 0; i < n; i++)
        col[i] = prev === undefined ? (x[i] as number) : (prev[i] as number) * (x[i] as number);
    }
    return;
  }
  const coefs = v.coefs as PolyCoefs;
  const { alpha, norm2 } = coefs;
  // Unscaled P_1 … P_d in out, then each divided by its norm.
  for (let k = 1; k <= v.degree; k++) {
    const col = out[k - 1] as Float64Array;
    const a = alpha[k - 1] as number;
    if (k === 1) {
      for (let i = 0; i < n; i++) col[i] = (x[i] as number) - a;
      continue;
    }
    const p1 = out[k - 2] as Float64Array;
    const p0 = k === 2 ? undefined : (out[k - 3] as Float64Array);
    const b = (norm2[k] as number) / (norm2[k - 1] as number);
    for (let i = 0; i < n; i++) {
      col[i] =
        ((x[i] as number) - a) * (p1[i] as number) - b * (p0 === undefined ? 1 : (p0[i] as number));
    }
  }
  for (let k = v.degree; k >= 1; k--) {
    const col = out[k - 1] as Float64Array;
    const d = Math.sqrt(norm2[k + 1] as number);
    for (let i = 0; i < n; i++) col[i] = (col[i] as number) / d;
  }
}
