/**
 * The per-unit epoch kernel of averaged mini-batch SGD / Adam for (ridge)
 * least squares, in standardized coordinates (standardize.ts).
 *
 * The objective F, its per-row scaling and the full-batch evaluation are in
 * sgd-objective.ts.
 *
 * ## Averaging
 *
 * The kernel returns the last iterate and the tail Polyak–Ruppert average:
 * the mean of the iterates after each of the last ⌈tailFraction·K⌉ of its K
 * steps (Jain, Kakade, Kidambi, Netrapalli & Sidford, "Parallelizing
 * stochastic gradient descent for least squares regression", JMLR 2018: tail
 * averaging forgets the initial transient geometrically while keeping the
 * variance reduction of averaging).
 *
 * ## Variance reduction (optional)
 *
 * With a control (θ̃, ∇F(θ̃)) the step uses the SVRG estimate (Johnson &
 * Zhang, "Accelerating stochastic gradient descent using predictive variance
 * reduction", NIPS 2013)
 *
 *     g = ∇f_B(θ) − ∇f_B(θ̃) + ∇F(θ̃)
 *       = (1/|B|) Σ_{i∈B} (wᵢ/w̄) ([1; zᵢ]ᵀδ) [1; zᵢ] + (λ/W) d ⊙ δ + ∇F(θ̃),  δ = θ − θ̃,
 *
 * exact for least squares because the per-row gradient is affine in θ: one
 * pass over the rows with δ replaces the two forward passes. Its variance
 * vanishes as θ and θ̃ approach the minimizer, so the iterates converge to the
 * exact empirical minimizer instead of a noise ball around it.
 *
 * ## Determinism and cost
 *
 * Rows are visited in a Fisher–Yates permutation drawn from a generator keyed
 * by (seed, epoch, unitIndex) only. The rows are first copied in that order,
 * column by column, into module-level scratch (grown only; one unit's worth of
 * memory per worker); then each step streams through contiguous slices, column
 * by column (residuals, then the gradient), so a step costs 2·|B|·p
 * multiply-adds and allocates nothing.
 */

import { NumericInputError } from '@linreg/errors';
import type { DesignBatch } from '../types.js';
import { ADAM_DEFAULTS, type AdamSettings, adamStep, sgdStep } from './adam.js';
import { createRandom, shuffleInto } from './random.js';
import {
  evaluateSgd,
  type SgdEvaluation,
  sgdPenaltyWeights,
  sgdResiduals,
} from './sgd-objective.js';
import { cloneSgdParams, type Optimizer, type SgdParams } from './sgd-state.js';
import { type Standardization, standardizedDimension } from './standardize.js';

export interface SgdEpochOptions {
  readonly optimizer: Optimizer;
  readonly learningRate: number;
  /** Rows per step (the last step of a unit may be smaller). */
  readonly batchSize: number;
  /** λ ≥ 0 of the ridge objective (see sgd-objective.ts). */
  readonly ridge: number;
  /** Penalize standardized coefficients (default false, as solve()). */
  readonly standardize?: boolean | undefined;
  readonly seed: number;
  /** 1-based epoch number (keys the row order). */
  readonly epoch: number;
  /** The unit's index in the plan (keys the row order). */
  readonly unitIndex: number;
  readonly standardization: Standardization;
  readonly adam?: AdamSettings | undefined;
  /** Fraction of the steps, counted from the end, whose iterates are averaged (default 0.5). */
  readonly tailFraction?: number | undefined;
  /** SVRG control variate: a snapshot θ̃ and the full-batch ∇F(θ̃) (see "Variance reduction"). */
  readonly control?: SgdControl | undefined;
  /** Also return the unit's full-batch sums at the starting θ (evaluateSgd), default false. */
  readonly evaluateStart?: boolean | undefined;
}

export interface SgdControl {
  readonly snapshot: Float64Array;
  /** ∇F at the snapshot over the whole data (penalty included), length dim. */
  readonly gradient: Float64Array;
}

export interface SgdEpochResult {
  /** The last iterate (and Adam state). */
  readonly params: SgdParams;
  /** Tail Polyak–Ruppert average of the iterates (standardized coordinates). */
  readonly average: Float64Array;
  readonly rows: number;
  readonly steps: number;
  /**
   * Σ wᵢ eᵢ² with eᵢ the residual of row i just before the step that used it
   * (standardized units); NaN under SVRG, whose steps never form eᵢ.
   */
  readonly lossSum: number;
  /** The unit's full-batch sums at the starting θ when `evaluateStart` was set. */
  readonly start?: SgdEvaluation | undefined;
}

let permScratch = new Uint32Array(0);
let residScratch = new Float64Array(0);
let gradScratch = new Float64Array(0);

function scratch(rows: number, batchSize: number, dim: number): void {
  if (permScratch.length < rows)
    permScratch = new Uint32Array(Math.max(rows, 2 * permScratch.length));
  if (residScratch.length < batchSize) residScratch = new Float64Array(batchSize);
  if (gradScratch.length < dim) gradScratch = new Float64Array(dim);
}

function validate(params: SgdParams, batch: DesignBatch, o: SgdEpochOptions): void {
  const dim = standardizedDimension(o.standardization);
  if (params.theta.length !== dim) {
    throw new NumericInputError(
      `sgd: params have ${params.theta.length} entries, the model has ${dim}`,
    );
  }
  if (batch.x.length !== o.standardization.p) {
    throw new NumericInputError(
      `sgd: batch has ${batch.x.length} features, the model has ${o.standardization.p}`,
    );
  }
  if (!(o.learningRate > 0) || !Number.isFinite(o.learningRate)) {
    throw new NumericInputError(
      `sgd: learningRate must be a positive finite number, got ${o.learningRate}`,
    );
  }
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) {
    throw new NumericInputError(`sgd: batchSize must be a positive integer, got ${o.batchSize}`);
  }
  if (!(o.ridge >= 0) || !Number.isFinite(o.ridge)) {
    throw new NumericInputError(`sgd: ridge must be a finite number ≥ 0, got ${o.ridge}`);
  }
  const tail = o.tailFraction ?? 0.5;
  if (!(tail > 0 && tail <= 1))
    throw new NumericInputError(`sgd: tailFraction must be in (0, 1], got ${tail}`);
  if (o.optimizer === 'adam' && params.m.length !== dim) {
    throw new NumericInputError('sgd: Adam needs params created for the adam optimizer');
  }
}

let columnScratch: Float64Array[] = [];

/**
 * The unit's rows in permutation order, column-major, in module-level scratch
 * (grown, never shrunk). Gathering one column at a time keeps the random reads
 * inside one column (cache-resident for a row group); the steps then stream
 * through contiguous memory. Gathering row by row across all columns instead
 * costs a cache miss per value (~100 ns/value measured vs ~5).
 */
function permutedCopy(
  batch: DesignBatch,
  std: Standardization,
  perm: Uint32Array,
  n: number,
): DesignBatch {
  const p = batch.x.length;
  const width = p + 1 + (batch.w === undefined ? 0 : 1);
  if (columnScratch.length < width) {
    columnScratch = [
      ...columnScratch,
      ...Array.from({ length: width - columnScratch.length }, () => new Float64Array(0)),
    ];
  }
  for (let c = 0; c < width; c++) {
    if (columnScratch[c].length < n)
      columnScratch[c] = new Float64Array(Math.max(n, 2 * columnScratch[c].length));
    // Features without spread are never read.
    if (c < p && std.invScale[c] === 0) continue;
    const src = c < p ? batch.x[c] : c === p ? batch.y : (batch.w as Float64Array);
    const dst = columnScratch[c];
    for (let r = 0; r < n; r++) dst[r] = src[perm[r]];
  }
  return {
    rows: n,
    x: columnScratch.slice(0, p),
    y: columnScratch[p],
    w: batch.w === undefined ? undefined : columnScratch[p + 1],
  };
}

/** One epoch of mini-batch SGD or Adam over one unit's rows, starting from `params` (not mutated). */
export function runSgdEpoch(
  params: SgdParams,
  batch: DesignBatch,
  options: SgdEpochOptions,
): SgdEpochResult {
  validate(params, batch, options);
  const std = options.standardization;
  const { p, center, invScale } = std;
  const off = std.intercept ? 1 : 0;
  const dim = p + off;
  const n = batch.rows;
  const out = cloneSgdParams(params);
  const theta = out.theta;
  const average = theta.slice();
  if (n === 0) {
    const start =
      options.evaluateStart === true ? evaluateSgd(params.theta, batch, std) : undefined;
    return { params: out, average, rows: 0, steps: 0, lossSum: 0, start };
  }

  const bs = options.batchSize;
  const startEvaluation =
    options.evaluateStart === true ? evaluateSgd(params.theta, batch, std) : undefined;
  scratch(n, bs, dim);
  const perm = permScratch;
  const resid = residScratch;
  const grad = gradScratch;
  shuffleInto(perm, n, createRandom(options.seed, options.epoch, options.unitIndex));
  const rows = permutedCopy(batch, std, perm, n);

  const lr = options.learningRate;
  const adam = options.optimizer === 'adam';
  const adamSettings = options.adam ?? ADAM_DEFAULTS;
  const pen = sgdPenaltyWeights(std, options.standardize);
  const lambdaOverW = options.ridge / std.sumWeights;
  const invMeanWeight = std.rows / std.sumWeights;
  const w = rows.w;
  const control = options.control;
  if (
    control !== undefined &&
    (control.snapshot.length !== dim || control.gradient.length !== dim)
  ) {
    throw new NumericInputError(`sgd: control vectors must have ${dim} entries`);
  }
  // Under SVRG the forward pass runs on δ = θ − θ̃ (see the module comment).
  const delta = control === undefined ? theta : new Float64Array(dim);
  const steps = Math.ceil(n / bs);
  const tailStart = steps - Math.max(1, Math.ceil((options.tailFraction ?? 0.5) * steps));
  let averaged = 0;
  let lossSum = control === undefined ? 0 : Number.NaN;
  let t = out.step;

  for (let s = 0; s < steps; s++) {
    const start = s * bs;
    const count = Math.min(bs, n - start);
    if (control !== undefined) {
      for (let i = 0; i < dim; i++) delta[i] = theta[i] - control.snapshot[i];
      sgdResiduals(rows, std, delta, start, count, resid, false);
      if (w !== undefined) {
        for (let r = 0; r < count; r++) resid[r] *= w[start + r] * invMeanWeight;
      }
    } else if (w === undefined) {
      sgdResiduals(rows, std, theta, start, count, resid);
      for (let r = 0; r < count; r++) lossSum += resid[r] * resid[r];
    } else {
      sgdResiduals(rows, std, theta, start, count, resid);
      // Loss of the rows as seen, then fold the row weights into the residuals.
      for (let r = 0; r < count; r++) {
        const wi = w[start + r];
        lossSum += wi * resid[r] * resid[r];
        resid[r] *= wi * invMeanWeight;
      }
    }
    const scale = -1 / count;
    if (off === 1) {
      let g0 = 0;
      for (let r = 0; r < count; r++) g0 += resid[r];
      grad[0] = scale * g0;
    }
    for (let j = 0; j < p; j++) {
      const inv = invScale[j];
      let gj = 0;
      if (inv !== 0) {
        const col = rows.x[j];
        const mu = center[j];
        for (let r = 0; r < count; r++) gj += resid[r] * (col[start + r] - mu);
      }
      grad[off + j] = scale * gj * inv + lambdaOverW * pen[off + j] * delta[off + j];
    }
    if (control !== undefined) for (let i = 0; i < dim; i++) grad[i] += control.gradient[i];
    t += 1;
    if (adam) adamStep(dim, theta, out.m, out.v, out.vMax, grad, t, lr, adamSettings);
    else sgdStep(dim, theta, grad, lr);
    if (s >= tailStart) {
      averaged += 1;
      const f = 1 / averaged;
      for (let i = 0; i < dim; i++) average[i] += (theta[i] - average[i]) * f;
    }
  }
  return { params: { ...out, step: t }, average, rows: n, steps, lossSum, start: startEvaluation };
}
