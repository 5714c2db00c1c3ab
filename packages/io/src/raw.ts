/**
 * Pass-through ("raw") columns: a column's stored values carried without
 * going through float64, so a kept key comes out of `predict` bit for bit
 * (docs/predict-output.md). Plain data (typed arrays, strings, bigints), so a
 * RawColumn can be posted from a worker to the main thread.
 *
 * Storage by type:
 * - bool, int8–32, uint8–32, float32, float64, date (days since the epoch):
 *   `numbers` (a Float64Array holds each of them exactly);
 * - int64, timestamp (in its unit): `bigints` (BigInt64Array); uint64: a
 *   BigUint64Array;
 * - decimal: `bigints` holding the unscaled value when precision ≤ 18, else
 *   `decimals`, the unscaled value as decimal digits (a string per row);
 * - utf8, binary: `bytes` and `offsets` (Arrow's layout; row i is
 *   bytes[offsets[i], offsets[i+1]));
 * - null: nothing (every row null).
 * `nulls` marks null rows (1 = null) or is null when there are none; a null
 * row's stored value means nothing.
 */
import { IoError } from '@linreg/errors';

export type RawTimeUnit = 's' | 'ms' | 'us' | 'ns';

export type RawType =
  | { readonly kind: 'bool' }
  | { readonly kind: 'int'; readonly bits: 8 | 16 | 32 | 64; readonly signed: boolean }
  | { readonly kind: 'float'; readonly bits: 32 | 64 }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'utf8' }
  | { readonly kind: 'binary' }
  | { readonly kind: 'date' }
  | { readonly kind: 'timestamp'; readonly unit: RawTimeUnit; readonly tz: string | null }
  | { readonly kind: 'null' };

export interface RawColumn {
  readonly type: RawType;
  readonly length: number;
  readonly nulls: Uint8Array | null;
  readonly numbers?: Float64Array | undefined;
  readonly bigints?: BigInt64Array | BigUint64Array | undefined;
  readonly decimals?: readonly string[] | undefined;
  readonly bytes?: Uint8Array | undefined;
  readonly offsets?: Int32Array | undefined;
}

/** How the column's values are stored (see the file comment). */
export function rawStorage(type: RawType): 'numbers' | 'bigints' | 'decimals' | 'bytes' | 'none' {
  switch (type.kind) {
    case 'int':
      return type.bits === 64 ? 'bigints' : 'numbers';
    case 'timestamp':
      return 'bigints';
    case 'decimal':
      return type.precision <= 18 ? 'bigints' : 'decimals';
    case 'utf8':
    case 'binary':
      return 'bytes';
    case 'null':
      return 'none';
    default:
      return 'numbers';
  }
}

/** A short name of the type, e.g. `int64`, `decimal(10,2)`, `timestamp[us, UTC]`. */
export function rawTypeName(type: RawType): string {
  switch (type.kind) {
    case 'int':
      return `${type.signed ? 'int' : 'uint'}${type.bits}`;
    case 'float':
      return type.bits === 32 ? 'float32' : 'float64';
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'timestamp':
      return `timestamp[${type.unit}${type.tz === null ? '' : `, ${type.tz}`}]`;
    default:
      return type.kind;
  }
}

export function sameRawType(a: RawType, b: RawType): boolean {
  return rawTypeName(a) === rawTypeName(b);
}

/** Rows [from, from + length) of a column (copies, so the slice owns its buffers). */
export function sliceRaw(column: RawColumn, from: number, length: number): RawColumn {
  const to = from + length;
  const nulls = column.nulls === null ? null : column.nulls.slice(from, to);
  const base = { type: column.type, length, nulls };
  if (column.numbers !== undefined) return { ...base, numbers: column.numbers.slice(from, to) };
  if (column.bigints !== undefined) return { ...base, bigints: column.bigints.slice(from, to) };
  if (column.decimals !== undefined) return { ...base, decimals: column.decimals.slice(from, to) };
  if (column.bytes !== undefined && column.offsets !== undefined) {
    const start = column.offsets[from] as number;
    const end = column.offsets[to] as number;
    const offsets = new Int32Array(length + 1);
    for (let i = 0; i <= length; i++) offsets[i] = (column.offsets[from + i] as number) - start;
    return { ...base, bytes: column.bytes.slice(start, end), offsets };
  }
  return base;
}

/** Concatenates columns of one type (a unit's batches → one column). */
export function concatRaw(type: RawType, parts: readonly RawColumn[]): RawColumn {
  const length = parts.reduce((s, p) => s + p.length, 0);
  let nulls: Uint8Array | null = null;
  if (parts.some((p) => p.nulls !== null)) {
    nulls = new Uint8Array(length);
    let at = 0;
    for (const p of parts) {
      if (p.nulls !== null) nulls.set(p.nulls.subarray(0, p.length), at);
      else if (p.type.kind === 'null') nulls.fill(1, at, at + p.length);
      at += p.length;
    }
  }
  const base = { type, length, nulls };
  switch (rawStorage(type)) {
    case 'numbers': {
      const numbers = new Float64Array(length);
      let at = 0;
      for (const p of parts) {
        if (p.numbers !== undefined) numbers.set(p.numbers.subarray(0, p.length), at);
        at += p.length;
      }
      return { ...base, numbers };
    }
    case 'bigints': {
      const unsigned = type.kind === 'int' && !type.signed;
      const bigints = unsigned ? new BigUint64Array(length) : new BigInt64Array(length);
      let at = 0;
      for (const p of parts) {
        if (p.bigints !== undefined) {
          (bigints as BigInt64Array).set(p.bigints.subarray(0, p.length) as BigInt64Array, at);
        }
        at += p.length;
      }
      return { ...base, bigints };
    }
    case 'decimals': {
      const decimals: string[] = [];
      for (const p of parts) {
        for (let i = 0; i < p.length; i++) decimals.push(p.decimals?.[i] ?? '0');
      }
      return { ...base, decimals };
    }
    case 'bytes': {
      const total = parts.reduce((s, p) => s + (p.bytes?.length ?? 0), 0);
      const bytes = new Uint8Array(total);
      const offsets = new Int32Array(length + 1);
      let row = 0;
      let at = 0;
      for (const p of parts) {
        for (let i = 0; i < p.length; i++) {
          offsets[row + i] = at + ((p.offsets?.[i] as number | undefined) ?? 0);
        }
        if (p.bytes !== undefined) bytes.set(p.bytes, at);
        row += p.length;
        at += p.bytes?.length ?? 0;
      }
      offsets[length] = at;
      return { ...base, bytes, offsets };
    }
    default:
      return { type, length, nulls: new Uint8Array(length).fill(1) };
  }
}

/** A utf8 column from strings (null entries are nulls). */
export function rawFromStrings(values: readonly (string | null)[]): RawColumn {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  const offsets = new Int32Array(values.length + 1);
  let nulls: Uint8Array | null = null;
  let at = 0;
  values.forEach((v, i) => {
    offsets[i] = at;
    if (v === null) {
      nulls ??= new Uint8Array(values.length);
      nulls[i] = 1;
      return;
    }
    const b = encoder.encode(v);
    chunks.push(b);
    at += b.length;
  });
  offsets[values.length] = at;
  const bytes = new Uint8Array(at);
  let pos = 0;
  for (const c of chunks) {
    bytes.set(c, pos);
    pos += c.length;
  }
  return { type: { kind: 'utf8' }, length: values.length, nulls, bytes, offsets };
}

/** The unscaled value of a decimal column's row as decimal digits (with a sign when negative). */
export function unscaledDigits(column: RawColumn, i: number): string {
  if (column.decimals !== undefined) return column.decimals[i] as string;
  return String(column.bigints?.[i] ?? 0n);
}

/** Decimal digits of an unscaled value with `scale` places: `-12345`, 2 → `-123.45`. */
export function decimalText(unscaled: string, scale: number): string {
  const negative = unscaled.startsWith('-');
  let digits = negative ? unscaled.slice(1) : unscaled;
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  } else if (scale < 0) {
    digits = digits === '0' ? '0' : digits + '0'.repeat(-scale);
  }
  return negative ? `-${digits}` : digits;
}

const UNIT_DIGITS: Readonly<Record<RawTimeUnit, number>> = { s: 0, ms: 3, us: 6, ns: 9 };

/** ISO-8601 date of days since 1970-01-01 (proleptic Gregorian; years outside 0–9999 signed). */
export function dateText(days: number): string {
  const { y, m, d } = civilFromDays(days);
  return `${yearText(y)}-${pad2(m)}-${pad2(d)}`;
}

/**
 * ISO-8601 timestamp with the unit's digits (`2024-01-02T03:04:05.123456`),
 * `Z` when the column has a time zone (the value is UTC), none otherwise.
 */
export function timestampText(value: bigint, unit: RawTimeUnit, utc: boolean): string {
  const digits = UNIT_DIGITS[unit];
  const per = 10n ** BigInt(digits);
  let seconds = value / per;
  let fraction = value % per;
  if (fraction < 0n) {
    fraction += per;
    seconds -= 1n;
  }
  let days = seconds / 86400n;
  let rest = seconds % 86400n;
  if (rest < 0n) {
    rest += 86400n;
    days -= 1n;
  }
  const r = Number(rest);
  const time = `${pad2(Math.floor(r / 3600))}:${pad2(Math.floor(r / 60) % 60)}:${pad2(r % 60)}`;
  const frac = digits === 0 ? '' : `.${String(fraction).padStart(digits, '0')}`;
  return `${dateText(Number(days))}T${time}${frac}${utc ? 'Z' : ''}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function yearText(y: number): string {
  if (y >= 0 && y <= 9999) return String(y).padStart(4, '0');
  return (y < 0 ? '-' : '+') + String(Math.abs(y)).padStart(6, '0');
}

/** Howard Hinnant's civil_from_days. */
function civilFromDays(z0: number): { y: number; m: number; d: number } {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/** The error for a column whose type cannot be passed through. */
export function rawUnsupported(
  file: string,
  column: string,
  type: string,
  where?: string,
): IoError {
  return new IoError(
    'unsupported',
    where === undefined ? { file, column } : { file, column, where },
    `type ${type} cannot be kept (supported: booleans, integers, floats, decimals, text, binary, dates, timestamps)`,
  );
}

/** Two's complement little-endian bytes → the signed integer as decimal digits. */
export function twosComplementDigits(bytes: Uint8Array, bigEndian: boolean): string {
  let v = 0n;
  const n = bytes.length;
  for (let k = 0; k < n; k++) {
    const b = bytes[bigEndian ? k : n - 1 - k] as number;
    v = (v << 8n) | BigInt(b);
  }
  if (n > 0 && ((bytes[bigEndian ? 0 : n - 1] as number) & 0x80) !== 0) v -= 1n << BigInt(8 * n);
  return String(v);
}

/**
 * A text or binary column from its values: `get(i)` gives row i's bytes
 * (null for a null), concatenated once into one buffer with offsets.
 */
export function packBytes(
  type: RawType,
  length: number,
  nulls: Uint8Array | null,
  get: (i: number) => Uint8Array | null,
): RawColumn {
  const pieces: Uint8Array[] = [];
  const offsets = new Int32Array(length + 1);
  let at = 0;
  for (let i = 0; i < length; i++) {
    offsets[i] = at;
    if (nulls !== null && nulls[i] === 1) continue;
    const b = get(i);
    if (b === null) continue;
    pieces.push(b);
    at += b.length;
  }
  offsets[length] = at;
  const bytes = new Uint8Array(at);
  let pos = 0;
  for (const p of pieces) {
    bytes.set(p, pos);
    pos += p.length;
  }
  return { type, length, nulls, bytes, offsets };
}
