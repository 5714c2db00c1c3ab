/**
 * What the SGD driver works with: the fit's resolved options (validated once,
 * in options/) plus the design's shape. No checks here — every value arrives
 * resolved.
 */
import { ADAM_DEFAULTS, type AdamSettings, type Optimizer } from '../../numerics/sgd/index.js';
import type { AccumulatorKind } from '../../numerics/types.js';
import { AUTO_CHECK_MAX_FEATURES, type ResolvedFitSpec } from '../../options/index.js';

/**
 * Adam's settings: Keras' defaults (β1 0.9, β2 0.999, ε 1e-8) except
 * `amsgrad`, on here: with variance-reduced gradients it lets Adam converge
 * to the minimizer instead of circling it (see numerics/sgd/adam.ts).
 */
export const SGD_ADAM: AdamSettings = { ...ADAM_DEFAULTS, amsgrad: true };

export interface SgdSettings {
  /** Number of feature columns. */
  readonly p: number;
  readonly intercept: boolean;
  readonly weighted: boolean;
  readonly optimizer: Optimizer;
  /** Undefined: chosen from the data (step-size.ts). */
  readonly learningRate: number | undefined;
  /** Undefined: chosen from the data (step-size.ts). */
  readonly batchSize: number | undefined;
  /** Ridge λ ≥ 0, the exact solver's objective. */
  readonly ridge: number;
  /** Penalize standardized coefficients (λΣ(s_jβ_j)²) rather than raw ones (λΣβ_j²). */
  readonly standardize: boolean;
  readonly epochs: number;
  readonly tol: number;
  readonly decay: number;
  readonly seed: number;
  /** Build the exact solution in the statistics pass and report the distance to it. */
  readonly check: boolean;
  /** Accumulator of the exact check: 'normal' (cheaper) or 'qr'. */
  readonly checkKind: AccumulatorKind;
  readonly tailFraction: number;
  readonly adam: AdamSettings;
  readonly varianceReduction: 'svrg' | 'none';
}

export function sgdSettingsOf(spec: ResolvedFitSpec, p: number): SgdSettings {
  return {
    p,
    intercept: spec.intercept,
    weighted: spec.weights !== undefined,
    optimizer: spec.optimizer,
    learningRate: spec.learningRate,
    batchSize: spec.batchSize,
    ridge: spec.ridge === 'auto' ? 0 : spec.ridge,
    standardize: spec.standardize,
    epochs: spec.epochs,
    tol: spec.tol,
    decay: spec.decay,
    seed: spec.seed,
    check: spec.check === 'on' || (spec.check === 'auto' && p <= AUTO_CHECK_MAX_FEATURES),
    checkKind: 'normal',
    tailFraction: spec.tailFraction,
    adam: SGD_ADAM,
    varianceReduction: spec.varianceReduction,
  };
}
