/**
 * Parquet columns of one unit as pass-through values (raw.ts), read through
 * hyparquet with the columns' annotations stripped, so it returns the stored
 * physical values (INT64 as bigints, BYTE_ARRAY as bytes, DECIMAL unscaled,
 * DATE as days, INT96 as nanoseconds) that the original annotation then
 * types. Holds the unit's rows of the kept columns in memory (bounded by the
 * unit, as the predict task's output columns are).
 */
import { IoError } from '@linreg/errors';
import type { FileMetaData, SchemaElement } from 'hyparquet';
import { parquetScan } from 'hyparquet';
import { openBytes } from '../bytes/open-bytes.js';
import {
  packBytes,
  type RawColumn,
  type RawTimeUnit,
  type RawType,
  rawStorage,
  rawUnsupported,
  twosComplementDigits,
} from '../raw.js';
import type { WorkUnit } from '../types.js';
import { loadCompressors } from './compressors.js';
import { decodeProblem } from './decode-error.js';
import { asyncBuffer } from './fallback.js';
import { fileMeta } from './metadata-cache.js';
import { groupRowOffsets } from './units.js';

const TIME_UNITS: Readonly<Record<string, RawTimeUnit>> = {
  MILLIS: 'ms',
  MICROS: 'us',
  NANOS: 'ns',
};

/** The pass-through type of a flat Parquet column, or null when it cannot be kept. */
export function parquetRawType(e: SchemaElement): RawType | null {
  const lt = e.logical_type as
    | {
        type: string;
        bitWidth?: number;
        isSigned?: boolean;
        unit?: string;
        isAdjustedToUTC?: boolean;
      }
    | undefined;
  const ct = e.converted_type;
  if (ct === 'DECIMAL' || lt?.type === 'DECIMAL') {
    return { kind: 'decimal', precision: e.precision ?? 38, scale: e.scale ?? 0 };
  }
  switch (e.type) {
    case 'BOOLEAN':
      return { kind: 'bool' };
    case 'INT32': {
      if (ct === 'DATE' || lt?.type === 'DATE') return { kind: 'date' };
      if (lt?.type === 'INTEGER') {
        return {
          kind: 'int',
          bits: (lt.bitWidth ?? 32) as 8 | 16 | 32,
          signed: lt.isSigned !== false,
        };
      }
      const m = /^(U?)INT_(8|16|32)$/.exec(ct ?? '');
      if (m !== null)
        return { kind: 'int', bits: Number(m[2]) as 8 | 16 | 32, signed: m[1] === '' };
      if (ct !== undefined || (lt !== undefined && lt.type !== 'UNKNOWN')) return null;
      return { kind: 'int', bits: 32, signed: true };
    }
    case 'INT64': {
      if (lt?.type === 'TIMESTAMP') {
        const unit = TIME_UNITS[lt.unit ?? 'MILLIS'] ?? 'ms';
        return { kind: 'timestamp', unit, tz: lt.isAdjustedToUTC === true ? 'UTC' : null };
      }
      if (ct === 'TIMESTAMP_MILLIS') return { kind: 'timestamp', unit: 'ms', tz: 'UTC' };
      if (ct === 'TIMESTAMP_MICROS') return { kind: 'timestamp', unit: 'us', tz: 'UTC' };
      if (lt?.type === 'INTEGER') return { kind: 'int', bits: 64, signed: lt.isSigned !== false };
      if (ct === 'UINT_64') return { kind: 'int', bits: 64, signed: false };
      if (ct === 'INT_64' || ct === undefined) {
        return lt === undefined || lt.type === 'UNKNOWN'
          ? { kind: 'int', bits: 64, signed: true }
          : null;
      }
      return null;
    }
    case 'INT96':
      return { kind: 'timestamp', unit: 'ns', tz: null };
    case 'FLOAT':
      return { kind: 'float', bits: 32 };
    case 'DOUBLE':
      return { kind: 'float', bits: 64 };
    case 'BYTE_ARRAY':
      if (ct === 'UTF8' || ct === 'ENUM' || ct === 'JSON') return { kind: 'utf8' };
      if (lt?.type === 'STRING' || lt?.type === 'ENUM' || lt?.type === 'JSON') {
        return { kind: 'utf8' };
      }
      return ct === undefined && lt === undefined ? { kind: 'binary' } : null;
    case 'FIXED_LEN_BYTE_ARRAY':
      return ct === undefined && (lt === undefined || lt.type === 'UUID')
        ? { kind: 'binary' }
        : null;
    default:
      return null;
  }
}

/** Reads `names` of `unit` as whole-unit RawColumns, in order. */
export async function readParquetRaw(
  unit: WorkUnit,
  names: readonly string[],
): Promise<RawColumn[]> {
  const bytes = await openBytes(unit.file);
  try {
    const meta = await fileMeta(bytes);
    const metadata = meta.metadata;
    const types = names.map((name) => {
      const element = topLevel(metadata, name);
      if (element === undefined) {
        throw new IoError(
          'missing-column',
          { file: unit.file, column: name, where: unit.label },
          'no such column',
        );
      }
      const type = parquetRawType(element);
      if (type === null) throw rawUnsupported(unit.file, name, describe(element), unit.label);
      return { element, type };
    });
    const stripped: FileMetaData = {
      ...metadata,
      schema: metadata.schema.map((e, i) =>
        i > 0 && names.includes(e.name) && e.num_children === undefined
          ? { ...e, converted_type: undefined, logical_type: undefined }
          : e,
      ),
    };
    const groupStart = groupRowOffsets(metadata).starts[unit.part] ?? 0;
    const rowStart = groupStart + unit.rowStart;
    const rowEnd = groupStart + unit.rowEnd;
    const n = unit.rowEnd - unit.rowStart;
    const out: RawColumn[] = [];
    for (const [k, name] of names.entries()) {
      const { element, type } = types[k] as { element: SchemaElement; type: RawType };
      let data: ArrayLike<unknown>;
      try {
        const scan = await parquetScan({
          file: asyncBuffer(bytes, unit.label, name),
          metadata: stripped,
          columns: [name],
          compressors: (await loadCompressors()).compressors,
          utf8: false,
          parsers: {
            dateFromDays: (d: number) => d,
            timestampFromMilliseconds: (v: bigint) => v,
            timestampFromMicroseconds: (v: bigint) => v,
            timestampFromNanoseconds: (v: bigint) => v,
            stringFromBytes: ((b: Uint8Array) => b) as unknown as (b: Uint8Array) => string,
          } as never,
        });
        data = await scan.readColumn({ column: name, rowStart, rowEnd });
      } catch (e: unknown) {
        if (e instanceof IoError) throw e;
        throw new IoError(
          'corrupt',
          { file: unit.file, column: name, where: unit.label },
          decodeProblem(e, 'column chunk'),
        );
      }
      if (data.length !== n) {
        throw new IoError(
          'corrupt',
          { file: unit.file, column: name, where: unit.label },
          `decoded ${data.length} rows, expected ${n}`,
        );
      }
      out.push(toRaw(data, type, element));
    }
    return out;
  } finally {
    await bytes.close().catch(() => undefined);
  }
}

function topLevel(metadata: FileMetaData, name: string): SchemaElement | undefined {
  // Flat files only: the root's direct children that are leaves.
  let i = 1;
  const root = metadata.schema[0];
  for (let c = 0; c < (root?.num_children ?? 0); c++) {
    const e = metadata.schema[i];
    if (e === undefined) return undefined;
    if (e.name === name) return e.num_children === undefined ? e : undefined;
    i += 1 + countDescendants(metadata.schema, i);
  }
  return undefined;
}

function countDescendants(schema: readonly SchemaElement[], at: number): number {
  const e = schema[at];
  let total = 0;
  let i = at + 1;
  for (let c = 0; c < (e?.num_children ?? 0); c++) {
    const d = 1 + countDescendants(schema, i);
    total += d;
    i += d;
  }
  return total;
}

function describe(e: SchemaElement): string {
  const ann = e.logical_type?.type ?? e.converted_type;
  return ann === undefined ? String(e.type) : `${e.type} (${ann})`;
}

function toRaw(data: ArrayLike<unknown>, type: RawType, element: SchemaElement): RawColumn {
  const n = data.length;
  let nulls: Uint8Array | null = null;
  const isNull = (i: number): boolean => {
    const v = data[i];
    if (v !== null && v !== undefined) return false;
    nulls ??= new Uint8Array(n);
    nulls[i] = 1;
    return true;
  };
  const storage = rawStorage(type);
  if (type.kind === 'decimal') {
    const digits: string[] = new Array(n);
    for (let i = 0; i < n; i++) {
      if (isNull(i)) digits[i] = '0';
      else {
        const v = data[i];
        digits[i] = v instanceof Uint8Array ? twosComplementDigits(v, true) : String(v);
      }
    }
    if (storage === 'bigints')
      return { type, length: n, nulls, bigints: BigInt64Array.from(digits, (d) => BigInt(d)) };
    return { type, length: n, nulls, decimals: digits };
  }
  if (storage === 'numbers') {
    const numbers = new Float64Array(n);
    const unsigned32 = type.kind === 'int' && !type.signed && type.bits === 32;
    for (let i = 0; i < n; i++) {
      if (isNull(i)) continue;
      const v = data[i];
      let x = typeof v === 'boolean' ? (v ? 1 : 0) : Number(v);
      if (unsigned32 && x < 0) x += 2 ** 32;
      numbers[i] = x;
    }
    return { type, length: n, nulls, numbers };
  }
  if (storage === 'bigints') {
    const unsigned = type.kind === 'int' && !type.signed;
    const bigints = unsigned ? new BigUint64Array(n) : new BigInt64Array(n);
    for (let i = 0; i < n; i++) {
      if (isNull(i)) continue;
      const v = BigInt(data[i] as bigint);
      bigints[i] = unsigned ? BigInt.asUintN(64, v) : BigInt.asIntN(64, v);
    }
    void element;
    return { type, length: n, nulls, bigints };
  }
  const encoder = new TextEncoder();
  // isNull builds the null mask as it goes: attach it once every row was seen.
  const packed = packBytes(type, n, null, (i) => {
    if (isNull(i)) return null;
    const v = data[i];
    return v instanceof Uint8Array ? v : encoder.encode(String(v));
  });
  return { ...packed, nulls };
}
