import { describe, expect, it } from 'vitest';
import { DesignBatcher } from '../../../../packages/core/src/engine/tasks/design-batch.js';
import {
  finiteMaxMagnitude,
  MAX_MAGNITUDE,
  MIN_MAGNITUDE,
} from '../../../../packages/core/src/engine/tasks/magnitude.js';

const f = (values: number[], rows = values.length) =>
  finiteMaxMagnitude(Float64Array.from(values), rows);

describe('finiteMaxMagnitude (the fast column scan)', () => {
  it('gives the largest magnitude of finite values, whatever their signs', () => {
    expect(f([1, -7.5, 3, -0])).toBe(7.5);
    expect(f([-0, 0])).toBe(0);
    expect(f([])).toBe(0);
  });

  it('is NaN when any counted value is NaN or infinite, and ignores rows past `rows`', () => {
    expect(f([1, Number.NaN, 2])).toBeNaN();
    expect(f([1, Number.NEGATIVE_INFINITY])).toBeNaN();
    expect(f([1, 2, Number.POSITIVE_INFINITY], 2)).toBe(2);
  });

  it('finds the largest value and any non-finite one at every position of its four lanes and tail', () => {
    for (const rows of [4, 9, 11]) {
      for (let at = 0; at < rows; at++) {
        const values = Array.from({ length: rows }, (_, i) => (i % 2 === 0 ? 1 : -1) * (i / 100));
        values[at] = -42;
        expect(f(values), `max at ${at} of ${rows}`).toBe(42);
        for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
          values[at] = bad;
          expect(f(values), `${bad} at ${at} of ${rows}`).toBeNaN();
        }
      }
    }
  });
});

describe('DesignBatcher magnitude checks through the fast scan', () => {
  const unit = { file: 'd.parquet', label: 'd.parquet row group 0' };
  const design = { features: ['x'], target: 'y' };
  const batch = (x: number[], y: number[]) => ({
    rows: x.length,
    names: ['x', 'y'],
    columns: [Float64Array.from(x), Float64Array.from(y)],
    nulls: [null, null],
  });

  it('names the row of a value beyond 2^400 and of a column below 2^-400', () => {
    const big = new DesignBatcher(design, 'drop', unit);
    expect(() => big.toDesign(batch([1, MAX_MAGNITUDE * 4, 3], [1, 2, 3]), 10)).toThrow(
      /row group 0, row 11.*too large/,
    );
    const small = new DesignBatcher(design, 'drop', unit);
    expect(() => small.toDesign(batch([MIN_MAGNITUDE / 2, 0], [1, 2]), 0)).toThrow(/too small/);
  });

  it('accepts the edges of the range', () => {
    const b = new DesignBatcher(design, 'drop', unit);
    expect(b.toDesign(batch([MAX_MAGNITUDE, -MIN_MAGNITUDE, 0], [1, 2, 3]), 0).dropped).toBe(0);
  });
});
