import { IoError } from '@linreg/errors';
import type { Data, DataType, Field, RecordBatch } from 'apache-arrow';
import { notCategoricalProblem } from '../categorical.js';
import { type RawColumn, rawUnsupported } from '../raw.js';
import type { ColumnBatch } from '../types.js';
import { ArrowCategories } from './categories.js';
import { isReadableArrowType, sliceToFloat64 } from './convert.js';
import { arrowRawType, sliceArrowRaw } from './raw.js';

const EMPTY = new Float64Array(0);

/**
 * Splits a record batch into ≤ batchRows slices of the requested columns.
 * Columns `categories` reads as categories come out as codes with their
 * levels (ColumnBatch.levels; the same ArrowCategories across the record
 * batches of one unit keeps the codes of a stream consistent).
 */
export function* sliceBatch(
  batch: RecordBatch,
  file: string,
  where: string,
  columns: readonly string[],
  batchRows: number,
  categories: ArrowCategories = new ArrowCategories(new Set(), file),
  rawAt?: readonly boolean[],
): Generator<ColumnBatch> {
  const fields: Field[] = [];
  const data = columns.map((name, j) => {
    const index = batch.schema.fields.findIndex((f: Field) => f.name === name);
    const child = index < 0 ? null : batch.getChildAt(index);
    if (child === null)
      throw new IoError('missing-column', { file, column: name, where }, 'no such column');
    const field = batch.schema.fields[index] as Field;
    fields.push(field);
    if (rawAt?.[j] === true) {
      if (arrowRawType(field.type) === null) {
        throw rawUnsupported(file, name, String(field.type), where);
      }
      return child.data;
    }
    if (categories.has(name)) {
      if (!ArrowCategories.accepts(field.type)) {
        throw new IoError(
          'unsupported',
          { file, column: name, where },
          notCategoricalProblem(String(field.type)),
        );
      }
      return child.data;
    }
    // Temporal columns are readable: selectColumns admits them only when the fit opted in.
    if (!isReadableArrowType(field.type)) {
      throw new IoError(
        'non-numeric',
        { file, column: name, where },
        `type ${String(field.type)} is not numeric`,
      );
    }
    return child.data;
  });
  const levels = categories.any(columns)
    ? columns.map((name, j) =>
        categories.has(name) ? categories.levels(name, (fields[j] as Field).type) : null,
      )
    : undefined;
  const rows = batch.numRows;
  for (let from = 0; from < rows; from += batchRows) {
    const length = Math.min(batchRows, rows - from);
    const values: Float64Array[] = [];
    const nulls: (Uint8Array | null)[] = [];
    const raw: (RawColumn | null)[] = [];
    data.forEach((chunks, j) => {
      const name = columns[j] as string;
      if (rawAt?.[j] === true) {
        const column = sliceArrowRaw(chunks, from, length, file, name, where);
        raw.push(column);
        values.push(EMPTY);
        nulls.push(column.nulls);
        return;
      }
      raw.push(null);
      const slice = categories.has(name)
        ? sliceCodes(categories, name, chunks, from, length, where)
        : sliceChunks(chunks, from, length);
      values.push(slice.values);
      nulls.push(slice.nulls);
    });
    const batch: ColumnBatch =
      levels === undefined
        ? { rows: length, names: columns, columns: values, nulls }
        : { rows: length, names: columns, columns: values, nulls, levels };
    yield rawAt?.includes(true) === true ? { ...batch, raw } : batch;
  }
}

/** Codes of rows [from, from + length) of a categorical column over its Data chunks. */
function sliceCodes(
  categories: ArrowCategories,
  name: string,
  chunks: readonly Data<DataType>[],
  from: number,
  length: number,
  where: string,
): { values: Float64Array; nulls: Uint8Array | null } {
  const values = new Float64Array(length);
  const mask = new Uint8Array(length);
  let nulls = 0;
  let start = 0;
  let filled = 0;
  for (const chunk of chunks) {
    const lo = Math.max(from, start);
    const hi = Math.min(from + length, start + chunk.length);
    if (hi > lo) {
      nulls += categories.read(name, chunk, lo - start, hi - lo, values, mask, filled, where);
      filled += hi - lo;
    }
    start += chunk.length;
  }
  return { values, nulls: nulls > 0 ? mask : null };
}

/** A column of a record batch is normally one Data chunk; several are concatenated. */
function sliceChunks(
  chunks: readonly Data<DataType>[],
  from: number,
  length: number,
): { values: Float64Array; nulls: Uint8Array | null } {
  const only = chunks[0];
  if (chunks.length === 1 && only !== undefined) return sliceToFloat64(only, from, length);
  const values = new Float64Array(length);
  let nulls: Uint8Array | null = null;
  let start = 0;
  let filled = 0;
  for (const chunk of chunks) {
    const lo = Math.max(from, start);
    const hi = Math.min(from + length, start + chunk.length);
    if (hi > lo) {
      const part = sliceToFloat64(chunk, lo - start, hi - lo);
      values.set(part.values, filled);
      if (part.nulls !== null) {
        nulls ??= new Uint8Array(length);
        nulls.set(part.nulls, filled);
      }
      filled += hi - lo;
    }
    start += chunk.length;
  }
  return { values, nulls };
}
