/**
 * Rank decision, condition number, VIF, weighted OLS, warnings and option
 * validation of `solve`.
 */

import { NumericInputError, SolveOptionError } from '@linreg/errors';
import { describe, expect, it } from 'vitest';
import {
  createRandom,
  nextFloat64,
  nextGaussian,
} from '../../../../packages/core/src/numerics/sgd/index.js';
import { solve } from '../../../../packages/core/src/numerics/solve/index.js';
import { type Data, factorOf } from '../../support/factor-of.js';
import { exactLeastSquares } from '../../support/rational.js';
import { designColumns, filipLike, longleyLike } from '../../support/reference-problems.js';

const ones = (n: number) => new Float64Array(n).fill(1);

function randomData(seed: number, n: number, p: number, intercept = true): Data {
  const rng = createRandom(seed);
  const x = Array.from({ length: p }, () =>
    Float64Array.from({ length: n }, () => nextGaussian(rng)),
  );
  // Some correlation so VIFs are not all ~1.
  for (let i = 0; i < n; i++) x[p - 1][i] += 0.8 * x[0][i];
  const y = Float64Array.from(
    { length: n },
    (_, i) => 2 + x[0][i] - x[1][i] + 0.3 * nextGaussian(rng),
  );
  return { intercept, x, y };
}

describe('rank on the unit-column design', () => {
  it('calls the Filip-like degree-10 polynomial (κ ≈ 2e15 unscaled) full rank', () => {
    const s = solve(factorOf(filipLike()));
    expect(s.rank).toBe(11);
    expect(s.status).toBe('ok');
    // numpy: cond(X / ‖X‖_col) = 5.849697898e9 for the same data.
    expect(s.conditionNumber / 5.849697898149642e9 - 1).toBeLessThan(1e-6);
  });

  it('honours a caller tolerance: τ = 1e-9 makes the same design deficient', () => {
    const s = solve(factorOf(filipLike()), { rankTolerance: 1e-9 });
    expect(s.rank).toBe(10);
    expect(s.aliased).toEqual([10]);
  });

  it('condition number matches numpy on the Longley-like data, 1 for orthogonal columns', () => {
    const s = solve(factorOf(longleyLike()));
    expect(Math.abs(s.conditionNumber / 122070.8974606963 - 1)).toBeLessThan(1e-8);
    const orth = solve(
      factorOf({
        intercept: false,
        x: [Float64Array.of(1, 0, 0), Float64Array.of(0, 5, 0)],
        y: Float64Array.of(1, 2, 3),
      }),
    );
    expect(orth.conditionNumber).toBeCloseTo(1, 14);
  });

  it('is invariant under a change of units: a column ×1e6 keeps the rank, its coefficient ×1e-6', () => {
    const d = randomData(3, 50, 3);
    const scaled: Data = { ...d, x: [d.x[0], d.x[1].map((v) => v * 1e6), d.x[2]] };
    const a = solve(factorOf(d));
    const b = solve(factorOf(scaled));
    expect(b.rank).toBe(a.rank);
    expect(b.conditionNumber).toBeCloseTo(a.conditionNumber, 8);
    expect(b.coefficients[2] * 1e6).toBeCloseTo(a.coefficients[2], 10);
    expect(b.coefficients[1]).toBeCloseTo(a.coefficients[1], 10);

    // And for a deficient design: x2 = x1 + 1 with x2 in micro-units.
    const mot: Data = {
      intercept: true,
      x: [Float64Array.of(1, 2, 3, 4, 5), Float64Array.of(2, 3, 4, 5, 6).map((v) => v * 1e6)],
      y: Float64Array.of(3, 5, 7, 9, 11),
    };
    const s = solve(factorOf(mot), { aliased: 'drop' });
    expect(s.rank).toBe(2);
    expect(s.aliased).toEqual([2]);
    const terms = new Map(s.relations[0].terms.map((t) => [t.column, t.coef]));
    expect(terms.get(0)).toBeCloseTo(1e6, 4);
    expect(terms.get(1)).toBeCloseTo(1e6, 4);
  });
});

describe('weighted OLS', () => {
  it('matches the exact weighted least squares, covariance included', () => {
    const d = randomData(8, 60, 3);
    const rng = createRandom(9);
    const w = Float64Array.from({ length: 60 }, (_, i) =>
      i % 7 === 0 ? 0 : 0.1 + 3 * nextFloat64(rng),
    );
    const s = solve(factorOf({ ...d, w }));
    const exact = exactLeastSquares({ design: [ones(60), ...d.x], y: d.y, w });
    exact.beta.forEach((v, j) => {
      expect(Math.abs(s.coefficients[j] - v)).toBeLessThan(1e-13 * Math.max(1, Math.abs(v)));
    });
    exact.covDiag.forEach((v, j) => {
      expect(Math.abs(s.covUnscaled[j * 4 + j] / v - 1)).toBeLessThan(1e-12);
    });
    expect(Math.abs(s.rss / exact.rss - 1)).toBeLessThan(1e-12);
    // 9 of the 60 rows have weight 0.
    expect(s.residualDf).toBe(60 - 9 - 4);
  });
});

describe('variance inflation factors', () => {
  function bruteForceVif(design: Float64Array[], j: number, centered: boolean): number {
    const others = design.filter((_, i) => i !== j);
    const fit = exactLeastSquares({ design: others, y: design[j] });
    const col = design[j];
    const mean = centered ? col.reduce((a, b) => a + b, 0) / col.length : 0;
    const ss = col.reduce((a, b) => a + (b - mean) ** 2, 0);
    return ss / fit.rss;
  }

  it('with an intercept: 1/(1 − R²ⱼ) from centered regressions on the other columns', () => {
    const p = longleyLike();
    const s = solve(factorOf(p));
    expect(Number.isNaN(s.vif[0])).toBe(true);
    const design = designColumns(p);
    for (let j = 1; j < design.length; j++) {
      expect(Math.abs(s.vif[j] / bruteForceVif(design, j, true) - 1)).toBeLessThan(1e-8);
    }
  });

  it('without an intercept: uncentered (as statsmodels on a design without a constant)', () => {
    const d = randomData(21, 30, 3, false);
    const s = solve(factorOf(d));
    for (let j = 0; j < 3; j++) {
      expect(Math.abs(s.vif[j] / bruteForceVif([...d.x], j, false) - 1)).toBeLessThan(1e-10);
    }
  });
});

describe('warnings and validation', () => {
  it('warns when a normal-equations factor may have lost more than 8 digits', () => {
    const normal = factorOf(filipLike(), 'normal');
    expect(normal.digitsLostEstimate).toBeGreaterThan(8);
    const s = solve(normal);
    expect(s.warnings.some((w) => w.includes('--solver qr') && w.includes('digits'))).toBe(true);
    expect(solve(factorOf(filipLike())).warnings).toEqual([]);
    expect(solve(factorOf(randomData(2, 40, 2), 'normal')).warnings).toEqual([]);
  });

  it('rejects invalid options with an error naming the option', () => {
    const f = factorOf(randomData(1, 20, 2));
    const bad = [
      [{ ridge: -1 }, 'ridge'],
      [{ ridge: Number.NaN }, 'ridge'],
      [{ rankTolerance: 2 }, 'rankTolerance'],
      [{ gcvGrid: { min: 0, max: 1, count: 5 } }, 'gcvGrid'],
      [{ gcvGrid: { min: 1, max: 2, count: 0 } }, 'gcvGrid.count'],
    ] as const;
    for (const [options, name] of bad) {
      expect(() => solve(f, options)).toThrow(SolveOptionError);
      try {
        solve(f, options);
      } catch (e) {
        expect((e as SolveOptionError).option).toBe(name);
      }
    }
  });

  it('rejects a factor whose size does not match its spec or holds non-finite values', () => {
    const f = factorOf(randomData(1, 20, 2));
    expect(() => solve({ ...f, k: 3 })).toThrow(NumericInputError);
    const r = f.r.slice();
    r[1] = Number.POSITIVE_INFINITY;
    expect(() => solve({ ...f, r })).toThrow(/infinite or NaN/);
  });
});
