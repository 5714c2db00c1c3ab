/**
 * The values the accumulators take: finite, with magnitudes in
 * [MIN_MAGNITUDE, MAX_MAGNITUDE] (or zero). Beyond 2^400 (≈ 2.6e120) a
 * column's sum of squares over up to 1e60 rows still fits a double, but
 * products of two such columns may not; below 2^-400 a column's squares fall
 * into gradual underflow and lose digits. The engine refuses such a column
 * with a message naming its row (engine/tasks/magnitude.ts); the numerics
 * only need to tell whether a batch is in range, which the accumulators can
 * do in a pass they make anyway (accumulator.ts tryUpdateAccumulator).
 */

export const MAX_MAGNITUDE = 2 ** 400;
export const MIN_MAGNITUDE = 2 ** -400;

/**
 * Whether a column whose largest |x| is `max` (NaN or ±Infinity when it holds
 * a non-finite value) needs no further look: every value finite and in range.
 */
export function magnitudeInRange(max: number): boolean {
  // NaN fails every comparison, +Infinity the first.
  return max <= MAX_MAGNITUDE && (max === 0 || max >= MIN_MAGNITUDE);
}

/**
 * The largest |x| over the first `rows` entries, or NaN when any entry is
 * NaN or ±Infinity — one branch-light pass, so the common all-finite column
 * costs one read per value. Σ x·0 is 0 exactly when every x is finite.
 * Four interleaved sums and maxima (entries i, i+1, i+2, i+3), since one sum
 * is a chain of dependent additions that would run at the adder's latency;
 * max and the finite test do not depend on the order.
 */
export function finiteMaxMagnitude(column: Float64Array, rows: number): number {
  let max0 = 0;
  let max1 = 0;
  let max2 = 0;
  let max3 = 0;
  let zero0 = 0;
  let zero1 = 0;
  let zero2 = 0;
  let zero3 = 0;
  const end4 = rows - (rows % 4);
  for (let i = 0; i < end4; i += 4) {
    const v0 = column[i] as number;
    const v1 = column[i + 1] as number;
    const v2 = column[i + 2] as number;
    const v3 = column[i + 3] as number;
    zero0 += v0 * 0;
    zero1 += v1 * 0;
    zero2 += v2 * 0;
    zero3 += v3 * 0;
    // Math.abs, not a sign test: random signs would mispredict a branch per value.
    const a0 = Math.abs(v0);
    const a1 = Math.abs(v1);
    const a2 = Math.abs(v2);
    const a3 = Math.abs(v3);
    if (a0 > max0) max0 = a0;
    if (a1 > max1) max1 = a1;
    if (a2 > max2) max2 = a2;
    if (a3 > max3) max3 = a3;
  }
  for (let i = end4; i < rows; i++) {
    const v = column[i] as number;
    zero0 += v * 0;
    const a = Math.abs(v);
    if (a > max0) max0 = a;
  }
  const max = Math.max(max0, max1, max2, max3);
  return zero0 + zero1 + zero2 + zero3 === 0 ? max : Number.NaN;
}

/** Whether the first `rows` values of every column are finite and in range (a separate pass). */
export function columnsInRange(cols: readonly Float64Array[], rows: number): boolean {
  for (const col of cols) if (!magnitudeInRange(finiteMaxMagnitude(col, rows))) return false;
  return true;
}
