/**
 * The fitted model: plain data, exactly what the JSON file holds (see
 * docs/model-format.md). Every number that may be undefined (an aliased
 * column's SE, an F test that does not exist, …) is NaN in memory and `null` in
 * the file; ±Infinity is also written as `null` and reads back as NaN.
 *
 * Bump MODEL_VERSION on any change that an older reader would misread; adding
 * an optional field does not need a bump, renaming or re-meaning one does.
 */

import type { DesignProgram } from '../formula/program.js';
import type { TopRow } from '../numerics/diagnostics/index.js';
import type { Inference, ResidualDiagnostics } from '../numerics/inference/index.js';
import type { AliasedPolicy } from '../numerics/solve/index.js';

/** A formula's completed design program, as the model records it. */
export type ModelTerms = DesignProgram;

export const MODEL_FORMAT = 'linreg-model';
export const MODEL_VERSION = 2;

/** Versions parseModel reads: 1 (no formulas) and 2 (adds `terms`). */
export const MODEL_VERSIONS_READ: readonly number[] = [1, 2];

/** Name of the intercept's design column, as R prints it. */
export const INTERCEPT_NAME = '(Intercept)';

export type ModelSolver = 'qr' | 'normal' | 'sgd';

/** Heteroskedasticity-robust standard errors (`se`); classical ones are not recorded. */
export type ModelSeType = 'hc0' | 'hc1' | 'hc2' | 'hc3';

/** What a cluster-robust covariance was clustered by. */
export interface ModelCluster {
  /** One column, or two (two-way: Cameron–Gelbach–Miller). */
  readonly columns: readonly string[];
  /** Clusters found among the rows used: [G] one-way, [G_1, G_2, G_1∩2] two-way. */
  readonly clusters: readonly number[];
}

export interface ModelCoefficient {
  /** Design-column name: `(Intercept)` or a feature name. */
  readonly name: string;
  /** NaN for an aliased column under `drop`. */
  readonly estimate: number;
  readonly stdError: number;
  readonly t: number;
  readonly p: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  /** Variance inflation factor (NaN for the intercept and aliased columns). */
  readonly vif: number;
  readonly aliased: boolean;
}

export interface ModelRelationTerm {
  readonly name: string;
  readonly coef: number;
}

/** An aliased design column and the linear relation that makes it so. */
export interface ModelAlias {
  readonly name: string;
  /** `name = Σ coef·term` holds on every used row. */
  readonly terms: readonly ModelRelationTerm[];
  /** The relation as text, e.g. `x2 = x1 + 1·(Intercept)`. */
  readonly relation: string;
}

/** Summary statistics as computeInference reports them, plus the sums of squares. */
export interface ModelStatistics
  extends Pick<
    Inference,
    | 'sigma'
    | 'residualDf'
    | 'modelDf'
    | 'rSquared'
    | 'adjRSquared'
    | 'fStatistic'
    | 'fDf1'
    | 'fDf2'
    | 'fPValue'
    | 'logLik'
    | 'logLikDf'
    | 'aic'
    | 'bic'
    | 'conditionNumber'
    | 'tCritical'
  > {
  readonly rss: number;
  readonly tss: number;
  /**
   * The condition number of the design in the user's units (intercept column
   * included, √W-weighted): what numpy's `np.linalg.cond(X)` and statsmodels'
   * "Cond. No." report, beside `conditionNumber` on unit-norm columns. An
   * optional field, added without a version bump; absent for SGD without the
   * exact check.
   */
  readonly conditionNumberRaw?: number;
}

export interface ModelRows {
  /** Rows read from the inputs. */
  readonly read: number;
  /** Rows that entered the fit. */
  readonly used: number;
  /** Rows dropped for a missing value in a used column. */
  readonly droppedMissing: number;
  /** Used rows with positive weight (the n of the statistics). */
  readonly positiveWeight: number;
}

export interface ModelGcv {
  readonly lambdas: readonly number[];
  readonly scores: readonly number[];
  readonly chosen: number;
}

export interface ModelRidge {
  /** Penalty used (0 for OLS). */
  readonly lambda: number;
  /** Whether the penalty applied to standardized features. */
  readonly standardize: boolean;
}

/** One epoch of an SGD fit, as the model records it. */
export interface ModelSgdEpoch {
  readonly epoch: number;
  readonly learningRate: number;
  /** Weighted mean squared residual seen during the epoch (original units); null under SVRG steps. */
  readonly meanLoss: number;
  /** Relative change of the epoch average (standardized); null at epoch 1. */
  readonly change: number;
  /** Relative distance of the running average to the exact coefficients; null without the check. */
  readonly relativeError: number;
}

/** How an SGD fit went (solver 'sgd' only). */
export interface ModelSgd {
  readonly optimizer: 'sgd' | 'adam';
  /** 'converged': the epoch average moved by less than `tol`; 'max-epochs': it did not. */
  readonly status: 'converged' | 'max-epochs';
  readonly epochs: number;
  readonly tol: number;
  readonly learningRate: number;
  readonly batchSize: number;
  /** Which averaged iterate is reported. */
  readonly estimate: 'overall-average' | 'epoch-average';
  /** 2-norm of the full-batch gradient at the reported coefficients (standardized units). */
  readonly gradientNorm: number;
  /** Whether the exact solution was built alongside (`check`). */
  readonly checked: boolean;
  /** ‖β̂ − β*‖ / ‖β*‖ to the exact coefficients; null without the check. */
  readonly relativeError: number;
  readonly history: readonly ModelSgdEpoch[];
}

/**
 * Residual diagnostics (`diagnostics`): an optional field, added without a
 * version bump, holding what numerics/inference computes (one declaration);
 * see docs/model-format.md.
 */
export type ModelDiagnostics = ResidualDiagnostics;

/** One of the diagnostics' top rows (`topCook`, `topLeverage`): file, 1-based row, value. */
export type ModelTopRow = TopRow;

/** One term's row of the sequential ANOVA table (R's anova.lm); the residual row is in `statistics`. */
export interface ModelAnovaTerm {
  /** The term as R labels it: `x`, `g`, `poly(x, 3)`, `g:x`. */
  readonly term: string;
  /** Kept (not aliased) design columns of the term. */
  readonly df: number;
  readonly sumSq: number;
  readonly meanSq: number;
  /** meanSq over the residual mean square; NaN without residual df. */
  readonly f: number;
  readonly p: number;
}

/**
 * The triangular factor of the kept design columns, scaled to unit-norm
 * columns (numerics/solve/prediction-factor.ts): what `predict` computes
 * standard errors from, as R's predict.lm does with its QR's R.
 */
export interface ModelTriangularFactor {
  /** The kept design columns, in design order (the columns a dropped coefficient is not in). */
  readonly columns: readonly string[];
  /** The weighted Euclidean norm of each of those columns (D). */
  readonly scales: readonly number[];
  /** q rows of q numbers, upper triangular: R D⁻¹ with RᵀR = X_KᵀWX_K. */
  readonly r: readonly (readonly number[])[];
}

export interface LinregModel {
  readonly format: typeof MODEL_FORMAT;
  readonly version: typeof MODEL_VERSION;
  /** ISO-8601 time of the fit. */
  readonly created: string;
  readonly target: string;
  /** Feature names in design order (the intercept is not a feature). */
  readonly features: readonly string[];
  readonly intercept: boolean;
  /** Weights column, or null for an unweighted fit. */
  readonly weights: string | null;
  /**
   * A formula fit's terms (version 2): how predict rebuilds the design from
   * raw columns — transforms, factor levels and references, polynomial
   * constants, offsets. Absent for `--target/--features` fits.
   */
  readonly terms?: ModelTerms;
  /**
   * True when the fit read date, time and timestamp columns as seconds
   * (`FitSpec.timestamps`), so prediction must read them the same way;
   * absent otherwise (an optional field, added without a version bump).
   */
  readonly timestamps?: true;
  /**
   * The `where` filter of the fit (its text, as given): the model was fit on
   * the rows where it holds; absent without one (an optional field, added
   * without a version bump).
   */
  readonly where?: string;
  readonly solver: ModelSolver;
  readonly aliasedPolicy: AliasedPolicy;
  readonly ridge: ModelRidge;
  /** Confidence level of the coefficient intervals. */
  readonly level: number;
  readonly rank: number;
  /** Coefficients in design order: the intercept first when there is one. */
  readonly coefficients: readonly ModelCoefficient[];
  readonly aliased: readonly ModelAlias[];
  /** m x m, row-major rows, design order: Cov(β̂) = sigma²·covUnscaled. NaN for dropped columns. */
  readonly covUnscaled: readonly (readonly number[])[];
  /**
   * The factor `covUnscaled` is the inverse Gram of: present for OLS/WLS fits
   * (not ridge, not `min-norm` with aliased columns, not SGD without the
   * exact check); `predict` falls back to `covUnscaled` without it (an
   * optional field, added without a version bump).
   */
  readonly triangularFactor?: ModelTriangularFactor;
  /**
   * Robust fits (`se` hc0–hc3): the covariance type that stdError, t, p, the
   * intervals and the F test (then a Wald test) use; absent for classical
   * standard errors (an optional field, added without a version bump).
   */
  readonly se?: ModelSeType;
  /** With `se`: m x m Cov(β̂) itself (no sigma² factor), design order; NaN for dropped columns. */
  readonly covRobust?: readonly (readonly number[])[];
  /**
   * Cluster-robust fits (`cluster`): `se` is then sandwich::vcovCL's type
   * (hc1 = CR1, Stata's; or hc0) and `covRobust` the clustered covariance
   * (an optional field, added without a version bump).
   */
  readonly cluster?: ModelCluster;
  readonly statistics: ModelStatistics;
  /**
   * Sequential (type I) ANOVA by term, as R's anova.lm; exact least-squares
   * fits only (an optional field, absent for ridge and SGD).
   */
  readonly anova?: readonly ModelAnovaTerm[];
  /** Residual diagnostics when the fit asked for them (`diagnostics`); absent otherwise. */
  readonly diagnostics?: ModelDiagnostics;
  readonly rows: ModelRows;
  /** Ridge GCV curve when λ was chosen automatically, else null. */
  readonly gcv: ModelGcv | null;
  readonly refinementSteps: number;
  /** solver 'sgd': the optimizer's report; absent otherwise (an optional field, added without a version bump). */
  readonly sgd?: ModelSgd;
  readonly warnings: readonly string[];
}

/** The design-column names of a model: `(Intercept)` first when present, then the features. */
export function designNames(intercept: boolean, features: readonly string[]): string[] {
  return intercept ? [INTERCEPT_NAME, ...features] : [...features];
}
