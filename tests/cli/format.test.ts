import { describe, expect, it } from 'vitest';
import { renderGrid } from '../../packages/cli/src/format/grid.js';
import {
  ciLabels,
  formatG,
  formatNumber,
  formatPValue,
  stars,
} from '../../packages/cli/src/format/numbers.js';

describe('summary number formatting (R print.summary.lm conventions)', () => {
  it.each([
    [1.23456, '1.235'],
    [-0.000123456, '-0.0001235'],
    [0.0000123456, '1.235e-05'],
    [1234567, '1.235e+06'],
    [100, '100'],
    [0, '0'],
    [Number.NaN, 'NA'],
    [Number.POSITIVE_INFINITY, 'Inf'],
    [Number.NEGATIVE_INFINITY, '-Inf'],
  ])('formats %s as %s', (value, text) => {
    expect(formatNumber(value)).toBe(text);
  });

  it("formats the F statistic as C's %.4g (R's formatC)", () => {
    expect([24200, 310700, 89.36, 1234, 0.00001234, 6.001e30].map((v) => formatG(v))).toEqual([
      '2.42e+04',
      '3.107e+05',
      '89.36',
      '1234',
      '1.234e-05',
      '6.001e+30',
    ]);
  });

  it('formats p-values as format.pval does', () => {
    expect(formatPValue(1e-20)).toBe('<2e-16');
    expect(formatPValue(0.012345)).toBe('0.0123');
    expect(formatPValue(0.5)).toBe('0.5');
    expect(formatPValue(Number.NaN)).toBe('NA');
  });

  it('gives the significance stars of the R legend', () => {
    expect([0.0001, 0.005, 0.02, 0.07, 0.5, Number.NaN].map(stars)).toEqual([
      '***',
      '**',
      '*',
      '.',
      '',
      '',
    ]);
  });

  it('labels confidence bounds in percent', () => {
    expect(ciLabels(0.95)).toEqual(['2.5 %', '97.5 %']);
    expect(ciLabels(0.9)).toEqual(['5 %', '95 %']);
  });

  it('aligns a grid: first column left, numbers right', () => {
    expect(
      renderGrid(
        ['', 'a', 'bb'],
        [
          ['x', '1', '22'],
          ['long', '333', '4'],
        ],
      ),
    ).toEqual(['       a bb', 'x      1 22', 'long 333  4']);
  });
});
