/**
 * Pass-through columns (raw.ts) in each output format: CSV text, and the
 * Parquet schema element and values (hyparquet-writer). Arrow lives in
 * arrow.ts (it needs apache-arrow). See docs/predict-output.md.
 */
import { IoError } from '@linreg/errors';
import type { SchemaElement } from 'hyparquet-writer';
import {
  dateText,
  decimalText,
  type RawColumn,
  type RawType,
  rawTypeName,
  sameRawType,
  timestampText,
  unscaledDigits,
} from '../raw.js';
import type { ColumnBatch } from '../types.js';

/** An output column's type: float64 (predictions) or a kept column's own type. */
export type OutputType = 'float64' | RawType;

/**
 * The output types of a batch's columns; checked against the types fixed by
 * the first batch (a kept column must have one type in every input file).
 */
export function batchTypes(
  path: string,
  batch: ColumnBatch,
  fixed: OutputType[] | undefined,
): OutputType[] {
  const types = batch.names.map((_, j): OutputType => batch.raw?.[j]?.type ?? 'float64');
  if (fixed === undefined) return types;
  types.forEach((t, j) => {
    const f = fixed[j] as OutputType;
    const same = t === 'float64' || f === 'float64' ? t === f : sameRawType(t, f);
    if (!same && !(t !== 'float64' && t.kind === 'null')) {
      throw new IoError(
        'schema-mismatch',
        { file: path, column: batch.names[j] },
        `kept column is ${typeName(t)} in one input and ${typeName(f)} in another`,
      );
    }
  });
  return fixed;
}

function typeName(t: OutputType): string {
  return t === 'float64' ? 'float64' : rawTypeName(t);
}

const decoder = new TextDecoder();
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * CSV text of row i of a kept column, before quoting; null for a null row.
 * Integers in exact decimal digits, decimals with their scale, dates
 * ISO-8601, timestamps ISO-8601 with the unit's digits (`Z` when the column
 * has a time zone), booleans true/false, binary as lowercase hex, text as is.
 */
export function rawCsvText(c: RawColumn, i: number): string | null {
  if (c.nulls !== null && c.nulls[i] === 1) return null;
  const t = c.type;
  switch (t.kind) {
    case 'null':
      return null;
    case 'bool':
      return c.numbers?.[i] === 1 ? 'true' : 'false';
    case 'int':
      return t.bits === 64 ? String(c.bigints?.[i] ?? 0n) : String(c.numbers?.[i] ?? 0);
    case 'float': {
      const v = c.numbers?.[i] ?? 0;
      return v === 0 && 1 / v < 0 ? '-0' : String(v);
    }
    case 'decimal':
      return decimalText(unscaledDigits(c, i), t.scale);
    case 'date':
      return dateText(c.numbers?.[i] ?? 0);
    case 'timestamp':
      return timestampText(BigInt(c.bigints?.[i] ?? 0n), t.unit, t.tz !== null);
    case 'utf8':
      return decoder.decode(rowBytes(c, i));
    case 'binary': {
      const b = rowBytes(c, i);
      let s = '';
      for (let k = 0; k < b.length; k++) s += HEX[b[k] as number];
      return s;
    }
  }
}

export function rowBytes(c: RawColumn, i: number): Uint8Array {
  const bytes = c.bytes as Uint8Array;
  const offsets = c.offsets as Int32Array;
  return bytes.subarray(offsets[i] as number, offsets[i + 1] as number);
}

/** The Parquet schema element of a kept column of type `t` (OPTIONAL). */
export function parquetElement(name: string, t: OutputType): SchemaElement {
  const base = { name, repetition_type: 'OPTIONAL' } as const;
  if (t === 'float64') return { ...base, type: 'DOUBLE' };
  switch (t.kind) {
    case 'bool':
      return { ...base, type: 'BOOLEAN' };
    case 'int':
      if (t.bits === 64) {
        return t.signed
          ? { ...base, type: 'INT64' }
          : { ...base, type: 'INT64', converted_type: 'UINT_64' };
      }
      if (t.bits === 32 && t.signed) return { ...base, type: 'INT32' };
      return {
        ...base,
        type: 'INT32',
        // The converted type only: hyparquet-writer's INTEGER logical type does not read back.
        converted_type: `${t.signed ? 'INT' : 'UINT'}_${t.bits}` as SchemaElement['converted_type'],
      };
    case 'float':
      return { ...base, type: t.bits === 32 ? 'FLOAT' : 'DOUBLE' };
    case 'decimal': {
      const decimal = {
        converted_type: 'DECIMAL' as const,
        scale: t.scale,
        precision: t.precision,
        logical_type: { type: 'DECIMAL' as const, precision: t.precision, scale: t.scale },
      };
      if (t.precision <= 9) return { ...base, type: 'INT32', ...decimal };
      if (t.precision <= 18) return { ...base, type: 'INT64', ...decimal };
      return {
        ...base,
        type: 'FIXED_LEN_BYTE_ARRAY',
        type_length: decimalBytes(t.precision),
        ...decimal,
      };
    }
    case 'utf8':
      return {
        ...base,
        type: 'BYTE_ARRAY',
        converted_type: 'UTF8',
        logical_type: { type: 'STRING' },
      };
    case 'binary':
      return { ...base, type: 'BYTE_ARRAY' };
    case 'date':
      return { ...base, type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' } };
    case 'timestamp': {
      const unit = t.unit === 'ns' ? 'NANOS' : t.unit === 'us' ? 'MICROS' : 'MILLIS';
      const utc = t.tz !== null;
      const converted = !utc
        ? undefined
        : unit === 'MILLIS'
          ? ('TIMESTAMP_MILLIS' as const)
          : unit === 'MICROS'
            ? ('TIMESTAMP_MICROS' as const)
            : undefined;
      return {
        ...base,
        type: 'INT64',
        ...(converted === undefined ? {} : { converted_type: converted }),
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: utc, unit },
      } as SchemaElement;
    }
    case 'null':
      return { ...base, type: 'INT32' };
  }
}

/** Bytes of a FIXED_LEN_BYTE_ARRAY decimal of `precision` digits (as Arrow and DuckDB write it). */
function decimalBytes(precision: number): number {
  let bytes = 1;
  while (2n ** BigInt(8 * bytes - 1) <= 10n ** BigInt(precision)) bytes += 1;
  return bytes;
}

/** Row values of a kept column as hyparquet-writer takes them for its element (null for nulls). */
export function parquetValues(c: RawColumn, from: number, to: number): unknown[] {
  const out: unknown[] = new Array(to - from);
  const t = c.type;
  for (let i = from; i < to; i++) {
    if (t.kind === 'null' || (c.nulls !== null && c.nulls[i] === 1)) {
      out[i - from] = null;
      continue;
    }
    let v: unknown;
    switch (t.kind) {
      case 'bool':
        v = c.numbers?.[i] === 1;
        break;
      case 'int':
        v =
          t.bits === 64
            ? BigInt[t.signed ? 'asIntN' : 'asUintN'](64, BigInt(c.bigints?.[i] ?? 0n))
            : c.numbers?.[i];
        break;
      case 'decimal':
        v = BigInt(unscaledDigits(c, i));
        break;
      case 'timestamp': {
        const x = BigInt(c.bigints?.[i] ?? 0n);
        v = t.unit === 's' ? x * 1000n : x;
        break;
      }
      case 'utf8':
      case 'binary':
        v = rowBytes(c, i);
        break;
      default:
        v = c.numbers?.[i];
    }
    out[i - from] = v;
  }
  return out;
}
