/**
 * The optimizer state that is broadcast to workers each epoch: plain
 * Float64Arrays in standardized coordinates (see standardize.ts), so it
 * crosses a thread boundary by structured clone or as transferables.
 */
import { NumericInputError } from '@linreg/errors';

export type Optimizer = 'sgd' | 'adam';

export interface SgdParams {
  readonly optimizer: Optimizer;
  /** [c, θ_1..θ_p] with an intercept, else [θ_1..θ_p]. */
  readonly theta: Float64Array;
  /** Adam's first-moment estimate (length 0 for plain SGD). */
  readonly m: Float64Array;
  /** Adam's second-moment estimate (length 0 for plain SGD). */
  readonly v: Float64Array;
  /** AMSGrad's running maximum of v (length 0 for plain SGD; unused by plain Adam). */
  readonly vMax: Float64Array;
  /** Optimizer steps taken so far (Adam's bias correction needs it). */
  readonly step: number;
}

/** Zero parameters (the minimum-norm starting point) of dimension `dim`. */
export function createSgdParams(dim: number, optimizer: Optimizer): SgdParams {
  if (!Number.isInteger(dim) || dim < 1)
    throw new NumericInputError(`sgd: dimension must be ≥ 1, got ${dim}`);
  const adam = optimizer === 'adam';
  return {
    optimizer,
    theta: new Float64Array(dim),
    m: new Float64Array(adam ? dim : 0),
    v: new Float64Array(adam ? dim : 0),
    vMax: new Float64Array(adam ? dim : 0),
    step: 0,
  };
}

export function cloneSgdParams(params: SgdParams): SgdParams {
  return {
    optimizer: params.optimizer,
    theta: params.theta.slice(),
    m: params.m.slice(),
    v: params.v.slice(),
    vMax: params.vMax.slice(),
    step: params.step,
  };
}

/** Buffers to list as transferables when posting params to another thread. */
export function sgdParamsTransferList(params: SgdParams): ArrayBuffer[] {
  return [
    params.theta.buffer,
    params.m.buffer,
    params.v.buffer,
    params.vMax.buffer,
  ] as ArrayBuffer[];
}

/**
 * Σ_u weight_u · params_u / Σ_u weight_u, summed in the given (unit) order so
 * the result is bitwise reproducible. Adam's moments (and AMSGrad's v̂) are averaged like θ and
 * the step count becomes base + the weighted mean of the steps taken (rounded),
 * i.e. the state of one "average" worker. Entries with weight 0 are skipped;
 * when every weight is 0, `base` is returned unchanged.
 */
export function averageSgdParams(
  base: SgdParams,
  results: readonly {
    readonly params: SgdParams;
    readonly weight: number;
    readonly steps: number;
  }[],
): SgdParams {
  const dim = base.theta.length;
  const out = createSgdParams(dim, base.optimizer);
  let total = 0;
  let steps = 0;
  for (const r of results) {
    const wt = r.weight;
    if (wt === 0) continue;
    total += wt;
    steps += wt * r.steps;
    const p = r.params;
    for (let i = 0; i < dim; i++) out.theta[i] += wt * p.theta[i];
    for (let i = 0; i < out.m.length; i++) {
      out.m[i] += wt * p.m[i];
      out.v[i] += wt * p.v[i];
      out.vMax[i] += wt * p.vMax[i];
    }
  }
  if (total === 0) return cloneSgdParams(base);
  const inv = 1 / total;
  for (let i = 0; i < dim; i++) out.theta[i] *= inv;
  for (let i = 0; i < out.m.length; i++) {
    out.m[i] *= inv;
    out.v[i] *= inv;
    out.vMax[i] *= inv;
  }
  return { ...out, step: base.step + Math.round(steps * inv) };
}
