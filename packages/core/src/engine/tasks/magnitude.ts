/**
 * Values too large or too small for the accumulators' sums of squares.
 * Beyond 2^400 (≈ 2.6e120) a column's sum of squares over up to 1e60 rows
 * still fits a double, but products of two such columns may not; below
 * 2^-400 a column's squares fall into gradual underflow and lose digits.
 * Rather than return a wrong fit (an NA intercept, a false aliasing relation),
 * such a column is refused with a message that says how to rescale it.
 */

export const MAX_MAGNITUDE = 2 ** 400;
export const MIN_MAGNITUDE = 2 ** -400;

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

/**
 * The largest |x| over the first `rows` entries, or NaN when any entry is
 * NaN or ±Infinity — one branch-light pass, so the common all-finite column
 * costs one read per value. Σ x·0 is 0 exactly when every x is finite.
 */
export function finiteMaxMagnitude(column: Float64Array, rows: number): number {
  let max = 0;
  let zero = 0;
  for (let i = 0; i < rows; i++) {
    const v = column[i] as number;
    zero += v * 0;
    // Math.abs, not a sign test: random signs would mispredict a branch per value.
    const a = Math.abs(v);
    if (a > max) max = a;
  }
  return zero === 0 ? max : Number.NaN;
}
