import { SpecError } from '@linreg/errors';
import { describe, expect, it } from 'vitest';
import { type FitSpec, resolveFitSpec } from '../../../packages/core/src/options/index.js';

// Moved from tests/core/engine/spec.test.ts; the SGD settings are flat now.
const base: FitSpec = { inputs: ['a.parquet'], target: 'y' };

describe('resolveFitSpec', () => {
  it('fills every default', () => {
    expect(resolveFitSpec(base)).toMatchObject({
      intercept: true,
      solver: 'auto',
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
    [
      'bad solver',
      { ...base, solver: 'lu' as never },
      /^solver: must be one of auto, qr, normal, sgd/,
    ],
    ['sgd with GCV', { ...base, solver: 'sgd', ridge: 'auto' }, /^ridge: /],
    // was `sgd: { epochs: 3 }` → /^sgd: /; the error now names the option given.
    ['sgd options without sgd', { ...base, epochs: 3 }, /^epochs: /],
    ['bad batch', { ...base, batchRows: 0 }, /^batchRows: /],
  ])('rejects %s naming the option', (_name, spec, message) => {
    expect(() => resolveFitSpec(spec)).toThrow(SpecError);
    expect(() => resolveFitSpec(spec)).toThrow(message);
  });

  it('refuses a key that is not an option, e.g. the old nested sgd object', () => {
    const old = { ...base, sgd: { epochs: 3 } } as unknown as FitSpec;
    expect(() => resolveFitSpec(old)).toThrow(/^sgd: is not an option of fit$/);
  });
});
