/**
 * Arrow columns as pass-through values (raw.ts): the stored integers, bytes
 * and decimals, never through float64. Dictionary columns are decoded to
 * their values (utf8 / binary); Utf8View, LargeUtf8 and LargeBinary come out
 * as utf8 / binary.
 */
import { type Data, DataType, DateUnit, TimeUnit, type Vector } from 'apache-arrow';
import {
  concatRaw,
  packBytes,
  type RawColumn,
  type RawTimeUnit,
  type RawType,
  rawUnsupported,
  twosComplementDigits,
} from '../raw.js';
import { nullMask } from './convert.js';

/** One encoder for every text value (not one per row). */
const UTF8 = new TextEncoder();

const UNITS: Readonly<Record<TimeUnit, RawTimeUnit>> = {
  [TimeUnit.SECOND]: 's',
  [TimeUnit.MILLISECOND]: 'ms',
  [TimeUnit.MICROSECOND]: 'us',
  [TimeUnit.NANOSECOND]: 'ns',
};

/** The pass-through type of an Arrow type, or null when it cannot be kept. */
export function arrowRawType(type: DataType): RawType | null {
  if (DataType.isDictionary(type)) return arrowRawType(type.dictionary);
  if (DataType.isBool(type)) return { kind: 'bool' };
  if (DataType.isInt(type)) {
    return { kind: 'int', bits: type.bitWidth as 8 | 16 | 32 | 64, signed: type.isSigned };
  }
  if (DataType.isFloat(type)) {
    const bits = type.precision === 1 ? 32 : type.precision === 2 ? 64 : null;
    return bits === null ? null : { kind: 'float', bits };
  }
  if (DataType.isDecimal(type)) {
    return { kind: 'decimal', precision: type.precision, scale: type.scale };
  }
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type) || DataType.isUtf8View(type)) {
    return { kind: 'utf8' };
  }
  if (
    DataType.isBinary(type) ||
    DataType.isLargeBinary(type) ||
    DataType.isFixedSizeBinary(type) ||
    DataType.isBinaryView(type)
  ) {
    return { kind: 'binary' };
  }
  if (DataType.isDate(type)) {
    return type.unit === DateUnit.DAY
      ? { kind: 'date' }
      : { kind: 'timestamp', unit: 'ms', tz: null };
  }
  if (DataType.isTimestamp(type)) {
    return { kind: 'timestamp', unit: UNITS[type.unit], tz: type.timezone ?? null };
  }
  if (DataType.isNull(type)) return { kind: 'null' };
  return null;
}

/** Rows [from, from + length) of a column's chunks as one RawColumn. */
export function sliceArrowRaw(
  chunks: readonly Data<DataType>[],
  from: number,
  length: number,
  file: string,
  column: string,
  where: string,
): RawColumn {
  const first = chunks[0];
  const type = first === undefined ? null : arrowRawType(first.type);
  if (first === undefined || type === null) {
    throw rawUnsupported(file, column, String(first?.type ?? 'unknown'), where);
  }
  const parts: RawColumn[] = [];
  let start = 0;
  for (const chunk of chunks) {
    const lo = Math.max(from, start);
    const hi = Math.min(from + length, start + chunk.length);
    if (hi > lo) parts.push(chunkRaw(chunk, type, lo - start, hi - lo));
    start += chunk.length;
  }
  return parts.length === 1 ? (parts[0] as RawColumn) : concatRaw(type, parts);
}

function chunkRaw(data: Data<DataType>, type: RawType, from: number, length: number): RawColumn {
  const nulls =
    type.kind === 'null' ? new Uint8Array(length).fill(1) : nullMask(data, from, length);
  const base = { type, length, nulls };
  const t = data.type;
  const values = data.values as unknown;
  if (DataType.isDictionary(t)) return dictionaryRaw(data, type, from, length, nulls);
  switch (type.kind) {
    case 'null':
      return base;
    case 'bool': {
      const bits = values as Uint8Array;
      const numbers = new Float64Array(length);
      for (let i = 0; i < length; i++) {
        const bit = data.offset + from + i;
        numbers[i] = ((bits[bit >> 3] as number) >> (bit & 7)) & 1;
      }
      return { ...base, numbers };
    }
    case 'int':
      if (type.bits === 64) {
        const v = values as BigInt64Array | BigUint64Array;
        const copy = type.signed
          ? new BigInt64Array(v.buffer, v.byteOffset + 8 * from, length).slice()
          : new BigUint64Array(v.buffer, v.byteOffset + 8 * from, length).slice();
        return { ...base, bigints: copy };
      }
      return {
        ...base,
        numbers: Float64Array.from((values as Int32Array).subarray(from, from + length)),
      };
    case 'float':
      return {
        ...base,
        numbers: Float64Array.from((values as Float32Array).subarray(from, from + length)),
      };
    case 'date':
      return {
        ...base,
        numbers: Float64Array.from((values as Int32Array).subarray(from, from + length)),
      };
    case 'timestamp': {
      if (values instanceof Int32Array) {
        // Older apache-arrow builds keep 64-bit values as pairs of 32-bit words.
        const v = new BigInt64Array(values.buffer, values.byteOffset + 8 * from, length);
        return { ...base, bigints: v.slice() };
      }
      const v = values as BigInt64Array;
      return { ...base, bigints: v.slice(from, from + length) };
    }
    case 'decimal': {
      const words = values as Uint32Array;
      const stride = (t as unknown as { bitWidth: number }).bitWidth / 32;
      const bytes = new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
      const digits: string[] = new Array(length);
      for (let i = 0; i < length; i++) {
        const at = (from + i) * stride * 4;
        digits[i] = twosComplementDigits(bytes.subarray(at, at + stride * 4), false);
      }
      if (type.precision <= 18) {
        return { ...base, bigints: BigInt64Array.from(digits, (d) => BigInt(d)) };
      }
      return { ...base, decimals: digits };
    }
    default: {
      const get = (i: number): Uint8Array | null => bytesAt(data, from + i);
      return packBytes(type, length, nulls, get);
    }
  }
}

/** The bytes of row i of a utf8/binary Data (any layout), or null for a null row. */
function bytesAt(data: Data<DataType>, i: number): Uint8Array | null {
  const t = data.type;
  const values = data.values as Uint8Array;
  if (DataType.isFixedSizeBinary(t)) {
    const w = t.byteWidth;
    return values.subarray(i * w, (i + 1) * w);
  }
  if (DataType.isUtf8View(t) || DataType.isBinaryView(t)) {
    // Views: fall back to apache-arrow's getter (decodes text; encode it again).
    const v = (data as unknown as { get?: (i: number) => unknown }).get;
    const value = v === undefined ? null : v.call(data, i);
    if (value === null || value === undefined) return null;
    return typeof value === 'string' ? UTF8.encode(value) : (value as Uint8Array);
  }
  const offsets = data.valueOffsets as unknown as ArrayLike<number | bigint>;
  const a = Number(offsets[i]);
  const b = Number(offsets[i + 1]);
  return values.subarray(a, b);
}

function dictionaryRaw(
  data: Data<DataType>,
  type: RawType,
  from: number,
  length: number,
  nulls: Uint8Array | null,
): RawColumn {
  const indices = data.values as unknown as ArrayLike<number | bigint>;
  const dictionary = (data as unknown as { dictionary?: Vector }).dictionary;
  if (dictionary === undefined) return { type, length, nulls: new Uint8Array(length).fill(1) };
  const dictData = dictionary.data;
  const lookup = (k: number): Uint8Array | null => {
    let at = k;
    for (const chunk of dictData) {
      if (at < chunk.length) return bytesAt(chunk, at);
      at -= chunk.length;
    }
    return null;
  };
  if (type.kind === 'utf8' || type.kind === 'binary') {
    return packBytes(type, length, nulls, (i) => lookup(Number(indices[from + i])));
  }
  // Dictionaries of other types: decode each row through apache-arrow's value.
  const pieces: RawColumn[] = [];
  for (let i = 0; i < length; i++) {
    let at = Number(indices[from + i]);
    for (const chunk of dictData) {
      if (at < chunk.length) {
        pieces.push(chunkRaw(chunk, type, at, 1));
        break;
      }
      at -= chunk.length;
    }
  }
  const joined = concatRaw(type, pieces);
  return { ...joined, nulls };
}
