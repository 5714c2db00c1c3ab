/**
 * The epoch driver of averaged SGD / Adam: passes over the units through an
 * SgdRunner (in-process or a piscina pool), reduced in unit order.
 *
 * ## Algorithm
 *
 * 1. Statistics pass: weighted moments per column (moments.ts), merged in
 *    unit order (pairwise tree, reduce.ts) → standardization. With `check`,
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
 * 3. Stop when the epoch average moves by less than `tol` relative to its
 *    norm, or after `epochs`. An epoch whose mean loss (standardized units)
 *    exceeds 4 — a zero model scores 1 — or whose parameters are not finite
 *    has diverged: it is redone with half the learning rate (a warning says
 *    so), at most 30 times.
 * 4. Evaluate pass at the reported parameters: exact full-batch objective and
 *    gradient norm (standardized units, see sgd.ts for F).
 * 5. Back to original units (standardize.ts). For an unpenalized,
 *    rank-deficient design the coefficients are projected to the
 *    minimum-norm solution with the same fitted values
 *    (min-norm-projection.ts), using the exact solver's alias relations
 *    (`check`) or, without it, the relations of constant columns to the
 *    intercept — which is why SGD from zero reports x1 = 1, x2 = 1,
 *    intercept = 0 on the motivating data, as the exact solver does.
 *
 * ## Default step size
 *
 * For mini-batch SGD on least squares the largest stable step is about
 * B / (R² + (B − 1)‖H‖) (Jain et al., JMLR 2018), with H the standardized Gram
 * and R² ≈ tr H. We take half of it, with ‖H‖ from the exact factor when
 * checking and assumed ≤ 2 otherwise (the divergence guard covers the rest),
 * capped at 1. Adam's default is 0.01 (its steps are ~η per coordinate in
 * standardized units).
 */

import { FitError, SpecError } from '../../errors.js';
import {
  type AccumulatorState,
  deserializeAccumulator,
  finalizeAccumulator,
  mergeAccumulators,
} from '../../numerics/accumulator.js';
import type { AdamSettings } from '../../numerics/adam.js';
import { projectToMinimumNorm } from '../../numerics/min-norm-projection.js';
import { deserializeMoments, type MomentsState, mergeMoments } from '../../numerics/moments.js';
import {
  type L2Scale,
  objectiveAt,
  type SgdControl,
  type SgdEpochOptions,
} from '../../numerics/sgd.js';
import {
  averageSgdParams,
  createSgdParams,
  type Optimizer,
  type SgdParams,
} from '../../numerics/sgd-state.js';
import type { AliasRelation, Solution } from '../../numerics/solution.js';
import { solve } from '../../numerics/solve.js';
import {
  type Standardization,
  standardizationFrom,
  standardizedDimension,
  toOriginal,
} from '../../numerics/standardize.js';
import type { AccumulatorSpec, TriangularFactor } from '../../numerics/types.js';
import { UnitOrderReducer } from '../reduce.js';
import type { SgdRunner } from './protocol.js';

export interface SgdSpec {
  /** Number of feature columns. */
  readonly p: number;
  readonly intercept?: boolean | undefined;
  readonly weighted?: boolean | undefined;
  readonly optimizer?: Optimizer | undefined;
  /** Default: see the module comment. */
  readonly learningRate?: number | undefined;
  /** Rows per step (default 64). */
  readonly batchSize?: number | undefined;
  /** Ridge λ ≥ 0 (default 0), same objective as the exact solver. */
  readonly l2?: number | undefined;
  /** 'sd' (default): λΣ(s_jβ_j)² with s_j the standardization scale; 'unit': λΣβ_j². */
  readonly l2Scale?: L2Scale | undefined;
  /** Maximum epochs (default 20). */
  readonly epochs?: number | undefined;
  /** Relative change of the epoch average that stops the run (default 1e-6). */
  readonly tol?: number | undefined;
  /** Step size at epoch e is η / (1 + decay·(e − 1)) (default 0: constant). */
  readonly decay?: number | undefined;
  readonly seed?: number | undefined;
  /** Build the exact solution in the statistics pass and report the distance to it (default true). */
  readonly check?: boolean | undefined;
  /** Fraction of each unit's steps averaged (default 0.5). */
  readonly tailFraction?: number | undefined;
  readonly adam?: AdamSettings | undefined;
  /** 'svrg' (default): variance-reduced steps from epoch 3 on (see numerics/sgd.ts); 'none': plain steps throughout. */
  readonly varianceReduction?: 'svrg' | 'none' | undefined;
}

export interface SgdEpochReport {
  readonly epoch: number;
  readonly learningRate: number;
  readonly varianceReduced: boolean;
  /** Weighted mean of the squared residuals seen during the epoch (original units); NaN for SVRG epochs. */
  readonly meanLoss: number;
  /** Exact weighted mean squared residual at the parameters broadcast at the start of the epoch (original units). */
  readonly startLoss: number;
  /** ‖∇F‖ at the parameters broadcast at the start of the epoch (standardized units). */
  readonly startGradientNorm: number;
  /** ‖ā_e − ā_{e−1}‖ / ‖ā_e‖ of the epoch averages (standardized); Infinity at epoch 1. */
  readonly change: number;
  /** With `check`: relative distance of the overall average to the exact coefficients (original units). */
  readonly relativeError?: number | undefined;
  /** With `check`: the same for this epoch's average. */
  readonly epochAverageRelativeError?: number | undefined;
}

export interface SgdExactCheck {
  readonly factor: TriangularFactor;
  readonly solution: Solution;
  /** ‖β̂ − β*‖ / ‖β*‖ over all design coefficients (intercept included), original units. */
  readonly relativeError: number;
  /** The same for the last iterate. */
  readonly lastIterateRelativeError: number;
}

export interface SgdFit {
  readonly status: 'converged' | 'max-epochs';
  readonly optimizer: Optimizer;
  /**
   * Which averaged iterate is reported: the overall Polyak–Ruppert average or
   * the last epoch's average — whichever has the smaller exact full-batch
   * gradient norm (the overall one wins when the iterates are noise-dominated,
   * the last epoch's when they still converge geometrically, as on noiseless
   * data or after an Adam spike).
   */
  readonly estimate: 'overall-average' | 'epoch-average';
  readonly epochs: number;
  /** Design order (intercept first), original units; the overall averaged iterate, min-norm when aliased. */
  readonly coefficients: Float64Array;
  /** Row-weighted mean of the units' last iterates of the last epoch, original units (projected the same way). */
  readonly lastIterate: Float64Array;
  /** Standardized parameters of `coefficients` before projection. */
  readonly theta: Float64Array;
  readonly standardization: Standardization;
  /** F at `theta` (see numerics/sgd.ts) and the 2-norm of its full-batch gradient (standardized units). */
  readonly objective: number;
  readonly gradientNorm: number;
  /** Weighted mean squared residual at `coefficients`, original units. */
  readonly meanSquaredError: number;
  readonly learningRate: number;
  readonly batchSize: number;
  readonly l2: number;
  /** Rank of the design when known (exact check, or m minus constant columns otherwise is NOT claimed: undefined). */
  readonly rank: number | undefined;
  readonly aliased: readonly number[];
  readonly relations: readonly AliasRelation[];
  /** Design columns (intercept = 0) of features without spread. */
  readonly constantColumns: readonly number[];
  readonly exact: SgdExactCheck | undefined;
  readonly history: readonly SgdEpochReport[];
  readonly rows: { readonly read: number; readonly used: number; readonly dropped: number };
  readonly warnings: readonly string[];
}

const MAX_HALVINGS = 30;
const DIVERGED_LOSS = 4;

interface Resolved {
  readonly p: number;
  readonly intercept: boolean;
  readonly weighted: boolean;
  readonly optimizer: Optimizer;
  readonly learningRate: number | undefined;
  readonly batchSize: number;
  readonly l2: number;
  readonly l2Scale: L2Scale;
  readonly epochs: number;
  readonly tol: number;
  readonly decay: number;
  readonly seed: number;
  readonly check: boolean;
  readonly tailFraction: number;
  readonly adam: AdamSettings | undefined;
  readonly varianceReduction: 'svrg' | 'none';
}

function oneOf(
  name: string,
  value: 'svrg' | 'none' | undefined,
  fallback: 'svrg' | 'none',
): 'svrg' | 'none' {
  if (value === undefined) return fallback;
  if (value !== 'svrg' && value !== 'none')
    throw new SpecError(name, `must be 'svrg' or 'none', got ${String(value)}`);
  return value;
}

function resolve(spec: SgdSpec): Resolved {
  const positiveInt = (name: string, v: number | undefined, fallback: number): number => {
    const x = v ?? fallback;
    if (!Number.isInteger(x) || x < 1)
      throw new SpecError(name, `must be a positive integer, got ${x}`);
    return x;
  };
  const nonNegative = (name: string, v: number | undefined, fallback: number): number => {
    const x = v ?? fallback;
    if (!(Number.isFinite(x) && x >= 0))
      throw new SpecError(name, `must be a finite number >= 0, got ${x}`);
    return x;
  };
  if (!Number.isInteger(spec.p) || spec.p < 0)
    throw new SpecError('p', `must be an integer >= 0, got ${spec.p}`);
  const optimizer = spec.optimizer ?? 'sgd';
  if (optimizer !== 'sgd' && optimizer !== 'adam') {
    throw new SpecError('optimizer', `must be 'sgd' or 'adam', got ${String(optimizer)}`);
  }
  const lr = spec.learningRate;
  if (lr !== undefined && !(Number.isFinite(lr) && lr > 0)) {
    throw new SpecError('learningRate', `must be a positive finite number, got ${lr}`);
  }
  const l2Scale = spec.l2Scale ?? 'sd';
  if (l2Scale !== 'sd' && l2Scale !== 'unit')
    throw new SpecError('l2Scale', `must be 'sd' or 'unit', got ${l2Scale}`);
  const seed = spec.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new SpecError('seed', `must be an integer, got ${seed}`);
  const tailFraction = spec.tailFraction ?? 0.5;
  if (!(tailFraction > 0 && tailFraction <= 1)) {
    throw new SpecError('tailFraction', `must be in (0, 1], got ${tailFraction}`);
  }
  const intercept = spec.intercept ?? true;
  if (!intercept && spec.p === 0)
    throw new SpecError('p', 'a model without intercept needs at least one feature');
  return {
    p: spec.p,
    intercept,
    weighted: spec.weighted ?? false,
    optimizer,
    learningRate: lr,
    batchSize: positiveInt('batchSize', spec.batchSize, 64),
    l2: nonNegative('l2', spec.l2, 0),
    l2Scale,
    epochs: positiveInt('epochs', spec.epochs, 20),
    tol: nonNegative('tol', spec.tol, 1e-6),
    decay: nonNegative('decay', spec.decay, 0),
    seed,
    check: spec.check ?? true,
    tailFraction,
    adam: spec.adam,
    varianceReduction: oneOf('varianceReduction', spec.varianceReduction, 'svrg'),
  };
}

/**
 * Largest eigenvalue of the standardized Gram M = (1/W) Σ w [1; z][1; z]ᵀ from
 * the exact factor (RᵀR = AᵀWA, A = [1 X]): M = GᵀG/W with G = R·Sᵀ, S the
 * standardizing map. Power iteration, 100 steps from a fixed start (a bound
 * for the step size only, so a few digits suffice).
 */
export function standardizedGramNorm(factor: TriangularFactor, std: Standardization): number {
  const k = factor.k;
  const m = k - 1;
  const off = std.intercept ? 1 : 0;
  const g = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    if (off === 1) g[i * m] = factor.r[i * k];
    for (let j = 0; j < std.p; j++) {
      const inv = std.invScale[j];
      const shift = off === 1 ? std.center[j] * factor.r[i * k] : 0;
      g[i * m + off + j] = inv * (factor.r[i * k + off + j] - shift);
    }
  }
  const x = new Float64Array(m).fill(1 / Math.sqrt(m));
  const y = new Float64Array(m);
  let lambda = 0;
  for (let it = 0; it < 100; it++) {
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += g[i * m + j] * x[j];
      y[i] = s;
    }
    let norm = 0;
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += g[i * m + j] * y[i];
      x[j] = s;
      norm += s * s;
    }
    norm = Math.sqrt(norm);
    if (norm === 0) return 0;
    lambda = norm / std.sumWeights;
    for (let j = 0; j < m; j++) x[j] /= norm;
  }
  return lambda;
}

function defaultLearningRate(
  r: Resolved,
  std: Standardization,
  gramNorm: number | undefined,
): number {
  if (r.optimizer === 'adam') return 0.01;
  let trace = r.intercept ? 1 : 0;
  for (let j = 0; j < std.p; j++) trace += std.constant[j] === 1 ? 0 : 1;
  const h = gramNorm ?? 2;
  const b = r.batchSize;
  return Math.min(1, (0.5 * b) / (trace + (b - 1) * h));
}

function norm2(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

function relativeDistance(a: Float64Array, b: Float64Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += (a[i] - b[i]) * (a[i] - b[i]);
  const scale = norm2(b);
  return scale > 0 ? Math.sqrt(d) / scale : Math.sqrt(d);
}

function allFinite(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}

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

/** Fit by averaged SGD / Adam through `runner` (see the module comment). */
export async function fitSgd(runner: SgdRunner, spec: SgdSpec): Promise<SgdFit> {
  const r = resolve(spec);
  const warnings: string[] = [];
  const exactSpec: AccumulatorSpec | undefined = r.check
    ? { kind: 'normal', p: r.p, intercept: r.intercept, weighted: r.weighted }
    : undefined;

  // 1. Statistics pass.
  const stats = await runner.runPass({ kind: 'statistics', p: r.p, exact: exactSpec });
  const momentsReducer = new UnitOrderReducer<MomentsState>(mergeMoments);
  const exactReducer = new UnitOrderReducer<AccumulatorState>(mergeAccumulators);
  let rowsRead = 0;
  let rowsUsed = 0;
  let rowsDropped = 0;
  stats.forEach((s, u) => {
    rowsRead += s.rowsRead;
    rowsUsed += s.rowsUsed;
    rowsDropped += s.rowsDropped;
    momentsReducer.add(u, deserializeMoments(s.moments));
    if (s.exact !== undefined) exactReducer.add(u, deserializeAccumulator(s.exact));
  });
  const moments = momentsReducer.finish(runner.units);
  if (moments === undefined || rowsUsed === 0) throw new FitError('sgd: no usable rows');
  const std = standardizationFrom(moments, r.intercept);
  let factor: TriangularFactor | undefined;
  let solution: Solution | undefined;
  if (exactSpec !== undefined) {
    const state = exactReducer.finish(runner.units);
    if (state !== undefined) {
      factor = finalizeAccumulator(state);
      solution = solve(factor, {
        lambda: r.l2,
        standardize: r.l2Scale === 'sd',
        aliased: 'min-norm',
      });
    }
  }
  const gramNorm = factor === undefined ? undefined : standardizedGramNorm(factor, std);
  let learningRate = r.learningRate ?? defaultLearningRate(r, std, gramNorm);

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
  const projectionRelations = r.l2 === 0 ? (solution?.relations ?? constantRelations(std)) : [];
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
      batchSize: r.batchSize,
      l2: r.l2,
      l2Scale: r.l2Scale,
      seed: r.seed,
      epoch,
      standardization: std,
      adam: r.adam,
      tailFraction: r.tailFraction,
      control: useControl,
      evaluateStart: true,
    };
    const outputs = await runner.runPass({ kind: 'epoch', params, options });
    const average = new Float64Array(dim);
    let rows = 0;
    let lossSum = 0;
    let startLossSum = 0;
    const startGradSum = new Float64Array(dim);
    for (const o of outputs) {
      const res = o.result;
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
        params: o.result.params,
        weight: o.result.rows,
        steps: o.result.steps,
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
      r.l2,
      r.l2Scale,
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
        : relativeDistance(average, previousAverage);
    previousAverage = average;
    const sy = std.scale[std.p];
    history.push({
      epoch,
      learningRate: rate,
      varianceReduced: useControl !== undefined,
      meanLoss: sy * sy * meanLossStd,
      startLoss: (sy * sy * startLossSum) / std.sumWeights,
      startGradientNorm: norm2(atStart.gradient),
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
  const evals = await runner.runPass({
    kind: 'evaluate',
    thetas: candidates,
    standardization: std,
  });
  let best:
    | { theta: Float64Array; lossSum: number; objective: number; gradient: Float64Array }
    | undefined;
  let chosen = 0;
  candidates.forEach((candidate, c) => {
    let lossSum = 0;
    const gradSum = new Float64Array(dim);
    for (const o of evals) {
      const e = o.evaluations[c];
      lossSum += e.lossSum;
      for (let i = 0; i < dim; i++) gradSum[i] += e.gradSum[i];
    }
    const at = objectiveAt(candidate, { lossSum, gradSum }, std, r.l2, r.l2Scale);
    if (best === undefined || norm2(at.gradient) < norm2(best.gradient)) {
      best = { theta: candidate, lossSum, ...at };
      chosen = c;
    }
  });
  if (best === undefined) throw new FitError('sgd: evaluation produced no candidate');
  const { theta, lossSum, objective, gradient } = best;
  const sy = std.scale[std.p];

  // 5. Original units.
  const coefficients = original(theta);
  const lastIterateOriginal = original(lastIterate);
  const constantColumns: number[] = [];
  for (let j = 0; j < std.p; j++)
    if (std.constant[j] === 1) constantColumns.push(j + (r.intercept ? 1 : 0));
  if (status === 'max-epochs') {
    const last = history[history.length - 1];
    warnings.push(
      `sgd stopped after ${r.epochs} epochs with relative change ${last?.change.toExponential(2)} > tol ${r.tol}`,
    );
  }
  if (solution === undefined && constantColumns.length > 0) {
    warnings.push(
      'columns without spread were fitted as aliased with the intercept (coefficient from the min-norm rule)',
    );
  }
  return {
    status,
    optimizer: r.optimizer,
    estimate: chosen === 0 ? 'overall-average' : 'epoch-average',
    epochs: history.length,
    coefficients,
    lastIterate: lastIterateOriginal,
    theta,
    standardization: std,
    objective,
    gradientNorm: norm2(gradient),
    meanSquaredError: (sy * sy * lossSum) / std.sumWeights,
    learningRate,
    batchSize: r.batchSize,
    l2: r.l2,
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
    rows: { read: rowsRead, used: rowsUsed, dropped: rowsDropped },
    warnings,
  };
}
