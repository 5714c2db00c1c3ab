/**
 * Dates, times and timestamps as numbers, when a fit asks for them
 * (`ColumnRequest.temporal`, the CLI's `--timestamps`).
 *
 * Unit: float64 seconds. Timestamps and dates are seconds since the Unix
 * epoch 1970-01-01T00:00:00 (a date is its midnight; a timestamp without a
 * time zone is read as if its wall clock were UTC, since only the stored
 * number is known); times of day are seconds since midnight. One unit for
 * every source, so a coefficient means "per second" whether the column was
 * stored as days, milliseconds or nanoseconds, and shards that store the same
 * column in different units agree.
 *
 * Conversion: the stored integer v becomes float64 (exact while |v| < 2^53),
 * then days are multiplied by 86400 (exact for every 32-bit day count) and
 * milli/micro/nanoseconds divided by 10^3, 10^6, 10^9 (one correctly rounded
 * division). So the result is the float64 nearest the true number of seconds
 * for every date, every second and millisecond timestamp and time, and
 * microsecond timestamps of years 1685–2255; otherwise (mostly nanosecond
 * timestamps more than 104 days from the epoch) two roundings leave a
 * relative error below 2^-52. Near 2026 one ulp of seconds is 2^-22 s ≈
 * 0.24 µs, so sub-microsecond detail is lost either way. Parquet INT96
 * timestamps are not read (no logical type; deprecated).
 */

/** How a date, time or timestamp column stores its integer. */
export type TemporalUnit = 'days' | 'seconds' | 'millis' | 'micros' | 'nanos';

const DIVISOR: Readonly<Record<Exclude<TemporalUnit, 'days'>, number>> = {
  seconds: 1,
  millis: 1e3,
  micros: 1e6,
  nanos: 1e9,
};

const SECONDS_PER_DAY = 86_400;

/** Converts values[from, to) from stored `unit` integers to seconds, in place (NaN stays NaN). */
export function toSeconds(
  values: Float64Array,
  from: number,
  to: number,
  unit: TemporalUnit,
): void {
  if (unit === 'days') {
    for (let i = from; i < to; i++) values[i] = (values[i] as number) * SECONDS_PER_DAY;
    return;
  }
  const divisor = DIVISOR[unit];
  if (divisor === 1) return;
  for (let i = from; i < to; i++) values[i] = (values[i] as number) / divisor;
}

/** Parquet's TIME(…) and Arrow's Time32<…>/Time64<…> — but not TIMESTAMP(…) or Timestamp<…>. */
const TIME_OF_DAY = /^time(32|64)?[(<]/i;

/**
 * The hint appended to the error for a temporal column a fit did not opt
 * into: the CLI flag and the unit it would be read in.
 */
export function temporalHint(sourceType: string): string {
  const origin = TIME_OF_DAY.test(sourceType) ? 'midnight' : 'the epoch';
  return `pass --timestamps to read it as seconds since ${origin}`;
}
