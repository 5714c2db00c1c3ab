/**
 * Parses one CSV field straight from its bytes into a float64, without
 * building a string in the common case.
 *
 * ## Method
 *
 * A field `[+-]digits[.digits][(e|E)[+-]digits]` is scanned into an integer
 * mantissa m of at most 19 significant digits (leading zeros skipped) and a
 * decimal exponent q, value m·10^q. When m < 2^53 and |q| ≤ 22, both
 * m and 10^|q| are exact doubles and one IEEE multiplication or division
 * gives the correctly rounded result (Clinger's fast path, "How to read
 * floating point numbers accurately", PLDI 1990). Mantissas of up to 19
 * digits with any exponent go through the Eisel–Lemire algorithm
 * (eisel-lemire.ts), also correctly rounded. The rest (longer mantissas,
 * near-tie, subnormal or overflowing results) falls back to `Number()` on the
 * field's latin1 text, which is correctly rounded too, so the result is always
 * exact to the last bit, as a statistics package reading the same file gets.
 *
 * ## Missing values (the exact tokens)
 *
 * - null (missing): the empty field, `NA`, `null`, `NULL`;
 * - NaN: `NaN`, `nan`, `NAN`;
 * - ±Infinity: `Inf`, `inf`, `Infinity`, `infinity`, each with an optional sign.
 * Spaces around a field are ignored. Anything else is not a number.
 */

import { eiselLemire } from './eisel-lemire.js';

/** Result of the last parse (read `status` after `parse`). */
export const FIELD_OK = 0;
export const FIELD_NULL = 1;
export const FIELD_BAD = 2;
export type FieldStatus = typeof FIELD_OK | typeof FIELD_NULL | typeof FIELD_BAD;

const POW10 = new Float64Array(23);
POW10[0] = 1;
for (let i = 1; i < POW10.length; i += 1) POW10[i] = (POW10[i - 1] as number) * 10;

const TWO53 = 9007199254740992;
const TWO32 = 4294967296;
const SPACE = 32;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;

export class NumberScanner {
  /** FIELD_OK, FIELD_NULL or FIELD_BAD for the last call of `parse`. */
  status: FieldStatus = FIELD_OK;

  /** Parses `bytes[start, end)` and sets `status`; the value is NaN unless FIELD_OK. */
  parse(bytes: Uint8Array, start: number, end: number): number {
    let s = start;
    let e = end;
    while (s < e && bytes[s] === SPACE) s += 1;
    while (e > s && bytes[e - 1] === SPACE) e -= 1;
    if (s === e) {
      this.status = FIELD_NULL;
      return Number.NaN;
    }
    let i = s;
    let negative = false;
    const first = bytes[i] as number;
    if (first === MINUS) {
      negative = true;
      i += 1;
    } else if (first === PLUS) {
      i += 1;
    }
    // The significant digits w = mantissa·tailScale + tail: the first 15 in
    // `mantissa` (exact, < 10^15), up to 4 more in `tail`.
    let mantissa = 0;
    let tail = 0;
    let tailScale = 1;
    let exponent = 0;
    let digits = 0;
    let exact = true;
    let sawDigit = false;
    while (i < e) {
      const d = (bytes[i] as number) - ZERO;
      if (d < 0 || d > 9) break;
      sawDigit = true;
      if (mantissa !== 0 || d !== 0) {
        if (digits < 15) {
          mantissa = mantissa * 10 + d;
          digits += 1;
        } else if (digits < 19) {
          tail = tail * 10 + d;
          tailScale *= 10;
          digits += 1;
        } else {
          exponent += 1;
          exact = false;
        }
      }
      i += 1;
    }
    if (i < e && bytes[i] === DOT) {
      i += 1;
      while (i < e) {
        const d = (bytes[i] as number) - ZERO;
        if (d < 0 || d > 9) break;
        sawDigit = true;
        if (mantissa !== 0 || d !== 0) {
          if (digits < 15) {
            mantissa = mantissa * 10 + d;
            digits += 1;
            exponent -= 1;
          } else if (digits < 19) {
            tail = tail * 10 + d;
            tailScale *= 10;
            digits += 1;
            exponent -= 1;
          } else {
            exact = false;
          }
        } else {
          exponent -= 1;
        }
        i += 1;
      }
    }
    if (!sawDigit) return this.special(bytes, s, e);
    if (i < e && ((bytes[i] as number) | 0x20) === 0x65) {
      i += 1;
      let expNegative = false;
      if (i < e && (bytes[i] === MINUS || bytes[i] === PLUS)) {
        expNegative = bytes[i] === MINUS;
        i += 1;
      }
      let expValue = 0;
      let expDigits = 0;
      while (i < e) {
        const d = (bytes[i] as number) - ZERO;
        if (d < 0 || d > 9) break;
        if (expValue < 100000) expValue = expValue * 10 + d;
        expDigits += 1;
        i += 1;
      }
      if (expDigits === 0) return this.bad();
      exponent += expNegative ? -expValue : expValue;
    }
    if (i !== e) return this.bad();
    this.status = FIELD_OK;
    if (mantissa === 0) return negative ? -0 : 0;
    if (exact) {
      const w = tailScale === 1 ? mantissa : mantissa * tailScale + tail;
      // w < 2^53 computed this way means it is exact (intermediates never exceed w).
      if (w < TWO53) {
        let value: number | undefined;
        if (exponent === 0) value = w;
        else if (exponent > 0 && exponent <= 22) value = w * (POW10[exponent] as number);
        else if (exponent < 0 && exponent >= -22) value = w / (POW10[-exponent] as number);
        if (value !== undefined) return negative ? -value : value;
      }
      // Split w into 32-bit limbs exactly: mantissa < 2^50, tail < 10^4.
      const mHi = Math.floor(mantissa / TWO32);
      const x = (mantissa - mHi * TWO32) * tailScale + tail; // < 2^46: exact
      const carry = Math.floor(x / TWO32);
      const magnitude = eiselLemire(mHi * tailScale + carry, x - carry * TWO32, exponent);
      if (magnitude >= 0) return negative ? -magnitude : magnitude;
    }
    return Number(latin1(bytes, s, e));
  }

  private bad(): number {
    this.status = FIELD_BAD;
    return Number.NaN;
  }

  /** The non-numeric tokens listed in the module comment. */
  private special(bytes: Uint8Array, s: number, e: number): number {
    const text = latin1(bytes, s, e);
    switch (text) {
      case 'NA':
      case 'null':
      case 'NULL':
        this.status = FIELD_NULL;
        return Number.NaN;
      case 'NaN':
      case 'nan':
      case 'NAN':
        this.status = FIELD_OK;
        return Number.NaN;
      case 'Inf':
      case 'inf':
      case 'Infinity':
      case 'infinity':
      case '+Inf':
      case '+inf':
      case '+Infinity':
      case '+infinity':
        this.status = FIELD_OK;
        return Number.POSITIVE_INFINITY;
      case '-Inf':
      case '-inf':
      case '-Infinity':
      case '-infinity':
        this.status = FIELD_OK;
        return Number.NEGATIVE_INFINITY;
      default:
        return this.bad();
    }
  }
}

/** The bytes as a latin1 string (only for fallbacks and messages). */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  // The CSV reader always passes a Buffer: slicing it directly avoids a Buffer object per field.
  if (Buffer.isBuffer(bytes)) return bytes.toString('latin1', start, end);
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}
