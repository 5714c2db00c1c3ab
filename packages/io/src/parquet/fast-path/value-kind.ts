/**
 * How the stored values of one flat column become float64: its physical type
 * plus the logical annotations that change the number (unsigned integers,
 * decimal scale, half floats). Dates and timestamps decode as their raw
 * integer (days / time units since the epoch); read() then converts them to
 * seconds (seconds-cursor.ts), and the planner decides whether such a column
 * may be used.
 */
export type PhysicalType =
  | 'BOOLEAN'
  | 'INT32'
  | 'INT64'
  | 'FLOAT'
  | 'DOUBLE'
  | 'FIXED_LEN_BYTE_ARRAY'
  | 'BYTE_ARRAY';

export interface ValueKind {
  readonly physical: PhysicalType;
  /**
   * Bytes per PLAIN value: 4 or 8, type_length for FIXED_LEN_BYTE_ARRAY, 0 for
   * BOOLEAN (bits) and BYTE_ARRAY (length-prefixed; read only as categories).
   */
  readonly width: number;
  readonly unsigned: boolean;
  /**
   * Decimal scale s: the float64 is unscaled / 10^s. Division by the exact
   * power of ten (exact for s <= 22) rounds once, so every decimal whose
   * unscaled value is below 2^53 (precision <= 15) reads as the float64
   * nearest to its true value, matching a cast in DuckDB or pyarrow.
   */
  readonly scale: number;
  /** FIXED_LEN_BYTE_ARRAY(2) with logical type FLOAT16. */
  readonly float16: boolean;
  /** FIXED_LEN_BYTE_ARRAY big-endian two's complement decimal. */
  readonly decimalBytes: boolean;
}

/** BYTE_ARRAY text read as categories by the fast path (ChunkCursor with a level table). */
export const BYTE_ARRAY_KIND: ValueKind = Object.freeze({
  physical: 'BYTE_ARRAY',
  width: 0,
  unsigned: false,
  scale: 0,
  float16: false,
  decimalBytes: false,
});

const TWO_32 = 4294967296;

/** Signed or unsigned 64-bit integer from two 32-bit halves, rounded once to float64. */
export function int64ToNumber(lo: number, hi: number, unsigned: boolean): number {
  return (unsigned ? hi >>> 0 : hi | 0) * TWO_32 + (lo >>> 0);
}

/**
 * IEEE 754 binary16 to float64 (exact: every half is a double). Subnormals
 * are m * 2^-24; exponent 31 is infinity or NaN.
 */
export function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1024 + mant) * 2 ** (exp - 25);
}

/**
 * Big-endian two's complement integer of `width` bytes at bytes[pos ..].
 * Up to 6 bytes the value is exact; wider ones are combined as
 * hi * 2^48 + lo with lo the low 48 bits (exact) and hi the rest, so the
 * result carries at most two roundings (within 1 ulp) when |value| >= 2^53.
 */
export function bigEndianSigned(bytes: Uint8Array, pos: number, width: number): number {
  if (width === 0) return 0;
  const split = width > 6 ? width - 6 : 0;
  let hi = (bytes[pos] as number) >= 128 ? -1 : 0;
  for (let j = 0; j < split; j++) hi = hi * 256 + (bytes[pos + j] as number);
  let lo = 0;
  const from = split;
  for (let j = from; j < width; j++) lo = lo * 256 + (bytes[pos + j] as number);
  if (split === 0) {
    // Sign-extend a value of at most 48 bits held exactly in lo.
    const bits = 2 ** (8 * width);
    return lo >= bits / 2 ? lo - bits : lo;
  }
  // hi started at -1 for negatives, which sign-extends the leading bytes.
  return hi * 2 ** 48 + lo;
}
