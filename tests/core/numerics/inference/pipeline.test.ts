/**
 * The real pipeline (accumulator → finalize → solve) feeding computeInference,
 * buildModel and predict, against the scipy references of inference.test.ts.
 * Tolerances are looser than there (1e-10 relative) because the factor now
 * comes from floating-point QR / Gram accumulation, not an exact solve.
 */
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../../../packages/core/src/model/build-model.js';
import { predict } from '../../../../packages/core/src/model/predict.js';
import {
  createAccumulator,
  finalizeAccumulator,
  updateAccumulator,
} from '../../../../packages/core/src/numerics/accumulate/index.js';
import { computeInference } from '../../../../packages/core/src/numerics/inference/index.js';
import type { SolveOptions } from '../../../../packages/core/src/numerics/solve/index.js';
import { solve } from '../../../../packages/core/src/numerics/solve/index.js';
import type { AccumulatorKind } from '../../../../packages/core/src/numerics/types.js';
import { threeFeatures, weightedWithZero } from '../../model/model-reference.js';
import type { ReferenceProblem } from './reference.js';

function pipeline(problem: ReferenceProblem, kind: AccumulatorKind, options: SolveOptions = {}) {
  const p = problem.x[0].length;
  const state = createAccumulator({
    kind,
    p,
    intercept: problem.intercept,
    weighted: problem.w !== undefined,
  });
  updateAccumulator(state, {
    rows: problem.y.length,
    x: Array.from({ length: p }, (_, j) => Float64Array.from(problem.x, (r) => r[j])),
    y: Float64Array.from(problem.y),
    w: problem.w === undefined ? undefined : Float64Array.from(problem.w),
  });
  const factor = finalizeAccumulator(state);
  const solution = solve(factor, options);
  return { factor, solution, inference: computeInference(factor, solution) };
}

function expectRel(actual: number, expected: number, tol: number, label: string): void {
  const bound = tol * Math.abs(expected);
  expect(
    Math.abs(actual - expected) <= bound,
    `${label}: expected ${expected}, got ${actual}`,
  ).toBe(true);
}

describe.each(['qr', 'normal'] as const)('pipeline with the %s accumulator', (kind) => {
  it('three features: summary.lm values (scipy references)', () => {
    const { inference: inf } = pipeline(threeFeatures, kind);
    const se = [0.8183598614898513, 0.13780075126952487, 0.16001408673529188, 0.11325260654411423];
    const p = [
      5.783017233357723e-4, 8.876488892006281e-8, 0.0032902586576016276, 4.129423118970497e-5,
    ];
    se.forEach((v, j) => {
      expectRel(inf.stdError[j], v, 1e-10, `se[${j}]`);
      expectRel(inf.pValue[j], p[j], 1e-8, `p[${j}]`);
    });
    expectRel(inf.rSquared, 0.9955765473544752, 1e-12, 'R²');
    expectRel(inf.fStatistic, 600.1806746210356, 1e-9, 'F');
    expectRel(inf.logLik, -13.625817929855273, 1e-10, 'logLik');
    expectRel(inf.bic, 39.67616910865055, 1e-10, 'bic');
  });

  it('weighted with a zero weight: n, logLik and AIC as R / statsmodels', () => {
    const problem = weightedWithZero;
    const { inference: inf } = pipeline(problem, kind);
    expect(inf.n).toBe(8);
    expect(inf.residualDf).toBe(5);
    expectRel(inf.sigma, 0.7080732746390382, 1e-10, 'sigma');
    expectRel(inf.logLik, -5.813952450913993, 1e-10, 'logLik');
    expectRel(inf.aic, 19.627904901827986, 1e-10, 'aic');
  });

  it('no intercept: uncentered R² and F on rank df', () => {
    const problem: ReferenceProblem = {
      x: [1, 2, 3, 4, 5, 6, 7, 8].map((v) => [v]),
      y: [2, 3, 7, 8, 9, 13, 14, 15],
      intercept: false,
    };
    const { inference: inf } = pipeline(problem, kind);
    expectRel(inf.rSquared, 0.9939478928334194, 1e-12, 'R²');
    expectRel(inf.fStatistic, 1149.6219512195119, 1e-9, 'F');
    expect(inf.fDf1).toBe(1);
  });

  it('ridge (λ = 2.5, intercept unpenalized): sandwich SE on n − tr H df, flagged approximate', () => {
    // numpy: A = [1 X]; P = AᵀA + 2.5·diag(0,1,1,1); β = P⁻¹Aᵀy; S = P⁻¹AᵀAP⁻¹;
    // edf = tr(P⁻¹AᵀA) = 3.848142348696223; SE = √(rss/(n − edf)·diag S).
    const { inference: inf } = pipeline(threeFeatures, kind, { ridge: 2.5 });
    const se = [0.79344696, 0.12511173, 0.14487665, 0.10590036];
    se.forEach((v, j) => {
      expectRel(inf.stdError[j], v, 1e-7, `se[${j}]`);
    });
    expectRel(inf.residualDf, 12 - 3.848142348696223, 1e-10, 'residual df');
    expectRel(inf.fDf1, 2.848142348696223, 1e-10, 'F df1');
    expect(inf.approximate).toBe(true);
  });

  it('the DESIGN toy set: drop reports x2 = x1 + 1·(Intercept), min-norm gives w = (1, 1), b = 0', () => {
    const toy: ReferenceProblem = {
      x: [
        [1, 2],
        [2, 3],
        [3, 4],
        [4, 5],
        [5, 6],
      ],
      y: [3, 5, 7, 9, 11],
      intercept: true,
    };
    const dropped = pipeline(toy, kind, { aliased: 'drop' });
    const model = buildModel({
      ...dropped,
      names: { target: 'y', features: ['x1', 'x2'] },
      rows: { read: 5, used: 5, dropped: 0 },
      solver: kind,
    });
    expect(model.rank).toBe(2);
    expect(model.aliased.map((a) => a.relation)).toEqual(['x2 = x1 + 1·(Intercept)']);
    expect(model.coefficients[2].estimate).toBeNaN();
    expect(model.statistics.fDf1).toBe(1);

    const minNorm = pipeline(toy, kind);
    const b = minNorm.solution.coefficients;
    [0, 1, 1].forEach((v, j) => {
      expect(Math.abs(b[j] - v), `β[${j}] = ${b[j]}`).toBeLessThan(1e-9);
    });
    const mnModel = buildModel({
      ...minNorm,
      names: { target: 'y', features: ['x1', 'x2'] },
      rows: { read: 5, used: 5, dropped: 0 },
      solver: kind,
    });
    const x1 = Float64Array.of(1, 2, 3, 4, 5, 10);
    const x2 = Float64Array.from(x1, (v) => v + 1);
    for (const m of [model, mnModel]) {
      const { fit } = predict(m, { rows: 6, columns: [x1, x2] });
      Array.from(fit).forEach((f, i) => {
        expect(Math.abs(f - (2 * x1[i] + 1))).toBeLessThan(1e-9);
      });
    }
  });
});
