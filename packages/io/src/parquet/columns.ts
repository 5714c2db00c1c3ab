import type { FileMetaData, SchemaElement } from 'hyparquet';
import type { TemporalUnit } from '../temporal.js';
import type { ColumnInfo } from '../types.js';
import type { PhysicalType, ValueKind } from './fast-path/value-kind.js';

/**
 * One top-level column of a Parquet file as the reader needs it: what the
 * planner sees (`info`), where its chunk sits in each row group, and how its
 * values become float64.
 */
export interface ParquetColumn {
  readonly info: ColumnInfo;
  /** Index of the column chunk in every row group; -1 for a nested (group) column. */
  readonly chunk: number;
  /** 0 for REQUIRED, 1 for a flat OPTIONAL column. */
  readonly maxDef: number;
  /**
   * How the fast path converts values; null when it cannot (nested, strings,
   * INT96, DECIMAL in BYTE_ARRAY — the last is still read, by the fallback).
   */
  readonly kind: ValueKind | null;
  /**
   * True when read() can return numbers: every `info.numeric` column, plus
   * dates, times and timestamps (`numeric: false, temporal: true`, so the
   * planner only uses them when asked).
   */
  readonly readable: boolean;
  /**
   * Dates, times and timestamps: the unit of the stored integer, which read()
   * converts to seconds (temporal.ts); null for every other column.
   */
  readonly temporalUnit: TemporalUnit | null;
  /**
   * How the column reads as a category (`info.categorical`): 'text' for a
   * flat BYTE_ARRAY annotated UTF8/STRING/ENUM or not annotated (codes from
   * the level table, fast-path dictionary pages mapped entry by entry),
   * 'boolean' for a flat BOOLEAN (the 0/1 values are the codes of
   * FALSE/TRUE); null otherwise.
   */
  readonly categorical: ParquetCategorical | null;
}

export type ParquetCategorical = 'text' | 'boolean';

interface Classified {
  readonly sourceType: string;
  readonly numeric: boolean;
  readonly readable: boolean;
  readonly unsigned: boolean;
  readonly scale: number;
  readonly float16: boolean;
  readonly decimalBytes: boolean;
  readonly temporalUnit: TemporalUnit | null;
}

const plainNumber: Omit<Classified, 'sourceType'> = {
  numeric: true,
  readable: true,
  unsigned: false,
  scale: 0,
  float16: false,
  decimalBytes: false,
  temporalUnit: null,
};
const notNumber: Omit<Classified, 'sourceType'> = {
  ...plainNumber,
  numeric: false,
  readable: false,
};
function temporal(sourceType: string, unit: TemporalUnit): Classified {
  return { ...plainNumber, numeric: false, sourceType, temporalUnit: unit };
}

/** Parquet's TimeUnit names (logical TIME and TIMESTAMP). */
const PARQUET_UNIT: Readonly<Record<string, TemporalUnit>> = {
  MILLIS: 'millis',
  MICROS: 'micros',
  NANOS: 'nanos',
};

/** Columns of the file in schema order (top-level fields only). */
export function parquetColumns(metadata: FileMetaData): ParquetColumn[] {
  const schema = metadata.schema;
  const columns: ParquetColumn[] = [];
  const root = schema[0];
  const count = root?.num_children ?? 0;
  let at = 1;
  let leaf = 0;
  for (let c = 0; c < count; c++) {
    const element = schema[at];
    if (element === undefined) break;
    const span = subtreeSize(schema, at);
    const leaves = span.leaves;
    at = span.next;
    const nullable = element.repetition_type !== 'REQUIRED';
    if ((element.num_children ?? 0) > 0 || element.repetition_type === 'REPEATED') {
      const sourceType =
        element.logical_type?.type ??
        element.converted_type ??
        (element.num_children ? 'STRUCT' : 'REPEATED');
      columns.push({
        info: { name: element.name, sourceType, numeric: false, nullable },
        chunk: (element.num_children ?? 0) > 0 ? -1 : leaf,
        maxDef: 2,
        kind: null,
        readable: false,
        temporalUnit: null,
        categorical: null,
      });
    } else {
      const cls = classify(element);
      const categorical = categoricalOf(element);
      const info: ColumnInfo = {
        name: element.name,
        sourceType: cls.sourceType,
        numeric: cls.numeric,
        nullable,
        ...(cls.temporalUnit === null ? {} : { temporal: true }),
        ...(categorical === null ? {} : { categorical: true }),
      };
      columns.push({
        info,
        chunk: leaf,
        maxDef: nullable ? 1 : 0,
        kind: cls.readable ? valueKind(element, cls) : null,
        readable: cls.readable,
        temporalUnit: cls.temporalUnit,
        categorical,
      });
    }
    leaf += leaves;
  }
  return columns;
}

/** Text annotations of BYTE_ARRAY that read as categories (logical, then legacy converted). */
const TEXT_LOGICAL: ReadonlySet<string> = new Set(['STRING', 'ENUM']);
const TEXT_CONVERTED: ReadonlySet<string> = new Set(['UTF8', 'ENUM']);

/** Whether a flat leaf reads as a category, and how (see ParquetColumn.categorical). */
function categoricalOf(element: SchemaElement): ParquetCategorical | null {
  const logical = element.logical_type?.type;
  const converted = element.converted_type;
  if (element.type === 'BOOLEAN') {
    return logical === undefined && converted === undefined ? 'boolean' : null;
  }
  if (element.type !== 'BYTE_ARRAY') return null;
  if (logical !== undefined) return TEXT_LOGICAL.has(logical) ? 'text' : null;
  if (converted !== undefined) return TEXT_CONVERTED.has(converted) ? 'text' : null;
  return 'text';
}

function subtreeSize(
  schema: readonly SchemaElement[],
  at: number,
): { next: number; leaves: number } {
  const element = schema[at];
  const children = element?.num_children ?? 0;
  if (children === 0) return { next: at + 1, leaves: 1 };
  let next = at + 1;
  let leaves = 0;
  for (let i = 0; i < children; i++) {
    const sub = subtreeSize(schema, next);
    next = sub.next;
    leaves += sub.leaves;
  }
  return { next, leaves };
}

function valueKind(element: SchemaElement, cls: Classified): ValueKind | null {
  const physical = element.type;
  if (physical === undefined || physical === 'INT96' || physical === 'BYTE_ARRAY') return null;
  if (physical === 'FIXED_LEN_BYTE_ARRAY' && !cls.float16 && !cls.decimalBytes) return null;
  const width = widthOf(physical, element.type_length);
  if (physical === 'FIXED_LEN_BYTE_ARRAY' && (width <= 0 || (cls.float16 && width !== 2)))
    return null;
  return {
    physical,
    width,
    unsigned: cls.unsigned,
    scale: cls.scale,
    float16: cls.float16,
    decimalBytes: cls.decimalBytes,
  };
}

function widthOf(physical: PhysicalType, typeLength: number | undefined): number {
  switch (physical) {
    case 'BOOLEAN':
      return 0;
    case 'INT32':
    case 'FLOAT':
      return 4;
    case 'INT64':
    case 'DOUBLE':
      return 8;
    case 'FIXED_LEN_BYTE_ARRAY':
      return typeLength ?? 0;
    case 'BYTE_ARRAY':
      return 0;
  }
}

/**
 * The source type string and numeric-ness of a leaf, logical type first, then
 * the legacy converted type, then the physical type.
 */
export function classify(element: SchemaElement): Classified {
  const physical = element.type ?? 'BYTE_ARRAY';
  const logical = element.logical_type;
  if (logical !== undefined) {
    switch (logical.type) {
      case 'INTEGER':
        return {
          ...plainNumber,
          sourceType: `${logical.isSigned ? 'INT' : 'UINT'}${logical.bitWidth}`,
          unsigned: !logical.isSigned,
        };
      case 'DECIMAL':
        return decimal(physical, logical.precision, logical.scale);
      case 'FLOAT16':
        return { ...plainNumber, sourceType: 'FLOAT16', float16: true };
      case 'DATE':
        return temporal('DATE', 'days');
      case 'TIME':
        return timeUnit(`TIME(${logical.unit})`, logical.unit);
      case 'TIMESTAMP':
        return timeUnit(
          `TIMESTAMP(${logical.unit}${logical.isAdjustedToUTC ? ',UTC' : ''})`,
          logical.unit,
        );
      default:
        return { ...notNumber, sourceType: logical.type };
    }
  }
  switch (element.converted_type) {
    case 'INT_8':
    case 'INT_16':
    case 'INT_32':
    case 'INT_64':
      return { ...plainNumber, sourceType: element.converted_type.replace('_', '') };
    case 'UINT_8':
    case 'UINT_16':
    case 'UINT_32':
    case 'UINT_64':
      return {
        ...plainNumber,
        sourceType: element.converted_type.replace('_', ''),
        unsigned: true,
      };
    case 'DECIMAL':
      return decimal(physical, element.precision ?? 0, element.scale ?? 0);
    case 'DATE':
      return temporal('DATE', 'days');
    case 'TIME_MILLIS':
      return temporal('TIME(MILLIS)', 'millis');
    case 'TIME_MICROS':
      return temporal('TIME(MICROS)', 'micros');
    case 'TIMESTAMP_MILLIS':
      return temporal('TIMESTAMP(MILLIS)', 'millis');
    case 'TIMESTAMP_MICROS':
      return temporal('TIMESTAMP(MICROS)', 'micros');
    case undefined:
      break;
    default:
      return { ...notNumber, sourceType: element.converted_type };
  }
  switch (physical) {
    case 'BOOLEAN':
    case 'INT32':
    case 'INT64':
    case 'FLOAT':
    case 'DOUBLE':
      return { ...plainNumber, sourceType: physical };
    case 'FIXED_LEN_BYTE_ARRAY':
      return { ...notNumber, sourceType: `FIXED_LEN_BYTE_ARRAY(${element.type_length ?? 0})` };
    default:
      return { ...notNumber, sourceType: physical };
  }
}

/** TIME or TIMESTAMP with a Parquet unit; an unknown unit is left unreadable. */
function timeUnit(sourceType: string, unit: string): Classified {
  const known = PARQUET_UNIT[unit];
  return known === undefined ? { ...notNumber, sourceType } : temporal(sourceType, known);
}

function decimal(physical: string, precision: number, scale: number): Classified {
  return {
    ...plainNumber,
    sourceType: `DECIMAL(${precision},${scale})`,
    scale,
    decimalBytes: physical === 'FIXED_LEN_BYTE_ARRAY',
  };
}
