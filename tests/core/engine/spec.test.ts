import {
  FitError,
  flattenError,
  MissingValueError,
  NumericInputError,
  rebuildError,
  UnitError,
} from '@linreg/errors';
import { IoError } from '@linreg/io';
import { describe, expect, it } from 'vitest';
import { ColumnBuilder } from '../../../packages/core/src/engine/tasks/column-builder.js';

describe('errors across the worker boundary', () => {
  const unit = { file: 'd/a.parquet', label: 'd/a.parquet row group 4' };
  it.each<[string, Error, new (...a: never[]) => Error, string]>([
    [
      'IoError',
      new IoError(
        'corrupt',
        { file: 'd/a.parquet', column: 'x', where: 'row group 4' },
        'bad page',
      ),
      IoError,
      'd/a.parquet: x: row group 4: bad page',
    ],
    [
      'MissingValueError',
      new MissingValueError('d/a.parquet', 'x', 'row group 4, row 2', 'missing value (NaN)'),
      MissingValueError,
      'd/a.parquet: x: row group 4, row 2: missing value (NaN)',
    ],
    [
      'NumericInputError',
      new NumericInputError('negative weight -1 at row 3', 3, 'w'),
      NumericInputError,
      'd/a.parquet row group 4: negative weight -1 at row 3',
    ],
    ['FitError', new FitError('no rows'), FitError, 'd/a.parquet: no rows'],
    [
      'anything else',
      new RangeError('index out of range'),
      UnitError,
      'd/a.parquet: d/a.parquet row group 4: RangeError: index out of range',
    ],
  ])('rebuilds %s with its fields', (_name, error, cls, message) => {
    const flat = structuredClone(flattenError(error));
    const rebuilt = rebuildError(flat, unit);
    expect(rebuilt).toBeInstanceOf(cls);
    expect(rebuilt.message).toBe(message);
  });
});

describe('ColumnBuilder', () => {
  it('appends batches, NaN for nulls, and finishes with the exact length in its own buffer', () => {
    const b = new ColumnBuilder(2);
    b.append(Float64Array.of(1, 2, 3), 2);
    b.append(Float64Array.of(4, 5, 6), 3, Uint8Array.of(0, 1, 0));
    for (let i = 0; i < 20; i++) b.append(Float64Array.of(i), 1);
    const out = b.finish();
    expect(out.length).toBe(25);
    expect(Array.from(out.subarray(0, 5))).toEqual([1, 2, 4, Number.NaN, 6]);
    expect(out[24]).toBe(19);
    expect(out.buffer.byteLength).toBe(25 * 8);
  });
});
