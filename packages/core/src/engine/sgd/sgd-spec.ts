/**
 * What an SGD fit is asked to do, and its validation at the public boundary
 * (every option checked once, errors naming the option and the value).
 */
import { SpecError } from '../../errors.js';
import type { L2Scale, Optimizer } from '../../numerics/sgd/index.js';
import { ADAM_DEFAULTS, type AdamSettings } from '../../numerics/sgd/index.js';
import type { AccumulatorKind } from '../../numerics/types.js';

export interface SgdSpec {
  /** Number of feature columns. */
  readonly p: number;
  readonly intercept?: boolean | undefined;
  readonly weighted?: boolean | undefined;
  readonly optimizer?: Optimizer | undefined;
  /** Default: see the module comment. */
  readonly learningRate?: number | undefined;
  /** Rows per step (default: 64, fewer on small units so each unit takes ≥ 16 steps; see step-size.ts). */
  readonly batchSize?: number | undefined;
  /** Ridge λ ≥ 0 (default 0), same objective as the exact solver. */
  readonly l2?: number | undefined;
  /** 'sd' (default): λΣ(s_jβ_j)² with s_j the standardization scale; 'unit': λΣβ_j². */
  readonly l2Scale?: L2Scale | undefined;
  /** Maximum epochs (default 20). */
  readonly epochs?: number | undefined;
  /** Change of the epoch average, relative to max(‖ā‖, 1) in standardized units, that stops the run (default 1e-6). */
  readonly tol?: number | undefined;
  /** Step size at epoch e is η / (1 + decay·(e − 1)) (default 0: constant). */
  readonly decay?: number | undefined;
  readonly seed?: number | undefined;
  /** Build the exact solution in the statistics pass and report the distance to it (default true). */
  readonly check?: boolean | undefined;
  /** Accumulator of the exact check: 'normal' (default; cheaper) or 'qr' (backward stable). */
  readonly checkKind?: AccumulatorKind | undefined;
  /** Fraction of each unit's steps averaged (default 0.5). */
  readonly tailFraction?: number | undefined;
  /**
   * Adam's settings; defaults are Keras' (β1 0.9, β2 0.999, ε 1e-8) except
   * `amsgrad`, on by default here: with variance-reduced gradients it lets
   * Adam converge to the minimizer instead of circling it (see numerics/adam.ts).
   */
  readonly adam?: Partial<AdamSettings> | undefined;
  /** 'svrg' (default): variance-reduced steps from epoch 3 on (see numerics/sgd.ts); 'none': plain steps throughout. */
  readonly varianceReduction?: 'svrg' | 'none' | undefined;
}

/** SgdSpec with every default filled in (learningRate stays undefined: it depends on the data). */
export interface ResolvedSgdSpec {
  readonly p: number;
  readonly intercept: boolean;
  readonly weighted: boolean;
  readonly optimizer: Optimizer;
  readonly learningRate: number | undefined;
  /** Undefined: chosen from the data (step-size.ts). */
  readonly batchSize: number | undefined;
  readonly l2: number;
  readonly l2Scale: L2Scale;
  readonly epochs: number;
  readonly tol: number;
  readonly decay: number;
  readonly seed: number;
  readonly check: boolean;
  readonly checkKind: AccumulatorKind;
  readonly tailFraction: number;
  readonly adam: AdamSettings;
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

function resolveCheckKind(kind: AccumulatorKind | undefined): AccumulatorKind {
  if (kind === undefined) return 'normal';
  if (kind !== 'normal' && kind !== 'qr') {
    throw new SpecError('checkKind', `must be 'normal' or 'qr', got ${String(kind)}`);
  }
  return kind;
}

function resolveAdam(adam: Partial<AdamSettings> | undefined): AdamSettings {
  const out = { ...ADAM_DEFAULTS, amsgrad: true, ...adam };
  for (const key of ['beta1', 'beta2'] as const) {
    if (!(out[key] >= 0 && out[key] < 1))
      throw new SpecError(`adam.${key}`, `must be in [0, 1), got ${out[key]}`);
  }
  if (!(out.epsilon > 0 && Number.isFinite(out.epsilon))) {
    throw new SpecError('adam.epsilon', `must be a positive finite number, got ${out.epsilon}`);
  }
  if (typeof out.amsgrad !== 'boolean')
    throw new SpecError('adam.amsgrad', `must be a boolean, got ${String(out.amsgrad)}`);
  return out;
}

export function resolveSgdSpec(spec: SgdSpec): ResolvedSgdSpec {
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
    batchSize:
      spec.batchSize === undefined ? undefined : positiveInt('batchSize', spec.batchSize, 64),
    l2: nonNegative('l2', spec.l2, 0),
    l2Scale,
    epochs: positiveInt('epochs', spec.epochs, 20),
    tol: nonNegative('tol', spec.tol, 1e-6),
    decay: nonNegative('decay', spec.decay, 0),
    seed,
    check: spec.check ?? true,
    checkKind: resolveCheckKind(spec.checkKind),
    tailFraction,
    adam: resolveAdam(spec.adam),
    varianceReduction: oneOf('varianceReduction', spec.varianceReduction, 'svrg'),
  };
}
