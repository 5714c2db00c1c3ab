/**
 * What the solver returns: numbers only, indexed by design column
 * (0 = intercept when there is one, then the p features in order).
 * The model layer attaches names and inference statistics.
 */

import type { PredictionFactor } from './prediction-factor.js';

export type AliasedPolicy = 'min-norm' | 'drop';

/** x[column] = Σ coef · x[term.column] (+ the intercept column when it is a term) on every row. */
export interface AliasRelation {
  readonly column: number;
  readonly terms: readonly { readonly column: number; readonly coef: number }[];
}

export interface GcvCurve {
  readonly lambdas: Float64Array;
  readonly scores: Float64Array;
  readonly chosen: number;
}

export interface Solution {
  readonly status: 'ok' | 'rank-deficient';
  /** Number of design columns m. */
  readonly m: number;
  /** Length m. Under `drop`, aliased columns are NaN (as R's lm reports NA). */
  readonly coefficients: Float64Array;
  /** Numerical rank of the design (scaled to unit-norm columns). */
  readonly rank: number;
  readonly aliasedPolicy: AliasedPolicy;
  /** Design columns judged aliased (empty when full rank). */
  readonly aliased: readonly number[];
  readonly relations: readonly AliasRelation[];
  /** Ridge penalty actually used (0 for OLS). */
  readonly lambda: number;
  readonly standardized: boolean;
  /** Weighted residual sum of squares Σ w rᵢ². */
  readonly rss: number;
  /** Total sum of squares: centered when there is an intercept, else uncentered (as R). */
  readonly tss: number;
  /**
   * m x m row-major: the matrix C such that Cov(β̂) = σ² C. For OLS (XᵀWX)⁻¹ or
   * its pseudo-inverse on the identified subspace; for ridge the sandwich
   * (XᵀWX+λD)⁻¹ XᵀWX (XᵀWX+λD)⁻¹. Rows/columns of dropped columns are NaN.
   */
  readonly covUnscaled: Float64Array;
  /** Model degrees of freedom: rank for OLS, trace of the hat matrix for ridge (includes the intercept). */
  readonly modelDf: number;
  /** Residual degrees of freedom: rowsPositiveWeight − modelDf. */
  readonly residualDf: number;
  /** 2-norm condition number of the design with unit-norm columns. */
  readonly conditionNumber: number;
  /**
   * 2-norm condition number of √W·X itself, intercept column included, in the
   * user's units: numpy's `np.linalg.cond(X)`, statsmodels' "Cond. No."
   * (collinearity.ts). Absent where no factor was built (SGD without the check).
   */
  readonly conditionNumberRaw?: number | undefined;
  /**
   * When `conditionNumber` exceeds CONDITION_WARNING on a full-rank design:
   * the design columns of the near-dependency, most involved first
   * (collinearity.ts); the model names them in a warning.
   */
  readonly nearDependency?: readonly number[] | undefined;
  /** Variance inflation factor per design column (NaN for the intercept and aliased columns). */
  readonly vif: Float64Array;
  readonly gcv?: GcvCurve | undefined;
  /**
   * The triangular factor of the kept columns that `covUnscaled` is the
   * inverse Gram of, for prediction standard errors (prediction-factor.ts).
   * OLS/WLS only, and not under `min-norm` with aliased columns (whose
   * covariance is a pseudo-inverse, not the inverse of a kept block).
   */
  readonly predictionFactor?: PredictionFactor | undefined;
  /** Refinement passes applied (0 when none). */
  readonly refinementSteps: number;
  readonly warnings: readonly string[];
}
