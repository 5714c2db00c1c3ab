/**
 * Values the sums of squares cannot take (beyond 2^400 or, a whole column,
 * below 2^-400) are refused naming the column and row, never fitted into an
 * NA intercept or a false aliasing relation with exit 0; rescaled in a
 * formula, the same data fit exactly.
 */
import { fit as fitSource, memorySource } from '@linreg/core';
import { MissingValueError } from '@linreg/errors';
import { describe, expect, it } from 'vitest';

const n = 40;
const base = Float64Array.from({ length: n }, (_, i) => (i % 7) + i / 10);
const y = Float64Array.from(base, (v) => 3 * v - 19.21);

describe('extreme magnitudes', () => {
  it.each([
    ['near 1e300', 1e300],
    ['near 1e-300', 1e-300],
  ])('a column %s is refused naming it, under every solver', async (_what, scale) => {
    const x = Float64Array.from(base, (v) => v * scale);
    for (const solver of ['qr', 'normal'] as const) {
      const run = fitSource({ target: 'y', solver }, { source: memorySource([{ x, y }]) });
      await expect(run).rejects.toBeInstanceOf(MissingValueError);
      await expect(run).rejects.toThrow(/: x: .*row \d+: .*rescale the column/);
    }
  });

  it('a huge response is refused too, and a formula that rescales fits exactly', async () => {
    const big = Float64Array.from(y, (v) => v * 1e300);
    await expect(
      fitSource({ target: 'y', solver: 'qr' }, { source: memorySource([{ x: base, y: big }]) }),
    ).rejects.toThrow(/: y: .*too large/);
    const x = Float64Array.from(base, (v) => v * 1e300);
    const { model } = await fitSource(
      { formula: 'y ~ I(x / 1e300)' },
      { source: memorySource([{ x, y }]) },
    );
    expect(model.coefficients[0]?.estimate).toBeCloseTo(-19.21, 10);
    expect(model.coefficients[1]?.estimate).toBeCloseTo(3, 10);
  });

  it('ordinary large and small values (1e100, 1e-100) still fit', async () => {
    for (const scale of [1e100, 1e-100]) {
      const x = Float64Array.from(base, (v) => v * scale);
      const { model } = await fitSource({ target: 'y' }, { source: memorySource([{ x, y }]) });
      expect(model.coefficients[0]?.estimate).toBeCloseTo(-19.21, 9);
      expect((model.coefficients[1]?.estimate as number) * scale).toBeCloseTo(3, 9);
    }
  });
});
