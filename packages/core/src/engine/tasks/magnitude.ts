/**
 * Values too large or too small for the accumulators' sums of squares
 * (numerics/accumulate/value-range.ts says why). Rather than return a wrong
 * fit (an NA intercept, a false aliasing relation), such a column is refused
 * with a message that says how to rescale it.
 */

import { MAX_MAGNITUDE, MIN_MAGNITUDE } from '../../numerics/accumulate/value-range.js';

export {
  finiteMaxMagnitude,
  MAX_MAGNITUDE,
  MIN_MAGNITUDE,
  magnitudeInRange,
} from '../../numerics/accumulate/value-range.js';

/** The problem with a value of magnitude above MAX_MAGNITUDE. */
export function tooLarge(v: number): string {
  return `value ${v} is too large for exact sums of squares (|x| > 2^400 ≈ 2.6e120); rescale the column (e.g. x / 1e100 in a formula, or log(x))`;
}

/** The problem with a column whose largest magnitude is below MIN_MAGNITUDE. */
export function tooSmall(max: number): string {
  return `values no larger than ${max} are too small for exact sums of squares (|x| < 2^-400 ≈ 3.9e-121); rescale the column (e.g. x * 1e100 in a formula)`;
}

/**
 * Checks the used rows (mask 0, or every row without a mask) of one column;
 * returns the first offending row and its problem, or undefined.
 */
export function magnitudeProblem(
  column: Float64Array,
  rows: number,
  mask: Uint8Array | undefined,
): { row: number; problem: string } | undefined {
  let max = 0;
  let at = -1;
  for (let i = 0; i < rows; i++) {
    if (mask !== undefined && mask[i] === 1) continue;
    const v = column[i] as number;
    const a = Math.abs(v);
    if (a > max) {
      max = a;
      at = i;
    }
  }
  if (max > MAX_MAGNITUDE) return { row: at, problem: tooLarge(column[at] as number) };
  if (max > 0 && max < MIN_MAGNITUDE) return { row: at, problem: tooSmall(max) };
  return undefined;
}
