/** Test helper: fitted models built from the exact references of inference-reference.ts. */
import { buildModel } from '../../../packages/core/src/model/build-model.js';
import type { LinregModel } from '../../../packages/core/src/model/model.js';
import { computeInference } from '../../../packages/core/src/numerics/inference/index.js';
import type { Solution } from '../../../packages/core/src/numerics/solve/index.js';
import {
  type ReferenceProblem,
  referenceFactor,
  referenceSolution,
} from '../numerics/inference/reference.js';

export const FIXED_CLOCK = (): Date => new Date('2026-01-02T03:04:05.678Z');

/** Two features, weighted, one row with weight 0 (so n = 8 of 9 rows). */
export const weightedWithZero: ReferenceProblem = {
  x: [
    [1, 3],
    [2, 1],
    [3, 4],
    [4, 1],
    [5, 5],
    [6, 2],
    [7, 6],
    [8, 3],
    [9, 2],
  ],
  y: [5, 4, 9, 6, 12, 8, 15, 11, 10],
  w: [1, 2, 0.5, 3, 1, 4, 0, 0.25, 2],
  intercept: true,
};

export const threeFeatures: ReferenceProblem = {
  x: [
    [1, 4, 2],
    [2, 1, 7],
    [3, 5, 1],
    [4, 2, 8],
    [5, 7, 3],
    [6, 3, 9],
    [7, 8, 2],
    [8, 4, 6],
    [9, 9, 5],
    [10, 5, 10],
    [11, 6, 4],
    [12, 10, 11],
  ],
  y: [12, 15, 17, 24, 23, 30, 29, 33, 38, 42, 39, 51],
  intercept: true,
};

export function modelOf(
  problem: ReferenceProblem,
  features: readonly string[],
  options: { solution?: Solution; level?: number; weights?: string } = {},
): LinregModel {
  const factor = referenceFactor(problem);
  const solution = options.solution ?? referenceSolution(problem);
  const inference = computeInference(factor, solution, { level: options.level ?? 0.95 });
  return buildModel({
    factor,
    solution,
    inference,
    names: { target: 'y', features, weights: options.weights },
    rows: { read: problem.y.length + 2, used: problem.y.length, dropped: 2 },
    solver: 'qr',
    now: FIXED_CLOCK,
  });
}

/**
 * The README's motivating toy set with noise, fitted as R's lm does under `drop`:
 * x2 = x1 + 1 on every row, so x2 is aliased and its coefficient NaN. Also
 * returns the reduced problem (y ~ 1 + x1) and its exact solution.
 */
export function droppedAliasFit(): {
  readonly problem: ReferenceProblem;
  readonly reduced: ReferenceProblem;
  readonly small: Solution;
  readonly solution: Solution;
} {
  const x = [
    [1, 2],
    [2, 3],
    [3, 4],
    [4, 5],
    [5, 6],
  ];
  const y = [3, 5, 8, 9, 11];
  const reduced: ReferenceProblem = { x: x.map((r) => [r[0]]), y, intercept: true };
  const small = referenceSolution(reduced);
  const m = 3;
  const cov = new Float64Array(m * m).fill(Number.NaN);
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 2; j++) cov[i * m + j] = small.covUnscaled[i * 2 + j];
  const solution: Solution = {
    ...small,
    status: 'rank-deficient',
    m,
    coefficients: Float64Array.of(small.coefficients[0], small.coefficients[1], Number.NaN),
    rank: 2,
    aliasedPolicy: 'drop',
    aliased: [2],
    relations: [
      {
        column: 2,
        terms: [
          { column: 1, coef: 1 },
          { column: 0, coef: 1 },
        ],
      },
    ],
    covUnscaled: cov,
    vif: new Float64Array(m).fill(Number.NaN),
    conditionNumber: Number.POSITIVE_INFINITY,
    warnings: ['x2 is aliased: x2 = x1 + 1·(Intercept)'],
  };
  return { problem: { x, y, intercept: true }, reduced, small, solution };
}

/** The model of droppedAliasFit(). */
export function droppedAliasModel(): LinregModel {
  const { problem, solution } = droppedAliasFit();
  return modelOf(problem, ['x1', 'x2'], { solution });
}
