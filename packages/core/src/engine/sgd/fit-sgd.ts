/**
 * The epoch driver of averaged SGD / Adam: passes over the units through an
 * SgdRunner (in-process or a piscina pool), reduced in unit order.
 *
 * ## Algorithm
 *
 * 1. Statistics pass (statistics-pass.ts): weighted moments per column
 *    (moments.ts), merged in unit order (pairwise tree, reduce.ts) →
 *    standardization. With `check` (the default),
 *    the same pass feeds an exact `normal` accumulator whose factor gives the
 *    exact solution (solve.ts), the rank and the aliased columns, and the
 *    largest eigenvalue of the standardized Gram (for the default step size).
 * 2. Epochs: the parameters are broadcast; every unit runs the kernel
 *    (numerics/sgd.ts) from them over its own rows in a seeded order and
 *    returns its last iterate, its tail-averaged iterate and its row count.
 *    The epoch average is the row-weighted mean of the units' averaged
 *    iterates, summed in unit order (so the bits do not depend on the worker
 *    count or timing), and it is the next broadcast ("restart from the
 *    average"); Adam's moments are the row-weighted mean of the units' final
 *    ones. From epoch 3 on, the steps are SVRG steps (numerics/sgd.ts) with
 *    the start of the previous epoch as snapshot: every epoch task also
 *    returns its unit's full-batch gradient at the broadcast parameters, so
 *    the snapshot's exact gradient costs no extra pass over the files.
 *    The overall Polyak–Ruppert average is the mean of the epoch averages
 *    since the latest power-of-two epoch (1, 2, 4, 8, …): it always spans at
 *    least the later half of the epochs run, so the early transient is
 *    forgotten (tail averaging at the epoch level).
 * 3. Stop when the epoch average moves by less than `tol` relative to
 *    max(its norm, 1) — standardized units, where the target has unit
 *    variance, so a model with ‖θ‖ ≪ 1 (or only an intercept, θ ≈ 0) is
 *    judged on the absolute change — or after `epochs`. An epoch whose mean loss (standardized units)
 *    exceeds 4 — a zero model scores 1 — or whose parameters are not finite
 *    has diverged: it is redone with half the learning rate (a warning says
 *    so), at most 30 times. (The loss test needs plain steps; SVRG epochs
 *    only check finiteness — they follow two stable plain epochs at the
 *    same step size and have less gradient noise.)
 * 4. Evaluate pass (evaluate-candidates.ts): the exact full-batch objective
 *    and gradient of two candidates, the overall average and the last epoch
 *    average; the one with the smaller gradient norm is reported (the overall
 *    one wins when the iterates are noise-dominated, the last epoch's while
 *    they still converge geometrically, as under SVRG).
 * 5. Back to original units (standardize.ts). For an unpenalized,
 *    rank-deficient design the coefficients are projected to the
 *    minimum-norm solution with the same fitted values
 *    (min-norm-projection.ts), using the exact solver's alias relations
 *    (`check`) or, without it, the relations of constant columns to the
 *    intercept — which is why SGD from zero reports x1 = 1, x2 = 1,
 *    intercept = 0 on the motivating data, as the exact solver does.
 *
 * The default step size is in step-size.ts.
 */
import { FitError } from '@linreg/errors';
import type { SgdControl, SgdEpochOptions } from '../../numerics/sgd/index.js';
import {
  averageSgdParams,
  createSgdParams,
  objectiveAt,
  projectToMinimumNorm,
  type SgdParams,
  type Standardization,
  standardizedDimension,
  toOriginal,
} from '../../numerics/sgd/index.js';
import type { AliasRelation } from '../../numerics/solve/index.js';
import { collectPass, type PassContext } from '../run/pass.js';
import type { DesignRead } from '../tasks/protocol.js';
import { evaluateCandidates } from './evaluate-candidates.js';
import type { SgdEpochReport, SgdFit } from './sgd-result.js';
import type { SgdSettings } from './sgd-settings.js';
import { runStatisticsPass } from './statistics-pass.js';
import { defaultBatchSize, defaultLearningRate, standardizedGramNorm } from './step-size.js';
import { allFinite, distance, norm2, relativeDistance } from './vectors.js';

const MAX_HALVINGS = 30;
const DIVERGED_LOSS = 4;

/** Alias relations of features without spread: x_j = x̄_j·(Intercept). */
function constantRelations(std: Standardization): AliasRelation[] {
  if (!std.intercept) return [];
  const out: AliasRelation[] = [];
  for (let j = 0; j < std.p; j++) {
    if (std.constant[j] === 1)
      out.push({ column: j + 1, terms: [{ column: 0, coef: std.center[j] }] });
  }
  return out;
}

/** Fit by averaged SGD / Adam, each pass a pass of the engine over `ctx.source` (see the module comment). */
export async function fitSgd(ctx: PassContext, read: DesignRead, r: SgdSettings): Promise<SgdFit> {
  const warnings: string[] = [];

  // 1. Statistics pass.
  const statistics = await runStatisticsPass(ctx, read, r);
  const { std, factor, solution, rows, unitRows } = statistics;
  const batchSize = r.batchSize ?? defaultBatchSize(unitRows);
  const gramNorm = factor === undefined ? undefined : standardizedGramNorm(factor, std);
  let learningRate = r.learningRate ?? defaultLearningRate(r, batchSize, std, gramNorm);

  // 2. Epochs.
  const dim = standardizedDimension(std);
  let params: SgdParams = createSgdParams(dim, r.optimizer);
  let previousAverage: Float64Array | undefined;
  const overall = new Float64Array(dim);
  let overallCount = 0;
  const history: SgdEpochReport[] = [];
  let status: SgdFit['status'] = 'max-epochs';
  let halvings = 0;
  const exactBeta = solution?.coefficients;
  const projectionRelations = r.ridge === 0 ? (solution?.relations ?? constantRelations(std)) : [];
  const original = (theta: Float64Array): Float64Array =>
    projectToMinimumNorm(toOriginal(theta, std), projectionRelations);

  let control: SgdControl | undefined;
  let lastIterate = params.theta;
  for (let epoch = 1; epoch <= r.epochs; ) {
    const rate = learningRate / (1 + r.decay * (epoch - 1));
    // The snapshot of epoch e is the start of epoch e − 1, whose full gradient that epoch computed;
    // from epoch 3 on it is no longer the zero start, so it reduces variance.
    const useControl = r.varianceReduction === 'svrg' && epoch >= 3 ? control : undefined;
    const options: Omit<SgdEpochOptions, 'unitIndex'> = {
      optimizer: r.optimizer,
      learningRate: rate,
      batchSize,
      ridge: r.ridge,
      standardize: r.standardize,
      seed: r.seed,
      epoch,
      standardization: std,
      adam: r.adam,
      tailFraction: r.tailFraction,
      control: useControl,
      evaluateStart: true,
    };
    const { outputs } = await collectPass(ctx, {
      kind: 'sgd-epoch',
      args: { read, params, options },
      phase: 'sgd',
      label: `epoch ${epoch} of ${r.epochs}`,
    });
    const average = new Float64Array(dim);
    let rows = 0;
    let lossSum = 0;
    let startLossSum = 0;
    const startGradSum = new Float64Array(dim);
    for (const o of outputs) {
      const res = o;
      rows += res.rows;
      lossSum += res.lossSum;
      for (let i = 0; i < dim; i++) average[i] += res.rows * res.average[i];
      if (res.start !== undefined) {
        startLossSum += res.start.lossSum;
        for (let i = 0; i < dim; i++) startGradSum[i] += res.start.gradSum[i];
      }
    }
    for (let i = 0; i < dim; i++) average[i] /= rows;
    const next = averageSgdParams(
      params,
      outputs.map((o) => ({
        params: o.params,
        weight: o.rows,
        steps: o.steps,
      })),
    );
    const meanLossStd = lossSum / std.sumWeights;
    const lossDiverged = useControl === undefined && !(meanLossStd <= DIVERGED_LOSS);
    if (lossDiverged || !allFinite(next.theta) || !allFinite(average)) {
      if (halvings >= MAX_HALVINGS) {
        throw new FitError(`sgd: diverged at epoch ${epoch} even with learning rate ${rate}`);
      }
      halvings += 1;
      learningRate /= 2;
      warnings.push(
        `sgd diverged at epoch ${epoch} with learning rate ${rate}; retried with half of it`,
      );
      continue;
    }
    const atStart = objectiveAt(
      params.theta,
      { lossSum: startLossSum, gradSum: startGradSum },
      std,
      r.ridge,
      r.standardize,
    );
    control = { snapshot: params.theta, gradient: atStart.gradient };
    // Restart from the averaged iterate: it sits much closer to the minimizer
    // than the last iterates (their noise ball), which also makes it the
    // better SVRG snapshot for the epoch after next.
    lastIterate = next.theta;
    params = { ...next, theta: average.slice() };
    if ((epoch & (epoch - 1)) === 0) {
      overall.fill(0);
      overallCount = 0;
    }
    overallCount += 1;
    for (let i = 0; i < dim; i++) overall[i] += (average[i] - overall[i]) / overallCount;
    const change =
      previousAverage === undefined
        ? Number.POSITIVE_INFINITY
        : distance(average, previousAverage) / Math.max(norm2(average), 1);
    previousAverage = average;
    const sy = std.scale[std.p];
    history.push({
      epoch,
      learningRate: rate,
      varianceReduced: useControl !== undefined,
      meanLoss: sy * sy * meanLossStd,
      start: {
        loss: (sy * sy * startLossSum) / std.sumWeights,
        gradientNorm: norm2(atStart.gradient),
      },
      change,
      relativeError:
        exactBeta === undefined ? undefined : relativeDistance(original(overall), exactBeta),
      epochAverageRelativeError:
        exactBeta === undefined ? undefined : relativeDistance(original(average), exactBeta),
    });
    if (change < r.tol) {
      status = 'converged';
      break;
    }
    epoch += 1;
  }

  // 4. Evaluate the candidates exactly and report the better one.
  const candidates = [overall.slice(), (previousAverage ?? overall).slice()];
  const best = await evaluateCandidates(ctx, read, candidates, std, r.ridge, r.standardize);
  const { theta, lossSum, objective, gradient } = best;
  const sy = std.scale[std.p];

  // 5. Original units.
  const coefficients = original(theta);
  const lastIterateOriginal = original(lastIterate);
  const constantColumns: number[] = [];
  for (let j = 0; j < std.p; j++)
    if (std.constant[j] === 1) constantColumns.push(j + (r.intercept ? 1 : 0));
  // Not converging is reported by `status` and `tol` (and by sgdSolution in the model), not as a warning here.
  if (solution === undefined && constantColumns.length > 0) {
    warnings.push(
      'columns without spread were fitted as aliased with the intercept (coefficient from the min-norm rule)',
    );
  }
  return {
    status,
    optimizer: r.optimizer,
    estimate: best.index === 0 ? 'overall-average' : 'epoch-average',
    epochs: history.length,
    coefficients,
    lastIterate: lastIterateOriginal,
    theta,
    standardization: std,
    objective,
    gradientNorm: norm2(gradient),
    meanSquaredError: (sy * sy * lossSum) / std.sumWeights,
    learningRate,
    batchSize,
    ridge: r.ridge,
    rank: solution?.rank,
    aliased: solution?.aliased ?? constantRelations(std).map((rel) => rel.column),
    relations: solution?.relations ?? constantRelations(std),
    constantColumns,
    exact:
      factor === undefined || solution === undefined
        ? undefined
        : {
            factor,
            solution,
            relativeError: relativeDistance(coefficients, solution.coefficients),
            lastIterateRelativeError: relativeDistance(lastIterateOriginal, solution.coefficients),
          },
    history,
    tol: r.tol,
    rows,
    rowsPositiveWeight: statistics.rowsPositiveWeight,
    sumLogWeights: statistics.sumLogWeights,
    bytes: statistics.bytes,
    warnings,
  };
}
