/**
 * Double-double ("dd") arithmetic: a value is the unevaluated sum hi + lo of
 * two doubles with |lo| ≤ ulp(hi)/2, giving about 106 bits of significand.
 *
 * ## Method
 *
 * Error-free transformations (Knuth's TwoSum; Dekker's TwoProduct with
 * Veltkamp's split, since JavaScript has no fused multiply-add), and the
 * "sloppy" dd addition and dd×double product of Hida, Li and Bailey's QD
 * library (2001). Relative error of one dd operation is a small multiple of
 * 2⁻¹⁰⁴; Dekker's split is exact for |a| < 2⁹⁹⁶ (no overflow of the splitter).
 *
 * ## Layout
 *
 * Accumulators live in a Float64Array as consecutive (hi, lo) pairs, so a whole
 * vector of dd sums is one typed array that can cross a worker boundary. The
 * functions below update a pair in place and never allocate; results that need
 * two outputs go to a caller-supplied pair.
 */

/** 2²⁷ + 1: Veltkamp's splitter for 53-bit doubles. */
const SPLITTER = 134217729;

/** Writes the exact product a·b = out[o] + out[o+1] (Dekker's TwoProduct). */
export function twoProduct(a: number, b: number, out: Float64Array, o: number): void {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  out[o] = p;
  out[o + 1] = ah * bh - p + ah * bl + al * bh + al * bl;
}

/** acc[o..o+1] += x, for a double x. */
export function ddAddDouble(acc: Float64Array, o: number, x: number): void {
  const a = acc[o];
  const s = a + x;
  const bb = s - a;
  const e = a - (s - bb) + (x - bb) + acc[o + 1];
  const hi = s + e;
  acc[o] = hi;
  acc[o + 1] = e - (hi - s);
}

/** acc[o..o+1] += (hi, lo), for a dd value given as two doubles. */
export function ddAdd(acc: Float64Array, o: number, hi: number, lo: number): void {
  const a = acc[o];
  const s = a + hi;
  const bb = s - a;
  const e = a - (s - bb) + (hi - bb) + (acc[o + 1] + lo);
  const h = s + e;
  acc[o] = h;
  acc[o + 1] = e - (h - s);
}

/**
 * out[o..o+1] = (hi, lo) · x, a dd times a double (QD's `mul_dd_d`).
 * `out` may alias the input pair only through the arguments, not the slots.
 */
export function ddMulDouble(hi: number, lo: number, x: number, out: Float64Array, o: number): void {
  twoProduct(hi, x, out, o);
  const p = out[o];
  const e = out[o + 1] + lo * x;
  const h = p + e;
  out[o] = h;
  out[o + 1] = e - (h - p);
}

/** out[o..o+1] = (ah, al) · (bh, bl), a dd times a dd (QD's sloppy `mul`). */
export function ddMul(
  ah: number,
  al: number,
  bh: number,
  bl: number,
  out: Float64Array,
  o: number,
): void {
  twoProduct(ah, bh, out, o);
  const p = out[o];
  const e = out[o + 1] + (ah * bl + al * bh);
  const h = p + e;
  out[o] = h;
  out[o + 1] = e - (h - p);
}

/** The dd sum of a vector given as pairs, rounded to the nearest double. */
export function ddToNumber(acc: Float64Array, o: number): number {
  return acc[o] + acc[o + 1];
}

/** out[o..o+1] = (ah, al) / (bh, bl): a quotient digit, its remainder, a second digit (QD's `sloppy_div`). */
export function ddDiv(
  ah: number,
  al: number,
  bh: number,
  bl: number,
  out: Float64Array,
  o: number,
): void {
  const q1 = ah / bh;
  // r = a − q1·b
  ddMulDouble(bh, bl, q1, out, o);
  const ph = out[o];
  const pl = out[o + 1];
  const s = ah - ph;
  const bb = s - ah;
  const e = ah - (s - bb) + (-ph - bb) + (al - pl);
  const q2 = (s + e) / bh;
  const h = q1 + q2;
  out[o] = h;
  out[o + 1] = q2 - (h - q1);
}

/** out[o..o+1] = √(ah, al) for ah ≥ 0, by one Newton step from the double square root (Karp's trick). */
export function ddSqrt(ah: number, al: number, out: Float64Array, o: number): void {
  if (ah <= 0) {
    out[o] = ah === 0 ? 0 : Number.NaN;
    out[o + 1] = 0;
    return;
  }
  const x = Math.sqrt(ah);
  twoProduct(x, x, out, o);
  const corr = (ah - out[o] - out[o + 1] + al) / (2 * x);
  const h = x + corr;
  out[o] = h;
  out[o + 1] = corr - (h - x);
}
