/**
 * Ridge and GCV against independent references: the exact rational solution
 * of the penalized normal equations (support/rational.ts), scikit-learn's
 * recipe (StandardScaler, then Ridge, then map back) done by hand, and a
 * brute-force GCV from explicit hat-matrix traces.
 */
import { describe, expect, it } from 'vitest';
import {
  createRandom,
  nextFloat64,
  nextGaussian,
} from '../../../../packages/core/src/numerics/sgd/index.js';
import { solve } from '../../../../packages/core/src/numerics/solve/index.js';
import { type Data, factorOf } from '../../support/factor-of.js';
import { exactLeastSquares } from '../../support/rational.js';

function data(seed: number, n: number, p: number, intercept: boolean, weighted: boolean): Data {
  const rng = createRandom(seed);
  const x = Array.from({ length: p }, (_, j) =>
    Float64Array.from({ length: n }, () => (j + 1) * 3 * nextGaussian(rng) + 10 * j),
  );
  for (let i = 0; i < n; i++) x[p - 1][i] += 0.9 * x[0][i];
  const y = Float64Array.from(
    { length: n },
    (_, i) => 5 + 0.5 * x[0][i] - 0.2 * x[1][i] + 0.1 * x[p - 1][i] + nextGaussian(rng),
  );
  const w = weighted
    ? Float64Array.from({ length: n }, () => 0.25 + 2 * nextFloat64(rng))
    : undefined;
  return { intercept, x, y, w };
}

function design(d: Data): Float64Array[] {
  const n = d.y.length;
  return d.intercept ? [new Float64Array(n).fill(1), ...d.x] : [...d.x];
}

const relErr = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

/** Dense (A)⁻¹ by Gauss–Jordan with partial pivoting (small, well-conditioned A). */
function inverse(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
    [m[c], m[piv]] = [m[piv], m[c]];
    const d = m[c][c];
    for (let j = 0; j < 2 * n; j++) m[c][j] /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c];
      for (let j = 0; j < 2 * n; j++) m[r][j] -= f * m[c][j];
    }
  }
  return m.map((row) => row.slice(n));
}

/** XᵀWX and the penalty diagonal of the documented objective, in double. */
function gramAndPenalty(d: Data, lambda: number, standardize: boolean) {
  const cols = design(d);
  const n = d.y.length;
  const m = cols.length;
  const w = d.w ?? new Float64Array(n).fill(1);
  const sw = w.reduce((a, b) => a + b, 0);
  const g = Array.from({ length: m }, (_, a) =>
    Array.from({ length: m }, (_, b) =>
      cols[a].reduce((acc, v, i) => acc + w[i] * v * cols[b][i], 0),
    ),
  );
  const pen = cols.map((col, j) => {
    if (d.intercept && j === 0) return 0;
    if (!standardize) return lambda;
    const mean = d.intercept ? col.reduce((acc, v, i) => acc + w[i] * v, 0) / sw : 0;
    return (lambda * col.reduce((acc, v, i) => acc + w[i] * (v - mean) ** 2, 0)) / sw;
  });
  return { cols, g, pen, w };
}

describe('ridge against the exact penalized normal equations', () => {
  for (const intercept of [true, false]) {
    for (const weighted of [false, true]) {
      for (const standardize of [false, true]) {
        it(`intercept=${intercept} weighted=${weighted} standardize=${standardize}: 1e-10 relative`, () => {
          const d = data(
            100 + Number(intercept) * 4 + Number(weighted) * 2 + Number(standardize),
            50,
            3,
            intercept,
            weighted,
          );
          const lambda = 37.5;
          const s = solve(factorOf(d), { ridge: lambda, standardize });
          const exact = exactLeastSquares({
            design: design(d),
            y: d.y,
            w: d.w,
            ridge: { lambda, standardize, intercept },
          });
          expect(s.lambda).toBe(lambda);
          expect(s.standardized).toBe(standardize);
          exact.beta.forEach((b, j) => {
            expect(relErr(s.coefficients[j], b)).toBeLessThan(1e-10);
          });
          expect(relErr(s.rss, exact.rss)).toBeLessThan(1e-10);
          // Shrinkage actually happened: the OLS answer differs.
          const ols = solve(factorOf(d));
          expect(
            relErr(ols.coefficients[intercept ? 1 : 0], s.coefficients[intercept ? 1 : 0]),
          ).toBeGreaterThan(1e-4);
        });
      }
    }
  }

  it("standardize=true equals scikit-learn's recipe: StandardScaler, Ridge(alpha=λ), map back", () => {
    const d = data(7, 40, 3, true, false);
    const n = 40;
    const lambda = 4;
    const means = d.x.map((c) => c.reduce((a, b) => a + b, 0) / n);
    const sds = d.x.map((c, j) => Math.sqrt(c.reduce((a, b) => a + (b - means[j]) ** 2, 0) / n));
    const z = d.x.map((c, j) => c.map((v) => (v - means[j]) / sds[j]));
    const onScaled = solve(factorOf({ intercept: true, x: z, y: d.y }), { ridge: lambda });
    const direct = solve(factorOf(d), { ridge: lambda, standardize: true });
    for (let j = 0; j < 3; j++) {
      expect(
        relErr(direct.coefficients[j + 1], onScaled.coefficients[j + 1] / sds[j]),
      ).toBeLessThan(1e-11);
    }
    const intercept =
      onScaled.coefficients[0] -
      means.reduce((a, mu, j) => a + (mu * onScaled.coefficients[j + 1]) / sds[j], 0);
    expect(relErr(direct.coefficients[0], intercept)).toBeLessThan(1e-11);
  });

  it('reports the sandwich covariance and the hat-matrix trace as model df', () => {
    const d = data(9, 30, 3, true, true);
    const lambda = 12;
    const s = solve(factorOf(d), { ridge: lambda });
    const { g, pen } = gramAndPenalty(d, lambda, false);
    const hinv = inverse(g.map((row, i) => row.map((v, j) => v + (i === j ? pen[i] : 0))));
    const m = 4;
    const mul = (a: number[][], b: number[][]) =>
      a.map((row) => b[0].map((_, j) => row.reduce((acc, v, l) => acc + v * b[l][j], 0)));
    const sandwich = mul(mul(hinv, g), hinv);
    const hg = mul(hinv, g);
    const trace = hg.reduce((acc, row, i) => acc + row[i], 0);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++)
        expect(relErr(s.covUnscaled[i * m + j], sandwich[i][j])).toBeLessThan(1e-9);
    }
    expect(s.modelDf).toBeCloseTo(trace, 10);
    expect(s.modelDf).toBeLessThan(4);
    expect(s.modelDf).toBeGreaterThan(1);
  });
});

describe("lambda = 'auto' (generalized cross-validation)", () => {
  function bruteForceGcv(d: Data, lambda: number, standardize: boolean): number {
    const { cols, g, pen, w } = gramAndPenalty(d, lambda, standardize);
    const hinv = inverse(g.map((row, i) => row.map((v, j) => v + (i === j ? pen[i] : 0))));
    // tr(H) = Σᵢ wᵢ xᵢᵀ (XᵀWX + P)⁻¹ xᵢ, row by row.
    let trace = 0;
    const n = d.y.length;
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < cols.length; a++) {
        for (let b = 0; b < cols.length; b++) trace += w[i] * cols[a][i] * hinv[a][b] * cols[b][i];
      }
    }
    const rss = exactLeastSquares({
      design: cols,
      y: d.y,
      w: d.w,
      ridge: { lambda, standardize, intercept: d.intercept },
    }).rss;
    return (n * rss) / (n - trace) ** 2;
  }

  for (const [intercept, standardize] of [
    [true, false],
    [true, true],
    [false, true],
  ] as const) {
    it(`intercept=${intercept} standardize=${standardize}: polishes the minimum of its curve, which matches brute force`, () => {
      const d = data(31, 25, 4, intercept, true);
      const s = solve(factorOf(d), { ridge: 'auto', standardize });
      const gcv = s.gcv;
      expect(gcv).toBeDefined();
      if (gcv === undefined) return;
      // The default grid spans the spectrum at 8 points a decade (at least 61).
      expect(gcv.lambdas.length).toBeGreaterThanOrEqual(61);
      const best = gcv.scores.indexOf(Math.min(...gcv.scores));
      // Polished between the best grid point's neighbours, and no worse than the grid.
      expect(gcv.chosen).toBeGreaterThanOrEqual(gcv.lambdas[Math.max(best - 1, 0)]);
      expect(gcv.chosen).toBeLessThanOrEqual(
        gcv.lambdas[Math.min(best + 1, gcv.lambdas.length - 1)],
      );
      expect(bruteForceGcv(d, gcv.chosen, standardize)).toBeLessThanOrEqual(
        gcv.scores[best] * (1 + 1e-12),
      );
      expect(s.lambda).toBe(gcv.chosen);
      for (let i = 1; i < gcv.lambdas.length; i++)
        expect(gcv.lambdas[i]).toBeGreaterThan(gcv.lambdas[i - 1]);
      // Every 10th grid point, and the chosen one, against brute force.
      for (let i = 0; i < gcv.lambdas.length; i += 10) {
        expect(relErr(gcv.scores[i], bruteForceGcv(d, gcv.lambdas[i], standardize))).toBeLessThan(
          1e-8,
        );
      }
      expect(
        relErr(gcv.scores[best], bruteForceGcv(d, gcv.lambdas[best], standardize)),
      ).toBeLessThan(1e-8);
      // The reported fit is the ridge fit at the chosen λ.
      const fixed = solve(factorOf(d), { ridge: gcv.chosen, standardize });
      expect(Array.from(s.coefficients)).toEqual(Array.from(fixed.coefficients));
      expect(s.modelDf).toBeCloseTo(fixed.modelDf, 12);
    });
  }

  it('uses a caller grid in absolute units', () => {
    const d = data(5, 30, 3, true, false);
    const s = solve(factorOf(d), { ridge: 'auto', gcvGrid: { min: 0.1, max: 1000, count: 5 } });
    expect(Array.from(s.gcv?.lambdas ?? []).map((l) => Number(l.toPrecision(12)))).toEqual([
      0.1, 1, 10, 100, 1000,
    ]);
  });
});
