/**
 * Lanczos on TᵀT and on T⁻¹T⁻ᵀ of a triangular factor (used for designs wider
 * than the Jacobi SVD is meant for) against the one-sided Jacobi SVD, and the
 * raw condition number on both sides of the width at which it switches.
 */
import { describe, expect, it } from 'vitest';
import {
  extremeSingularValues,
  jacobiSvd,
} from '../../../../packages/core/src/numerics/linalg/index.js';
import { createRandom, nextGaussian } from '../../../../packages/core/src/numerics/sgd/index.js';
import { solve } from '../../../../packages/core/src/numerics/solve/index.js';
import { factorOf } from '../../support/factor-of.js';

/** An m × m upper triangle with column scales over six decades and one near-dependency. */
function triangle(m: number, seed: number): Float64Array {
  const rng = createRandom(seed);
  const t = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) t[i * m + j] = nextGaussian(rng) * 10 ** ((6 * j) / m);
    t[i * m + i] = Math.abs(t[i * m + i]) + 10 ** ((6 * i) / m);
  }
  t[(m - 1) * m + (m - 1)] *= 1e-4;
  return t;
}

describe('extreme singular values by Lanczos', () => {
  it.each([5, 30, 80])('m = %i: σ₁, σ_m and the σ_m vector agree with Jacobi', (m) => {
    const t = triangle(m, m);
    const ours = extremeSingularValues(t, m, m);
    const svd = jacobiSvd(t, m, m);
    expect(Math.abs(ours.largest / (svd.s[0] as number) - 1)).toBeLessThan(1e-10);
    expect(Math.abs(ours.smallest / (svd.s[m - 1] as number) - 1)).toBeLessThan(1e-10);
    // The same direction up to sign: |⟨v, v_m⟩| = 1.
    let dot = 0;
    for (let i = 0; i < m; i++)
      dot += (ours.smallestVector[i] as number) * (svd.v[i * m + m - 1] as number);
    expect(Math.abs(Math.abs(dot) - 1)).toBeLessThan(1e-8);
  });

  it('gives the same raw condition number as Jacobi for a design wider than 64 columns', () => {
    const rng = createRandom(3);
    const n = 200;
    const x = Array.from({ length: 70 }, (_, j) =>
      Float64Array.from({ length: n }, () => nextGaussian(rng) * 10 ** (j / 20) + j),
    );
    const y = Float64Array.from({ length: n }, () => nextGaussian(rng));
    const factor = factorOf({ intercept: true, x, y });
    const raw = solve(factor).conditionNumberRaw as number;
    const m = factor.k - 1;
    const a = new Float64Array(m * m);
    for (let i = 0; i < m; i++)
      for (let j = i; j < m; j++) a[i * m + j] = factor.r[i * factor.k + j] as number;
    const { s } = jacobiSvd(a, m, m, { wantV: false });
    expect(Math.abs(raw / ((s[0] as number) / (s[m - 1] as number)) - 1)).toBeLessThan(1e-9);
  });
});
