/**
 * The small dense kernels behind `solve`: one-sided Jacobi SVD and the
 * Householder re-factorization, as properties with a fixed fast-check seed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { householderR, jacobiSvd } from '../../../../packages/core/src/numerics/linalg/index.js';

/** Entries in [-10, 10] with 3 decimals (no subnormals, many exact zeros and ties). */
const entry = fc.integer({ min: -10000, max: 10000 }).map((i) => i / 1000);
const matrix = (rows: number, cols: number) =>
  fc.array(entry, { minLength: rows * cols, maxLength: rows * cols });

const shape = fc
  .tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 4 }))
  .chain(([cols, extra]) =>
    fc.tuple(fc.constant(cols + extra), fc.constant(cols), matrix(cols + extra, cols)),
  );

describe('jacobiSvd', () => {
  it('A = U Σ Vᵀ with orthonormal V, descending σ (property, fixed seed)', () => {
    fc.assert(
      fc.property(shape, ([rows, cols, data]) => {
        const a = Float64Array.from(data);
        const { s, u, v } = jacobiSvd(a, rows, cols);
        let norm = 0;
        for (const x of a) norm = Math.max(norm, Math.abs(x));
        for (let k = 1; k < cols; k++) expect(s[k]).toBeLessThanOrEqual(s[k - 1]);
        for (let i = 0; i < rows; i++) {
          for (let j = 0; j < cols; j++) {
            let x = 0;
            for (let k = 0; k < cols; k++) x += u[i * cols + k] * s[k] * v[j * cols + k];
            expect(Math.abs(x - a[i * cols + j])).toBeLessThanOrEqual(
              1e-13 * Math.max(norm, 1e-300) * cols,
            );
          }
        }
        for (let p = 0; p < cols; p++) {
          for (let q = 0; q < cols; q++) {
            let d = 0;
            for (let i = 0; i < cols; i++) d += v[i * cols + p] * v[i * cols + q];
            expect(Math.abs(d - (p === q ? 1 : 0))).toBeLessThan(1e-13);
          }
        }
      }),
      { seed: 20261129, numRuns: 150 },
    );
  });

  it('is relatively accurate for graded columns: σ of Q·diag(1, 1e-8, 1e-16, 1e-24)', () => {
    // Q: a fixed orthogonal 4 × 4 (normalized Hadamard), so the σ are the scales exactly.
    const h = [1, 1, 1, 1, 1, -1, 1, -1, 1, 1, -1, -1, 1, -1, -1, 1];
    const d = [1, 1e-8, 1e-16, 1e-24];
    const a = new Float64Array(16);
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) a[i * 4 + j] = (h[i * 4 + j] / 2) * d[j];
    const { s } = jacobiSvd(a, 4, 4, { wantV: false });
    d.forEach((x, k) => {
      expect(Math.abs(s[k] / x - 1)).toBeLessThan(1e-14);
    });
  });

  it('returns exact zeros for zero columns and rejects wide input', () => {
    const { s } = jacobiSvd(Float64Array.of(3, 0, 4, 0), 2, 2);
    expect(Array.from(s)).toEqual([5, 0]);
    expect(() => jacobiSvd(new Float64Array(6), 2, 3)).toThrow(RangeError);
  });
});

describe('householderR', () => {
  it('RᵀR = AᵀA (property, fixed seed)', () => {
    fc.assert(
      fc.property(shape, ([rows, cols, data]) => {
        const a = Float64Array.from(data);
        const r = householderR(a, rows, cols);
        for (let i = 0; i < cols; i++) for (let j = 0; j < i; j++) expect(r[i * cols + j]).toBe(0);
        for (let p = 0; p < cols; p++) {
          for (let q = 0; q < cols; q++) {
            let g = 0;
            let na = 0;
            let nb = 0;
            for (let i = 0; i < rows; i++) {
              g += a[i * cols + p] * a[i * cols + q];
              na += a[i * cols + p] ** 2;
              nb += a[i * cols + q] ** 2;
            }
            let h = 0;
            for (let i = 0; i < cols; i++) h += r[i * cols + p] * r[i * cols + q];
            expect(Math.abs(h - g)).toBeLessThanOrEqual(1e-13 * Math.sqrt(na * nb) * rows + 1e-300);
          }
        }
      }),
      { seed: 7, numRuns: 150 },
    );
  });
});
