import { describe, expect, it } from 'vitest';
import {
  estimateScaledCondition,
  paddedColumns,
  semidefiniteCholesky,
  semidefiniteTolerance,
  syrkUpperAdd,
} from '../../../../packages/core/src/numerics/linalg/index.js';
import { EPS, seededRandom } from './accumulator-reference.js';

/** Column-major rows x q random matrix with zero padding columns up to paddedColumns(q). */
function randomBlock(rows: number, q: number, seed: number): Float64Array {
  const rnd = seededRandom(seed);
  const a = new Float64Array(rows * paddedColumns(q));
  for (let i = 0; i < rows * q; i++) a[i] = rnd() * 2 - 1;
  return a;
}

describe('accumulator kernels', () => {
  it('syrkUpperAdd adds AᵀA to the upper triangle only, for every q mod 4', () => {
    for (let q = 1; q <= 9; q++) {
      for (const rows of [0, 1, 7, 64]) {
        const a = randomBlock(rows, q, 100 * q + rows);
        const c = new Float64Array(q * q).fill(0.5);
        syrkUpperAdd(rows, q, a, rows, c, q);
        for (let i = 0; i < q; i++) {
          for (let j = 0; j < q; j++) {
            let want = 0.5;
            if (i <= j) for (let r = 0; r < rows; r++) want += a[i * rows + r] * a[j * rows + r];
            expect(
              Math.abs(c[i * q + j] - want),
              `q=${q} rows=${rows} (${i},${j})`,
            ).toBeLessThanOrEqual(4 * rows * EPS + 1e-300);
          }
        }
      }
    }
  });

  it('semidefiniteCholesky factors a PSD matrix and zeroes the rows of dependent columns', () => {
    // Columns of A (5 x 4): a2 = a0 + 2 a1, so G = AᵀA has rank 3 and pivot 2 is zero.
    const rnd = seededRandom(17);
    const n = 5;
    const cols = [0, 1, 2, 3].map(() => Float64Array.from({ length: n }, () => rnd() - 0.5));
    for (let i = 0; i < n; i++) cols[2][i] = cols[0][i] + 2 * cols[1][i];
    const q = 4;
    const g = new Float64Array(q * q);
    for (let i = 0; i < q; i++) {
      for (let j = i; j < q; j++) {
        let t = 0;
        for (let r = 0; r < n; r++) t += cols[i][r] * cols[j][r];
        g[i * q + j] = t;
      }
    }
    const s = new Float64Array(q * q);
    const retained = semidefiniteCholesky(g, q, q, s);
    expect(Array.from(retained)).toEqual([1, 1, 0, 1]);
    for (let j = 0; j < q; j++) expect(s[2 * q + j]).toBe(0);
    for (let i = 0; i < q; i++) {
      for (let j = i; j < q; j++) {
        let t = 0;
        for (let l = 0; l <= i; l++) t += s[l * q + i] * s[l * q + j];
        expect(Math.abs(t - g[i * q + j])).toBeLessThanOrEqual(
          1e-14 * Math.sqrt(g[i * q + i] * g[j * q + j]),
        );
      }
    }
    expect(semidefiniteTolerance(4)).toBe(16 * EPS);
  });

  it('estimateScaledCondition matches the exact κ of two unit columns at angle θ', () => {
    // For unit columns with cos θ = c, κ = √((1 + |c|) / (1 − |c|)).
    for (const c of [0, 0.5, 0.99, 0.999999]) {
      const sin = Math.sqrt(1 - c * c);
      // R of [a0 a1] with ‖a0‖ = 2, ‖a1‖ = 3: R = [[2, 3c], [0, 3 sin θ]].
      const r = Float64Array.from([2, 3 * c, 0, 3 * sin]);
      const norms2 = Float64Array.from([4, 9]);
      const kappa = estimateScaledCondition(r, 2, [0, 1], norms2);
      const exact = Math.sqrt((1 + c) / (1 - c));
      expect(Math.abs(kappa - exact) / exact).toBeLessThan(1e-3);
    }
    expect(estimateScaledCondition(new Float64Array(0), 0, [], new Float64Array(0))).toBe(1);
  });
});
