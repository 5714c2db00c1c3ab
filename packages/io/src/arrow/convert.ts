import { type Data, DataType, DateUnit, Precision, TimeUnit, Type } from 'apache-arrow';
import { type TemporalUnit, toSeconds } from '../temporal.js';

/**
 * Arrow column → float64, one slice at a time.
 *
 * - Float64: a zero-copy subarray of the record batch's buffer (the batch
 *   stays alive while the view is used; do not transfer its buffer).
 * - Int8–32, Uint8–32, Float32: one native `Float64Array.set` conversion.
 * - Int64/Uint64: from the two 32-bit halves, hi·2^32 + lo, a single rounding
 *   of the exact value, so identical to `Number(bigint)`, without BigInts.
 * - Float16: decoded bit by bit (IEEE binary16, subnormals, ±Inf, NaN).
 * - Decimal (32–256 bits): the two's complement integer, then ÷10^scale. Exact
 *   to the last bit when the unscaled integer is below 2^53 in magnitude and
 *   scale ≤ 22 (one correctly rounded division), else within a few ulps.
 * - Bool: 0/1.
 * - Date, Time, Timestamp (read only when a fit opts in; see schema.ts): the
 *   stored integer as above, then seconds since the epoch or midnight
 *   (temporal.ts: ×86400 for days, one division by 10^3/10^6/10^9).
 * The validity bitmap becomes the null mask (1 = null); a null slot's value is
 * left as the buffer has it, so null and NaN stay distinguished.
 */

/** True when `type` is numeric, read as float64 always (timestamps, dates and dictionaries are not). */
export function isNumericArrowType(type: DataType): boolean {
  return (
    DataType.isInt(type) ||
    DataType.isFloat(type) ||
    DataType.isDecimal(type) ||
    DataType.isBool(type)
  );
}

const ARROW_TIME_UNIT: Readonly<Record<TimeUnit, TemporalUnit>> = {
  [TimeUnit.SECOND]: 'seconds',
  [TimeUnit.MILLISECOND]: 'millis',
  [TimeUnit.MICROSECOND]: 'micros',
  [TimeUnit.NANOSECOND]: 'nanos',
};

/** The stored unit of a Date, Time or Timestamp type; null for every other type. */
export function arrowTemporalUnit(type: DataType): TemporalUnit | null {
  if (DataType.isTimestamp(type) || DataType.isTime(type)) return ARROW_TIME_UNIT[type.unit];
  if (DataType.isDate(type)) return type.unit === DateUnit.DAY ? 'days' : 'millis';
  return null;
}

/**
 * True when `type` can be read as categories (categories.ts): Utf8,
 * LargeUtf8, Utf8View, a Dictionary of one of those, or Bool (levels
 * FALSE/TRUE).
 */
export function isCategoricalArrowType(type: DataType): boolean {
  if (DataType.isDictionary(type)) return isTextArrowType(type.dictionary);
  return isTextArrowType(type) || DataType.isBool(type);
}

/** Utf8, LargeUtf8 or Utf8View. */
export function isTextArrowType(type: DataType): boolean {
  return DataType.isUtf8(type) || DataType.isLargeUtf8(type) || DataType.isUtf8View(type);
}

/** True when sliceToFloat64 can convert `type`: numeric or temporal. */
export function isReadableArrowType(type: DataType): boolean {
  return isNumericArrowType(type) || arrowTemporalUnit(type) !== null;
}

export interface Float64Slice {
  readonly values: Float64Array;
  readonly nulls: Uint8Array | null;
}

const TWO32 = 4294967296;

/** Converts rows [from, from + length) of `data` (a readable column, see isReadableArrowType). */
export function sliceToFloat64(data: Data<DataType>, from: number, length: number): Float64Slice {
  return { values: valuesToFloat64(data, from, length), nulls: nullMask(data, from, length) };
}

function valuesToFloat64(data: Data<DataType>, from: number, length: number): Float64Array {
  const type = data.type;
  const values = data.values as unknown;
  if (DataType.isFloat(type)) {
    if (type.precision === Precision.DOUBLE) {
      return (values as Float64Array).subarray(from, from + length);
    }
    if (type.precision === Precision.SINGLE) {
      const out = new Float64Array(length);
      out.set((values as Float32Array).subarray(from, from + length));
      return out;
    }
    return float16ToFloat64(values as Uint16Array, from, length);
  }
  if (DataType.isInt(type)) {
    if (type.bitWidth === 64)
      return int64ToFloat64(values as BigInt64Array, from, length, type.isSigned);
    const out = new Float64Array(length);
    out.set((values as Int32Array).subarray(from, from + length));
    return out;
  }
  if (DataType.isDecimal(type)) {
    return decimalToFloat64(values as Uint32Array, from, length, type.bitWidth / 32, type.scale);
  }
  const unit = arrowTemporalUnit(type);
  if (unit !== null) {
    // Date32 and Time32 store int32, the others int64 (BigInt64Array).
    let out: Float64Array;
    if (values instanceof BigInt64Array) out = int64ToFloat64(values, from, length, true);
    else {
      out = new Float64Array(length);
      out.set((values as Int32Array).subarray(from, from + length));
    }
    toSeconds(out, 0, length, unit);
    return out;
  }
  if (DataType.isBool(type)) {
    const bits = values as Uint8Array;
    const out = new Float64Array(length);
    const offset = data.offset + from;
    for (let i = 0; i < length; i += 1) {
      const bit = offset + i;
      out[i] = ((bits[bit >> 3] as number) >> (bit & 7)) & 1;
    }
    return out;
  }
  throw new TypeError(`not a numeric Arrow type: ${String(type)} (${Type[type.typeId]})`);
}

function int64ToFloat64(
  values: BigInt64Array,
  from: number,
  length: number,
  signed: boolean,
): Float64Array {
  const words = new Uint32Array(values.buffer, values.byteOffset + 8 * from, 2 * length);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i += 1) {
    const lo = words[2 * i] as number;
    const hiBits = words[2 * i + 1] as number;
    const hi = signed ? hiBits | 0 : hiBits;
    out[i] = hi * TWO32 + lo;
  }
  return out;
}

function decimalToFloat64(
  values: Uint32Array,
  from: number,
  length: number,
  stride: number,
  scale: number,
): Float64Array {
  const out = new Float64Array(length);
  const divisor = 10 ** Math.abs(scale);
  for (let i = 0; i < length; i += 1) {
    const base = (from + i) * stride;
    const top = values[base + stride - 1] as number;
    const negative = top >= 0x80000000;
    // Magnitude of the two's complement integer (negated word by word when negative).
    let magnitude = 0;
    let weight = 1;
    let carry = 1;
    for (let k = 0; k < stride; k += 1) {
      let w = values[base + k] as number;
      if (negative) {
        w = (~w >>> 0) + carry;
        carry = w > 0xffffffff ? 1 : 0;
        w = w % TWO32;
      }
      magnitude += w * weight;
      weight *= TWO32;
    }
    const scaled = scale >= 0 ? magnitude / divisor : magnitude * divisor;
    out[i] = negative ? -scaled : scaled;
  }
  return out;
}

const HALF_SUBNORMAL = 2 ** -24;

function float16ToFloat64(values: Uint16Array, from: number, length: number): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i += 1) {
    const h = values[from + i] as number;
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    let v: number;
    if (exponent === 0) v = fraction * HALF_SUBNORMAL;
    else if (exponent === 0x1f) v = fraction === 0 ? Number.POSITIVE_INFINITY : Number.NaN;
    else v = (1 + fraction / 1024) * 2 ** (exponent - 15);
    out[i] = sign * v;
  }
  return out;
}

/** Rows [from, from + length) of the validity bitmap as a mask (1 = null), or null when none is null. */
export function nullMask(data: Data<DataType>, from: number, length: number): Uint8Array | null {
  const bitmap = data.nullBitmap;
  if (data.nullCount === 0 || bitmap === undefined || bitmap.length === 0) return null;
  const mask = new Uint8Array(length);
  const offset = data.offset + from;
  let any = false;
  for (let i = 0; i < length; i += 1) {
    const bit = offset + i;
    if ((((bitmap[bit >> 3] as number) >> (bit & 7)) & 1) === 0) {
      mask[i] = 1;
      any = true;
    }
  }
  return any ? mask : null;
}
