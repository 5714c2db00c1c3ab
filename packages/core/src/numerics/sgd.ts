/**
 * The per-unit epoch kernel of averaged mini-batch SGD / Adam for (ridge)
 * least squares, and the full-batch evaluation of the same objective.
 *
 * ## Objective
 *
 * The ridge objective of the exact solver, with the intercept unpenalized,
 *
 *     L(b, β) = Σᵢ wᵢ (yᵢ − b − xᵢβ)² + λ Σ_j (s_j β_j)²,
 *
 * with s_j the standardization scale (l2Scale 'sd', the default: scikit-learn's
 * Ridge on StandardScaler features) or s_j = 1 (l2Scale 'unit'). In the
 * standardized coordinates of standardize.ts, L = s_y² · 2W · F with
 *
 *     F(c, θ) = (1 / 2W) [ Σᵢ wᵢ (tᵢ − c − zᵢθ)² + λ Σ_j d_j θ_j² ],
 *
 * d_j = 1 ('sd') or 1/s_j² ('unit'), W = Σw over the whole data. Both have the
 * same minimizers; F is scale-free (its Hessian is [[1, 0], [0, corr]] plus the
 * penalty), which is why one learning rate suits every data set.
 *
 * ## Per-row scaling
 *
 * A mini-batch B of rows estimates ∇F without bias as
 *
 *     g = −(1/|B|) Σ_{i∈B} (wᵢ / w̄) eᵢ [1; zᵢ] + (λ/W) d ⊙ θ,
 *
 * eᵢ = tᵢ − c − zᵢθ, w̄ = W/n the mean weight over all n rows (so unweighted
 * rows enter with weight 1, and a unit with heavy rows pulls proportionally).
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
 * by (seed, epoch, unitIndex) only. The mini-batch is processed column by
 * column (gather through the permutation into a preallocated residual vector,
 * then the gradient), so a step costs 2·|B|·p multiply-adds and allocates
 * nothing; scratch buffers are module-level and grow only.
 */
import { ADAM_DEFAULTS, type AdamSettings, adamStep, sgdStep } from './adam.js';
import { createRandom, shuffleInto } from './random.js';
import { cloneSgdParams, type Optimizer, type SgdParams } from './sgd-state.js';
import { type Standardization, standardizedDimension } from './standardize.js';
import { type DesignBatch, NumericInputError } from './types.js';

export type L2Scale = 'sd' | 'unit';

export interface SgdEpochOptions {
  readonly optimizer: Optimizer;
  readonly learningRate: number;
  /** Rows per step (the last step of a unit may be smaller). */
  readonly batchSize: number;
  /** λ ≥ 0 of the ridge objective (see the module comment). */
  readonly l2: number;
  readonly l2Scale?: L2Scale | undefined;
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

/** d_j of the penalty in standardized coordinates, 0 for the intercept (length dim). */
export function sgdPenaltyWeights(std: Standardization, l2Scale: L2Scale = 'sd'): Float64Array {
  const off = std.intercept ? 1 : 0;
  const d = new Float64Array(std.p + off);
  for (let j = 0; j < std.p; j++) {
    if (std.constant[j] === 1) continue;
    d[off + j] = l2Scale === 'sd' ? 1 : std.invScale[j] * std.invScale[j];
  }
  return d;
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
  if (!(o.l2 >= 0) || !Number.isFinite(o.l2)) {
    throw new NumericInputError(`sgd: l2 must be a finite number ≥ 0, got ${o.l2}`);
  }
  const tail = o.tailFraction ?? 0.5;
  if (!(tail > 0 && tail <= 1))
    throw new NumericInputError(`sgd: tailFraction must be in (0, 1], got ${tail}`);
  if (o.optimizer === 'adam' && params.m.length !== dim) {
    throw new NumericInputError('sgd: Adam needs params created for the adam optimizer');
  }
}

/**
 * Residuals eᵢ = tᵢ − c − zᵢθ of rows perm[start..start+count) into `resid`
 * (or −c − zᵢθ without the target), column by column (no allocation).
 */
function residuals(
  batch: DesignBatch,
  std: Standardization,
  theta: Float64Array,
  perm: Uint32Array,
  start: number,
  count: number,
  resid: Float64Array,
  withTarget = true,
): void {
  const { p, center, invScale } = std;
  const off = std.intercept ? 1 : 0;
  const y = batch.y;
  const my = center[p];
  const iy = invScale[p];
  const c = off === 1 ? theta[0] : 0;
  if (withTarget) {
    for (let r = 0; r < count; r++) resid[r] = (y[perm[start + r]] - my) * iy - c;
  } else {
    for (let r = 0; r < count; r++) resid[r] = -c;
  }
  for (let j = 0; j < p; j++) {
    const inv = invScale[j];
    const a = theta[off + j];
    if (inv === 0 || a === 0) continue;
    const col = batch.x[j];
    const mu = center[j];
    const ai = a * inv;
    for (let r = 0; r < count; r++) resid[r] -= ai * (col[perm[start + r]] - mu);
  }
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

  const lr = options.learningRate;
  const adam = options.optimizer === 'adam';
  const adamSettings = options.adam ?? ADAM_DEFAULTS;
  const pen = sgdPenaltyWeights(std, options.l2Scale);
  const lambdaOverW = options.l2 / std.sumWeights;
  const invMeanWeight = std.rows / std.sumWeights;
  const w = batch.w;
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
      residuals(batch, std, delta, perm, start, count, resid, false);
      if (w !== undefined)
        for (let r = 0; r < count; r++) resid[r] *= w[perm[start + r]] * invMeanWeight;
    } else if (w === undefined) {
      residuals(batch, std, theta, perm, start, count, resid);
      for (let r = 0; r < count; r++) lossSum += resid[r] * resid[r];
    } else {
      residuals(batch, std, theta, perm, start, count, resid);
      // Loss of the rows as seen, then fold the row weights into the residuals.
      for (let r = 0; r < count; r++) {
        const wi = w[perm[start + r]];
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
        const col = batch.x[j];
        const mu = center[j];
        for (let r = 0; r < count; r++) gj += resid[r] * (col[perm[start + r]] - mu);
      }
      grad[off + j] = scale * gj * inv + lambdaOverW * pen[off + j] * delta[off + j];
    }
    if (control !== undefined) for (let i = 0; i < dim; i++) grad[i] += control.gradient[i];
    t += 1;
    if (adam) adamStep(dim, theta, out.m, out.v, grad, t, lr, adamSettings);
    else sgdStep(dim, theta, grad, lr);
    if (s >= tailStart) {
      averaged += 1;
      const f = 1 / averaged;
      for (let i = 0; i < dim; i++) average[i] += (theta[i] - average[i]) * f;
    }
  }
  return { params: { ...out, step: t }, average, rows: n, steps, lossSum, start: startEvaluation };
}

/** Full-batch sums of one unit at fixed θ: Σ w e² and Σ w e [1; z] (standardized units). */
export interface SgdEvaluation {
  readonly rows: number;
  readonly sumWeights: number;
  readonly lossSum: number;
  /** Length dim. */
  readonly gradSum: Float64Array;
}

let identityScratch = new Uint32Array(0);

/** Loss and gradient sums of a unit's rows at θ, in row order (no SGD step). */
export function evaluateSgd(
  theta: Float64Array,
  batch: DesignBatch,
  std: Standardization,
): SgdEvaluation {
  const { p, center, invScale } = std;
  const off = std.intercept ? 1 : 0;
  const dim = p + off;
  if (theta.length !== dim)
    throw new NumericInputError(`sgd: θ has ${theta.length} entries, the model has ${dim}`);
  const n = batch.rows;
  const gradSum = new Float64Array(dim);
  const block = 1024;
  if (identityScratch.length < block) {
    identityScratch = new Uint32Array(block);
  }
  scratch(0, block, dim);
  const resid = residScratch;
  const idx = identityScratch;
  const w = batch.w;
  let lossSum = 0;
  let sumWeights = 0;
  for (let start = 0; start < n; start += block) {
    const count = Math.min(block, n - start);
    for (let r = 0; r < count; r++) idx[r] = start + r;
    residuals(batch, std, theta, idx, 0, count, resid);
    for (let r = 0; r < count; r++) {
      const wi = w === undefined ? 1 : w[start + r];
      sumWeights += wi;
      lossSum += wi * resid[r] * resid[r];
      resid[r] *= wi;
    }
    if (off === 1) {
      let g0 = 0;
      for (let r = 0; r < count; r++) g0 += resid[r];
      gradSum[0] += g0;
    }
    for (let j = 0; j < p; j++) {
      const inv = invScale[j];
      if (inv === 0) continue;
      const col = batch.x[j];
      const mu = center[j];
      let gj = 0;
      for (let r = 0; r < count; r++) gj += resid[r] * (col[start + r] - mu);
      gradSum[off + j] += gj * inv;
    }
  }
  return { rows: n, sumWeights, lossSum, gradSum };
}

/**
 * ∇F and F at θ from the unit-order sums of `evaluateSgd` over all units
 * (see the module comment for F).
 */
export function objectiveAt(
  theta: Float64Array,
  sums: { readonly lossSum: number; readonly gradSum: Float64Array },
  std: Standardization,
  l2: number,
  l2Scale: L2Scale = 'sd',
): { readonly objective: number; readonly gradient: Float64Array } {
  const pen = sgdPenaltyWeights(std, l2Scale);
  const W = std.sumWeights;
  const gradient = new Float64Array(theta.length);
  let penalty = 0;
  for (let i = 0; i < theta.length; i++) {
    penalty += pen[i] * theta[i] * theta[i];
    gradient[i] = (-sums.gradSum[i] + l2 * pen[i] * theta[i]) / W;
  }
  return { objective: (sums.lossSum + l2 * penalty) / (2 * W), gradient };
}
