import { IoError } from '@linreg/errors';
import type { Data, DataType, Field, RecordBatch } from 'apache-arrow';
import type { ColumnBatch } from '../types.js';
import { isReadableArrowType, sliceToFloat64 } from './convert.js';

/** Splits a record batch into ≤ batchRows slices of the requested columns. */
export function* sliceBatch(
  batch: RecordBatch,
  file: string,
  where: string,
  columns: readonly string[],
  batchRows: number,
): Generator<ColumnBatch> {
  const data = columns.map((name) => {
    const index = batch.schema.fields.findIndex((f: Field) => f.name === name);
    const child = index < 0 ? null : batch.getChildAt(index);
    if (child === null)
      throw new IoError('missing-column', { file, column: name, where }, 'no such column');
    const field = batch.schema.fields[index] as Field;
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
  const rows = batch.numRows;
  for (let from = 0; from < rows; from += batchRows) {
    const length = Math.min(batchRows, rows - from);
    const values: Float64Array[] = [];
    const nulls: (Uint8Array | null)[] = [];
    for (const chunks of data) {
      const slice = sliceChunks(chunks, from, length);
      values.push(slice.values);
      nulls.push(slice.nulls);
    }
    yield { rows: length, names: columns, columns: values, nulls };
  }
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
