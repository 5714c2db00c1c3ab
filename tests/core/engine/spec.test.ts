import { IoError } from '@linreg/io';
import { describe, expect, it } from 'vitest';
import { ColumnBuilder } from '../../../packages/core/src/engine/column-builder.js';
import { type FitSpec, resolveFitSpec } from '../../../packages/core/src/engine/spec.js';
import { flattenError, rebuildError } from '../../../packages/core/src/engine/wire-errors.js';
import {
  FitError,
  MissingValueError,
  SpecError,
  UnitError,
} from '../../../packages/core/src/errors.js';
import { NumericInputError } from '../../../packages/core/src/numerics/types.js';

const base: FitSpec = { inputs: ['a.parquet'], target: 'y' };

describe('resolveFitSpec', () => {
  it('fills every default', () => {
    expect(resolveFitSpec(base)).toMatchObject({
      intercept: true,
      solver: 'qr',
      ridge: 0,
      standardize: false,
      aliased: 'min-norm',
      missing: 'drop',
      refine: 'auto',
      level: 0.95,
      exclude: [],
      batchRows: 65_536,
    });
  });

  it.each<[string, FitSpec, RegExp]>([
    ['no inputs', { ...base, inputs: [] }, /^inputs: /],
    ['stdin with files', { ...base, inputs: ['-', 'a.csv'] }, /^inputs: '-'/],
    ['no target', { ...base, target: '' }, /^target: /],
    ['features and exclude', { ...base, features: ['a'], exclude: ['b'] }, /^exclude: /],
    ['duplicate feature', { ...base, features: ['a', 'a'] }, /^features: column a is listed twice/],
    ['target as feature', { ...base, features: ['y'] }, /^features: column y is the target/],
    ['weights = target', { ...base, weights: 'y' }, /^weights: /],
    ['negative ridge', { ...base, ridge: -1 }, /^ridge: /],
    ['level 1', { ...base, level: 1 }, /^level: /],
    ['bad solver', { ...base, solver: 'lu' as never }, /^solver: must be one of qr, normal, sgd/],
    ['sgd with GCV', { ...base, solver: 'sgd', ridge: 'auto' }, /^ridge: /],
    ['sgd options without sgd', { ...base, sgd: { epochs: 3 } }, /^sgd: /],
    ['bad batch', { ...base, batchRows: 0 }, /^batchRows: /],
  ])('rejects %s naming the option', (_name, spec, message) => {
    expect(() => resolveFitSpec(spec)).toThrow(SpecError);
    expect(() => resolveFitSpec(spec)).toThrow(message);
  });
});

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
