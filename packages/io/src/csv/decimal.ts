/**
 * A decimal w·10^q → the correctly rounded double, from the two accumulators
 * the CSV scanners keep while reading digits, with no BigInt and no string.
 *
 * ## Method
 *
 * While reading the digits of w, a scanner keeps two accumulators, both
 * without branches, updated for each next k ≥ 0 digits of value g < 10^k
 * (k = 1 digit by digit; records.ts reads up to 4 at once):
 *
 * - `approx` ← approx·10^k + g in doubles. While w < 2^53 every intermediate
 *   is an integer below 2^53, so approx = w exactly; when w ≥ 2^53, approx ≥
 *   2^53 too (rounding is monotone), so `approx < 2^53` tells exactness. Past
 *   2^53 each step adds at most two roundings of relative size 2^-53 (product
 *   and sum) and multiplies the old error and w alike by 10^k, so the relative
 *   error grows by at most about 2^-52 per step. Below 2^64 there are at most 4
 *   inexact steps (the first reaches 2^53, each later one multiplies w by at
 *   least 10; a k = 0 step is exact), so for w < 2^64:
 *   |approx − w| ≤ 5·2^-52·2^64 = 20480 (with margin).
 * - `low` ← (low·10^k + g) mod 2^32 in int32 arithmetic (`Math.imul`), which is
 *   w mod 2^32 exactly, for any length.
 *
 * Then w = hi·2^32 + lo with lo = low as uint32 and hi = round((approx − lo)/2^32):
 * the subtraction adds at most 2^11 of rounding error, and 20480 + 2^11 is far
 * below 2^31, so the rounding recovers hi exactly. An approx below
 * 1.8·10^19 < 2^64 − 20480 guarantees w < 2^64.
 *
 * The conversion is then Clinger's fast path ("How to read floating point
 * numbers accurately", PLDI 1990) when w < 2^53 and |q| ≤ 22 (w and 10^|q|
 * are exact doubles; one IEEE multiplication or division rounds correctly),
 * and the Eisel–Lemire algorithm (eisel-lemire.ts) otherwise; both are
 * correctly rounded. `false` means "fall back to `Number()` on the text": w ≥ 2^64
 * (more than 19 significant digits), q out of range, a subnormal or
 * overflowing result, or a product too near a rounding boundary.
 */

import { eiselLemire } from './eisel-lemire.js';

export { ensurePowerTable } from './eisel-lemire.js';

/** 10^0 … 10^22, exact doubles (by exact multiplication; Math.pow need not be exact). */
export const POW10 = new Float64Array(23);
POW10[0] = 1;
for (let i = 1; i < POW10.length; i += 1) POW10[i] = (POW10[i - 1] as number) * 10;

const TWO53 = 9007199254740992;
const INV_TWO32 = 1 / 4294967296;
/** Below 2^64 − 20480 (the accumulation error bound above), so approx < this ⇒ w < 2^64. */
const MAX_APPROX = 1.8e19;

/**
 * Stores ±w·10^q correctly rounded (negative when `negative`, so −0 for a
 * zero) into `out[index]` and returns true, or returns false to fall back;
 * `approx` and `low` are the accumulators of the module comment (low as int32
 * or uint32). ensurePowerTable() must have been called once in this thread.
 */
export function storeDecimal(
  out: Float64Array,
  index: number,
  negative: boolean,
  approx: number,
  low: number,
  q: number,
): boolean {
  if (approx < TWO53) {
    let magnitude = -1;
    if (q === 0) magnitude = approx;
    else if (q < 0) {
      if (q >= -22) magnitude = approx / (POW10[-q] as number);
    } else if (q <= 22) {
      magnitude = approx * (POW10[q] as number);
    }
    if (approx === 0) magnitude = 0;
    if (magnitude >= 0) {
      out[index] = negative ? -magnitude : magnitude;
      return true;
    }
  } else if (!(approx < MAX_APPROX)) {
    return false;
  }
  const lo = low >>> 0;
  return eiselLemire(Math.round((approx - lo) * INV_TWO32), lo, q, negative, out, index);
}
