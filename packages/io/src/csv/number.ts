/**
 * Parses one CSV field straight from its bytes into a float64, without
 * building a string in the common case.
 *
 * ## Method
 *
 * A field `[+-]digits[.digits][(e|E)[+-]digits]` is scanned into its decimal
 * digits w (as the two branch-free accumulators of decimal.ts) and a decimal
 * exponent q, value w·10^q, which `storeDecimal` converts exactly: Clinger's
 * fast path for w < 2^53 and |q| ≤ 22, the Eisel–Lemire algorithm for any
 * other w < 2^64 (up to 19 significant digits). The rest (longer mantissas,
 * near-tie, subnormal or overflowing results) falls back to `Number()` on the
 * field's latin1 text, which is correctly rounded too, so the result is always
 * exact to the last bit, as a statistics package reading the same file gets.
 * (records.ts inlines the same scan for unquoted fields; this is its general path.)
 *
 * ## Missing values (the exact tokens)
 *
 * - null (missing): the empty field, `NA`, `null`, `NULL`;
 * - NaN: `NaN`, `nan`, `NAN`;
 * - ±Infinity: `Inf`, `inf`, `Infinity`, `infinity`, each with an optional sign.
 * Spaces around a field are ignored. Anything else is not a number.
 */

import { ensurePowerTable, storeDecimal } from './decimal.js';

/** Result of the last parse (read `status` after `parse`). */
export const FIELD_OK = 0;
export const FIELD_NULL = 1;
export const FIELD_BAD = 2;
export type FieldStatus = typeof FIELD_OK | typeof FIELD_NULL | typeof FIELD_BAD;

const SPACE = 32;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;

export class NumberScanner {
  /** FIELD_OK, FIELD_NULL or FIELD_BAD for the last call of `parse`. */
  status: FieldStatus = FIELD_OK;
  /** Where `storeDecimal` puts the value. */
  private readonly value = new Float64Array(1);

  constructor() {
    // storeDecimal's table of powers of ten is built on first use, not at import.
    ensurePowerTable();
  }

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
    // The digits w as `approx` and `low` (decimal.ts); the exponent q = exponent − scale.
    let approx = 0;
    let low = 0;
    let scale = 0;
    let sawDigit = false;
    while (i < e) {
      const d = (bytes[i] as number) - ZERO;
      if (d >>> 0 > 9) break;
      approx = approx * 10 + d;
      low = (Math.imul(low, 10) + d) | 0;
      sawDigit = true;
      i += 1;
    }
    if (i < e && bytes[i] === DOT) {
      i += 1;
      const fractionStart = i;
      while (i < e) {
        const d = (bytes[i] as number) - ZERO;
        if (d >>> 0 > 9) break;
        approx = approx * 10 + d;
        low = (Math.imul(low, 10) + d) | 0;
        i += 1;
      }
      scale = i - fractionStart;
      if (scale > 0) sawDigit = true;
    }
    if (!sawDigit) return this.special(bytes, s, e);
    let exponent = 0;
    if (i < e && ((bytes[i] as number) | 0x20) === 0x65) {
      i += 1;
      let expNegative = false;
      if (i < e && (bytes[i] === MINUS || bytes[i] === PLUS)) {
        expNegative = bytes[i] === MINUS;
        i += 1;
      }
      const expStart = i;
      while (i < e) {
        const d = (bytes[i] as number) - ZERO;
        if (d >>> 0 > 9) break;
        // Capped: any exponent this large over- or underflows (storeDecimal falls back).
        if (exponent < 100000) exponent = exponent * 10 + d;
        i += 1;
      }
      if (i === expStart) return this.bad();
      if (expNegative) exponent = -exponent;
    }
    if (i !== e) return this.bad();
    this.status = FIELD_OK;
    if (storeDecimal(this.value, 0, negative, approx, low, exponent - scale)) {
      return this.value[0] as number;
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
