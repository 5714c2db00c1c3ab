import { SpecError } from '@linreg/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sgdSolution } from '../../../../packages/core/src/engine/sgd/sgd-solution.js';
import {
  createAccumulator,
  finalizeAccumulator,
  mergeAccumulators,
  updateAccumulator,
} from '../../../../packages/core/src/numerics/accumulate/index.js';
import {
  createRandom,
  nextGaussian,
  toOriginal,
} from '../../../../packages/core/src/numerics/sgd/index.js';
import type { SolveOptions } from '../../../../packages/core/src/numerics/solve/index.js';
import { solve } from '../../../../packages/core/src/numerics/solve/index.js';
import type { DesignBatch } from '../../../../packages/core/src/numerics/types.js';
import { type SgdTestSpec, sgdOn } from './sgd-on.js';

/** The exact answer through the QR accumulator and the solver (the reference). */
function exact(
  units: readonly DesignBatch[],
  intercept: boolean,
  options: SolveOptions = {},
): Float64Array {
  const p = units[0].x.length;
  const weighted = units[0].w !== undefined;
  const states = units.map((u) => {
    const s = createAccumulator({ kind: 'qr', p, intercept, weighted });
    updateAccumulator(s, u);
    return s;
  });
  return solve(finalizeAccumulator(states.reduce((a, b) => mergeAccumulators(a, b))), options)
    .coefficients;
}

function relativeError(a: Float64Array, b: Float64Array): number {
  let d = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    s += b[i] ** 2;
  }
  return Math.sqrt(d / s);
}

/** n rows split into `units` units: x_j ~ offset + scale·N(0,1), y = 1 + Σ β_j x_j + noise·N(0,1). */
function generate(
  n: number,
  p: number,
  units: number,
  noise: number,
  seed: number,
  weighted = false,
): DesignBatch[] {
  const rng = createRandom(seed);
  const beta = Array.from({ length: p }, (_, j) => (j % 2 === 0 ? 1 : -0.5) * (1 + j / p));
  const out: DesignBatch[] = [];
  for (let u = 0; u < units; u++) {
    const rows = Math.floor(((u + 1) * n) / units) - Math.floor((u * n) / units);
    const x = Array.from({ length: p }, (_, j) =>
      Float64Array.from({ length: rows }, () => j - 2 + (1 + (j % 3)) * nextGaussian(rng)),
    );
    const y = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      let v = 1 + noise * nextGaussian(rng);
      for (let j = 0; j < p; j++) v += beta[j] * x[j][i];
      y[i] = v;
    }
    const w = weighted
      ? Float64Array.from({ length: rows }, (_, i) => 0.25 + ((i * 7 + u) % 5))
      : undefined;
    out.push({ rows, x, y, w });
  }
  return out;
}

const toy: DesignBatch = {
  rows: 5,
  x: [new Float64Array([1, 2, 3, 4, 5]), new Float64Array([2, 3, 4, 5, 6])],
  y: new Float64Array([3, 5, 7, 9, 11]),
};

describe('fitSgd on the motivating collinear data (x2 = x1 + 1)', () => {
  const cases: { name: string; spec: Partial<SgdTestSpec> }[] = [
    { name: 'SGD, default step', spec: { optimizer: 'sgd' } },
    { name: 'SGD, one row per step', spec: { optimizer: 'sgd', batchSize: 1 } },
    { name: 'Adam, default step', spec: { optimizer: 'adam' } },
    {
      name: 'Adam, learning rate 0.1 as in the Keras story',
      spec: { optimizer: 'adam', learningRate: 0.1 },
    },
  ];
  for (const { name, spec } of cases) {
    it(`${name}: from zero to the minimum-norm solution x1 = 1, x2 = 1, intercept = 0, aliasing reported`, async () => {
      const fit = await sgdOn([toy], {
        p: 2,
        epochs: 2000,
        tol: 1e-10,
        ...spec,
      });
      expect(fit.status).toBe('converged');
      expect(fit.coefficients[0]).toBeCloseTo(0, 6);
      expect(fit.coefficients[1]).toBeCloseTo(1, 6);
      expect(fit.coefficients[2]).toBeCloseTo(1, 6);
      expect(fit.rank).toBe(2);
      expect(fit.aliased).toEqual([2]);
      const relation = fit.relations[0];
      expect(relation.column).toBe(2);
      const terms = [...relation.terms].sort((a, b) => a.column - b.column);
      expect(terms.map((t) => t.column)).toEqual([0, 1]);
      expect(terms[0].coef).toBeCloseTo(1, 10);
      expect(terms[1].coef).toBeCloseTo(1, 10);
      expect(fit.exact?.relativeError).toBeLessThan(1e-6);
      expect(fit.gradientNorm).toBeLessThan(1e-6);
      expect(fit.meanSquaredError).toBeLessThan(1e-12);
    });
  }

  it('becomes a Solution for the model layer: min-norm as the exact solver, or R’s drop form', async () => {
    const fit = await sgdOn([toy], { p: 2, epochs: 2000, tol: 1e-10 });
    const minNorm = sgdSolution(fit, 'min-norm', false);
    expect(minNorm.status).toBe('rank-deficient');
    expect(minNorm.rank).toBe(2);
    expect(Array.from(minNorm.coefficients).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([
      0, 1, 1,
    ]);
    expect(minNorm.rss).toBeLessThan(1e-10);
    expect(minNorm.warnings.some((w) => w.startsWith('sgd (sgd)'))).toBe(true);
    const dropped = sgdSolution(fit, 'drop', false);
    // lm(y ~ x1 + x2) on these rows: (Intercept) 1, x1 2, x2 NA.
    expect(dropped.aliasedPolicy).toBe('drop');
    expect(dropped.coefficients[0]).toBeCloseTo(1, 6);
    expect(dropped.coefficients[1]).toBeCloseTo(2, 6);
    expect(Number.isNaN(dropped.coefficients[2])).toBe(true);
    const unchecked = await sgdOn([toy], { p: 2, epochs: 50, check: false });
    // Without the check there is no covariance: the solution says so and has no standard errors.
    const uncheckedSolution = sgdSolution(unchecked, 'min-norm', false);
    expect(uncheckedSolution.covUnscaled.every((v) => Number.isNaN(v))).toBe(true);
    expect(uncheckedSolution.warnings.some((w) => /check/.test(w))).toBe(true);
  });

  it('without the exact check it still lands on the minimum-norm answer but claims no rank', async () => {
    const fit = await sgdOn([toy], {
      p: 2,
      epochs: 2000,
      tol: 1e-10,
      check: false,
    });
    expect(Array.from(fit.coefficients).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0, 1, 1]);
    expect(fit.rank).toBeUndefined();
    expect(fit.exact).toBeUndefined();
  });
});

describe('fitSgd: minimum norm in original units when standardization changes it', () => {
  it('projects to the exact solver’s minimum-norm solution (x3 = 2·x1 − 0.5·x2 + 3)', async () => {
    const units = generate(4000, 2, 2, 0.5, 7).map((u) => {
      const x3 = u.x[0].map((v, i) => 2 * v - 0.5 * u.x[1][i] + 3);
      return { ...u, x: [u.x[0], u.x[1], x3] };
    });
    const reference = exact(units, true);
    const fit = await sgdOn(units, { p: 3, epochs: 40, tol: 1e-12 });
    expect(fit.rank).toBe(3);
    expect(fit.aliased).toEqual([3]);
    expect(relativeError(fit.coefficients, reference)).toBeLessThan(1e-6);
    // The standardized iterate alone is a different (non-minimum-norm) least-squares solution.
    expect(relativeError(toOriginal(fit.theta, fit.standardization), reference)).toBeGreaterThan(
      1e-3,
    );
  });

  it('a constant column without the exact check is reported as aliased with the intercept and split by min-norm', async () => {
    const units = generate(2000, 2, 2, 0.3, 8).map((u) => ({
      ...u,
      x: [u.x[0], new Float64Array(u.rows).fill(2), u.x[1]],
    }));
    const reference = exact(units, true);
    const fit = await sgdOn(units, {
      p: 3,
      epochs: 40,
      tol: 1e-12,
      check: false,
    });
    expect(fit.constantColumns).toEqual([2]);
    expect(fit.aliased).toEqual([2]);
    expect(fit.relations).toEqual([{ column: 2, terms: [{ column: 0, coef: 2 }] }]);
    expect(relativeError(fit.coefficients, reference)).toBeLessThan(1e-6);
  });
});

describe('fitSgd matches the exact solver on well-conditioned data', () => {
  const units = generate(20_000, 6, 4, 1, 11);
  for (const optimizer of ['sgd', 'adam'] as const) {
    it(`${optimizer}: relative error < 1e-6 within 10 epochs, shrinking from epoch to epoch`, async () => {
      const fit = await sgdOn(units, {
        p: 6,
        optimizer,
        epochs: 10,
        tol: 1e-9,
      });
      const reference = exact(units, true);
      expect(relativeError(fit.coefficients, reference)).toBeLessThan(1e-6);
      expect(fit.exact?.relativeError).toBeLessThan(1e-6);
      const errors = fit.history.map((h) => h.epochAverageRelativeError ?? Number.NaN);
      expect(errors[errors.length - 1]).toBeLessThan(errors[0] / 100);
      expect(fit.history.every((h) => Number.isFinite(h.start.gradientNorm))).toBe(true);
      expect(fit.rows).toEqual({ read: 20_000, used: 20_000, dropped: 0 });
    });
  }

  it('ridge: the same objective as solve({ ridge, standardize }) for both penalty scales', async () => {
    for (const standardize of [true, false]) {
      const fit = await sgdOn(units, {
        p: 6,
        ridge: 2000,
        standardize,
        epochs: 12,
        tol: 1e-10,
      });
      const reference = exact(units, true, { ridge: 2000, standardize });
      expect(relativeError(fit.coefficients, reference)).toBeLessThan(1e-6);
      // The penalty matters at this λ: the OLS answer is far away.
      expect(relativeError(exact(units, true), reference)).toBeGreaterThan(1e-3);
    }
  });

  it('weighted least squares and a model without intercept', async () => {
    const weighted = generate(8000, 4, 3, 1, 12, true);
    const wls = await sgdOn(weighted, {
      p: 4,
      weighted: true,
      epochs: 12,
      tol: 1e-10,
    });
    expect(relativeError(wls.coefficients, exact(weighted, true))).toBeLessThan(1e-6);
    const noIntercept = await sgdOn(weighted, {
      p: 4,
      weighted: true,
      intercept: false,
      epochs: 12,
      tol: 1e-10,
    });
    expect(noIntercept.coefficients.length).toBe(4);
    expect(relativeError(noIntercept.coefficients, exact(weighted, false))).toBeLessThan(1e-6);
  });
});

describe('fitSgd: averaging and determinism', () => {
  it('on noisy data the averaged iterate is closer to the exact answer than the last iterate', async () => {
    const units = generate(20_000, 5, 4, 3, 13);
    const fit = await sgdOn(units, {
      p: 5,
      epochs: 2,
      tol: 0,
      varianceReduction: 'none',
      learningRate: 0.2,
    });
    const { relativeError: averaged, lastIterateRelativeError: last } = fit.exact ?? {};
    expect(averaged).toBeLessThan((last ?? 0) / 3);
  });

  it('gives identical bits for any assignment of units to workers', async () => {
    const units = generate(6000, 4, 6, 1, 14);
    const assignments = [
      undefined,
      [
        [0, 1, 2],
        [3, 4, 5],
      ],
      [
        [5, 3, 1],
        [4, 2, 0],
      ],
      [[2], [0], [5, 1], [3, 4]],
    ];
    const fits = [];
    for (const optimizer of ['sgd', 'adam'] as const) {
      for (const workers of assignments) {
        fits.push({
          optimizer,
          fit: await sgdOn(
            units,
            { p: 4, optimizer, epochs: 4, tol: 0, seed: 3 },
            workers === undefined ? {} : { workers },
          ),
        });
      }
    }
    for (const { optimizer, fit } of fits) {
      const first = fits.find((f) => f.optimizer === optimizer)?.fit;
      expect(Array.from(fit.coefficients)).toEqual(Array.from(first?.coefficients ?? []));
      expect(fit.history).toEqual(first?.history);
    }
    // A different seed is a different row order, hence different bits.
    const other = await sgdOn(units, { p: 4, epochs: 4, tol: 0, seed: 4 });
    expect(Array.from(other.coefficients)).not.toEqual(Array.from(fits[0].fit.coefficients));
  });

  it('any unit→worker assignment gives the same bits (fast-check, fixed seed)', async () => {
    const units = generate(1500, 2, 5, 1, 18);
    const reference = await sgdOn(units, { p: 2, epochs: 3, tol: 0 });
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray([0, 1, 2, 3, 4], { minLength: 5, maxLength: 5 }),
        fc.integer({ min: 1, max: 4 }),
        async (order, workers) => {
          const assignment = Array.from({ length: workers }, (_, w) =>
            order.filter((_, i) => i % workers === w),
          );
          const fit = await sgdOn(units, { p: 2, epochs: 3, tol: 0 }, { workers: assignment });
          expect(Array.from(fit.coefficients)).toEqual(Array.from(reference.coefficients));
        },
      ),
      { seed: 20261129, numRuns: 10 },
    );
  });

  it('halves a learning rate that diverges, and says so', async () => {
    const units = generate(2000, 3, 2, 1, 15);
    const fit = await sgdOn(units, {
      p: 3,
      learningRate: 40,
      epochs: 30,
      tol: 1e-10,
    });
    expect(fit.warnings.some((w) => w.includes('diverged'))).toBe(true);
    expect(fit.learningRate).toBeLessThan(40);
    expect(relativeError(fit.coefficients, exact(units, true))).toBeLessThan(1e-6);
  });

  it('decays the step size per epoch and can check against the QR route', async () => {
    const units = generate(4000, 3, 2, 1, 16);
    const fit = await sgdOn(units, {
      p: 3,
      learningRate: 0.2,
      decay: 0.5,
      epochs: 4,
      tol: 0,
      checkKind: 'qr',
    });
    expect(fit.history.map((h) => h.learningRate)).toEqual([0.2, 0.2 / 1.5, 0.2 / 2, 0.2 / 2.5]);
    expect(fit.exact?.factor.spec.kind).toBe('qr');
    expect(fit.exact?.relativeError).toBeLessThan(1e-3);
  });

  it('handles an intercept-only model, empty units and a constant target', async () => {
    const y = new Float64Array([1, 2, 3, 4]);
    const meanOnly = await sgdOn([{ rows: 4, x: [], y }], { p: 0, epochs: 50 });
    expect(meanOnly.status).toBe('converged');
    expect(meanOnly.coefficients[0]).toBeCloseTo(2.5, 6);
    const empty: DesignBatch = { rows: 0, x: [new Float64Array(0)], y: new Float64Array(0) };
    const x = new Float64Array([1, 2, 3, 5]);
    const withEmpty = await sgdOn([empty, { rows: 4, x: [x], y }, empty], {
      p: 1,
      epochs: 200,
      tol: 1e-12,
    });
    expect(
      relativeError(withEmpty.coefficients, exact([{ rows: 4, x: [x], y }], true)),
    ).toBeLessThan(1e-6);
    const flat = await sgdOn([{ rows: 4, x: [x], y: new Float64Array(4).fill(2) }], {
      p: 1,
    });
    expect(Array.from(flat.coefficients)).toEqual([2, 0]);
    await expect(sgdOn([empty], { p: 1 })).rejects.toThrow(/no usable rows/);
  });

  it('reads weights only when the spec names them, and refuses a weights column that is not there', async () => {
    // Columns are chosen by name, so rows cannot disagree with the spec: weights present
    // but not asked for are not read (an unweighted fit), and asked-for weights must exist.
    const weighted = generate(100, 2, 1, 1, 17, true);
    const unweighted = await sgdOn(weighted, { p: 2, epochs: 2 });
    expect(unweighted.rowsPositiveWeight).toBe(100);
    expect(unweighted.standardization.sumWeights).toBe(100);
    const plain = generate(100, 2, 1, 1, 17);
    await expect(sgdOn(plain, { p: 2, weighted: true })).rejects.toThrow(/w: .*no such column/);
  });

  it('validates the spec with errors naming the option', async () => {
    await expect(sgdOn([toy], { p: 2, learningRate: -1 })).rejects.toThrow(SpecError);
    await expect(sgdOn([toy], { p: 2, batchSize: 0 })).rejects.toThrow(/batchSize/);
    await expect(sgdOn([toy], { p: 2, ridge: Number.NaN })).rejects.toThrow(/ridge/);
    await expect(sgdOn([toy], { p: 2, optimizer: 'lbfgs' as 'sgd' })).rejects.toThrow(/optimizer/);
  });
});
