/** What an SGD fit reports (fit-sgd.ts fills it in). */

import type { Optimizer, Standardization } from '../../numerics/sgd/index.js';
import type { AliasRelation, Solution } from '../../numerics/solve/index.js';
import type { TriangularFactor } from '../../numerics/types.js';

export interface SgdExactCheck {
  readonly factor: TriangularFactor;
  readonly solution: Solution;
  /** ‖β̂ − β*‖ / ‖β*‖ over all design coefficients (intercept included), original units. */
  readonly relativeError: number;
  /** The same for the last iterate. */
  readonly lastIterateRelativeError: number;
}

export interface SgdEpochReport {
  readonly epoch: number;
  readonly learningRate: number;
  readonly varianceReduced: boolean;
  /** ‖ā_e − ā_{e−1}‖ / max(‖ā_e‖, 1) of the epoch averages (standardized); Infinity at epoch 1. */
  readonly change: number;
  /** Where it started: at the broadcast parameters, exactly over the whole data. */
  readonly start: {
    /** Weighted mean squared residual (original units). */
    readonly loss: number;
    /** ‖∇F‖ (standardized units). */
    readonly gradientNorm: number;
  };
  /** Weighted mean of the squared residuals seen during the epoch (original units); NaN for SVRG epochs. */
  readonly meanLoss: number;
  /** With `check`: relative distance of the overall average to the exact coefficients (original units). */
  readonly relativeError?: number | undefined;
  /** With `check`: the same for this epoch's average. */
  readonly epochAverageRelativeError?: number | undefined;
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
  /** Design order (intercept first), original units: the reported averaged iterate, min-norm when aliased. */
  readonly coefficients: Float64Array;
  /** Row-weighted mean of the units' last iterates of the last epoch, original units (projected the same way). */
  readonly lastIterate: Float64Array;
  /** Standardized parameters of `coefficients` before projection. */
  readonly theta: Float64Array;
  readonly standardization: Standardization;
  /** F at `theta` (see numerics/sgd-objective.ts) and the 2-norm of its full-batch gradient (standardized units). */
  readonly objective: number;
  readonly gradientNorm: number;
  /** Weighted mean squared residual at `coefficients`, original units. */
  readonly meanSquaredError: number;
  readonly learningRate: number;
  readonly batchSize: number;
  readonly ridge: number;
  /** Numerical rank of the design from the exact check; undefined without it (never guessed). */
  readonly rank: number | undefined;
  readonly aliased: readonly number[];
  readonly relations: readonly AliasRelation[];
  /** Design columns (intercept = 0) of features without spread. */
  readonly constantColumns: readonly number[];
  readonly exact: SgdExactCheck | undefined;
  readonly history: readonly SgdEpochReport[];
  /** The `tol` the run stopped against (status 'converged' means the change fell below it). */
  readonly tol: number;
  readonly rows: { readonly read: number; readonly used: number; readonly dropped: number };
  /** Used rows with positive weight, and Σ log w over them (0 unweighted). */
  readonly rowsPositiveWeight: number;
  readonly sumLogWeights: number;
  /** Bytes of the units, read once per pass. */
  readonly bytes: number;
  readonly warnings: readonly string[];
}
