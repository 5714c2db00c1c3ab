/**
 * Inference statistics of a solved fit, as R's `summary.lm` / `logLik.lm` and
 * statsmodels' `OLS.summary` report them. Pure: numbers in, numbers out.
 *
 * ## Method
 *
 * With n = rows of positive weight, ν = residual df, RSS = Σ wᵢ rᵢ² and C the
 * unscaled covariance (Cov(β̂) = σ²C):
 *
 * - σ̂² = RSS / ν;  SEⱼ = σ̂ √Cⱼⱼ;  tⱼ = β̂ⱼ / SEⱼ;  pⱼ = 2·F_t(−|tⱼ|; ν);
 *   CIⱼ = β̂ⱼ ∓ q·SEⱼ with q = −F_t⁻¹((1 − level)/2; ν).
 * - R² = 1 − RSS/TSS, where TSS is centered with an intercept and the
 *   uncentered Σ wᵢ yᵢ² without one (R's convention, carried by `solution.tss`).
 *   Adjusted R² = 1 − (1 − R²)·(n − i)/ν with i = 1 for an intercept, else 0.
 * - F = ((TSS − RSS)/d₁) / σ̂² on d₁ = modelDf − i and d₂ = ν, its p-value the
 *   upper tail of F(d₁, d₂): I_x(ν/2, d₁/2) at x = ν/(ν + d₁F) = RSS/TSS
 *   (distributions.ts). Without an intercept this tests all coefficients
 *   against zero (TSS uncentered), as R does. When d₁ ≤ 0 (an intercept-only
 *   model) there is no F test and all three F fields are NaN.
 * - Gaussian log-likelihood at the MLE σ̃² = RSS/n, with the weights' Jacobian
 *   term (R's `logLik.lm`, statsmodels' WLS `llf`):
 *   ℓ = ½ Σ log wᵢ − (n/2)·(log 2π + 1 − log n + log RSS).
 * - AIC = −2ℓ + 2k and BIC = −2ℓ + k·log n with **k = modelDf + 1** (R's
 *   convention: the rank, plus one for σ). statsmodels counts k = rank, so its
 *   AIC is ours − 2 and its BIC is ours − log n.
 *
 * ## Robust covariance (`options.robust`, robust.ts)
 *
 * With a heteroskedasticity-robust V (HC0–HC3): SEⱼ = √Vⱼⱼ, and t, p and CI
 * as above on the same ν (R's `coeftest(fit, vcov = vcovHC)`); the F test is
 * the Wald test F = β_Sᵀ V_S⁻¹ β_S / d₁ of the same coefficients on (d₁, ν)
 * df (`lmtest::waldtest`). σ̂, R², the likelihood and the classical C are
 * unchanged. Without `robust` nothing above changes, to the bit.
 *
 * ## Aliased columns and edge cases
 *
 * - Columns in `solution.aliased` are not identified: their SE, t, p and CI
 *   are NaN; their estimate is NaN under `drop` (R's NA) and the minimum-norm
 *   value under `min-norm`. Under `min-norm`, the other columns that appear in
 *   an alias relation report the SE of the minimum-norm estimator
 *   (pseudo-inverse C), which is the variance of an estimable projection, not
 *   of a separately identified coefficient.
 * - ν ≤ 0 (saturated or perfect fit with as many parameters as rows): σ̂, SE,
 *   t, p, CI, adjusted R² and F are NaN, as R prints NaN.
 * - RSS = 0 with ν > 0: σ̂ = 0 and SE = 0, so t = ±∞ (NaN when β̂ = 0), p = 0,
 *   CI = [β̂, β̂], F = +∞ with p = 0, and ℓ = +∞ (AIC, BIC = −∞). R reports the
 *   same values (with an "essentially perfect fit" warning); we do not invent
 *   a tiny σ.
 *
 * ## Ridge (λ > 0)
 *
 * C is the sandwich (XᵀWX+λD)⁻¹XᵀWX(XᵀWX+λD)⁻¹ and ν = n − tr(H), the effective
 * residual df. SE, t, p, CI and F under ridge are **approximate**: the
 * estimator is biased, so these describe its variability around its own mean,
 * not around the true β (statsmodels' `fit_regularized` reports none of them).
 * `approximate` is set so callers can say so.
 */

import { NumericInputError } from '@linreg/errors';
import type { Solution } from '../solve/index.js';
import type { FactorShape } from '../types.js';
import {
  fUpperTail,
  fUpperTailOfRatio,
  studentTQuantile,
  studentTTwoSidedP,
} from './distributions.js';
import type { RobustCovariance } from './robust.js';

export interface InferenceOptions {
  /** Confidence level of the intervals, in (0, 1). Default 0.95. */
  readonly level?: number;
  /**
   * A heteroskedasticity-robust covariance (robust.ts): SE, t, p, CI and the
   * F test (a Wald test) then use it instead of σ̂²C.
   */
  readonly robust?: RobustCovariance | undefined;
}

/** Per-coefficient arrays have length m and follow the design-column order of the solution. */
export interface Inference {
  readonly level: number;
  /** Rows with positive weight. */
  readonly n: number;
  /** q with P(|T| ≤ q) = level for T ~ t(ν); NaN when ν ≤ 0. */
  readonly tCritical: number;
  readonly estimate: Float64Array;
  readonly stdError: Float64Array;
  readonly tValue: Float64Array;
  readonly pValue: Float64Array;
  readonly ciLow: Float64Array;
  readonly ciHigh: Float64Array;
  /** Residual standard error σ̂ = √(RSS/ν). */
  readonly sigma: number;
  readonly residualDf: number;
  readonly modelDf: number;
  readonly rSquared: number;
  readonly adjRSquared: number;
  readonly fStatistic: number;
  readonly fDf1: number;
  readonly fDf2: number;
  readonly fPValue: number;
  readonly logLik: number;
  /** Parameters counted by AIC/BIC: modelDf + 1 (R's convention; see the module comment). */
  readonly logLikDf: number;
  readonly aic: number;
  readonly bic: number;
  readonly conditionNumber: number;
  /** True for ridge fits (λ > 0): SE, t, p, CI and F are approximate. */
  readonly approximate: boolean;
  /** The robust covariance SE, t, p, CI and F were computed from; absent for classical ones. */
  readonly robust?: RobustCovariance;
}

const LOG_2PI = Math.log(2 * Math.PI);

/** Compute the summary statistics of `solution`, which was solved from `factor`. */
export function computeInference(
  factor: FactorShape,
  solution: Solution,
  options: InferenceOptions = {},
): Inference {
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) {
    throw new NumericInputError(`confidence level must be in (0, 1), got ${level}`);
  }
  const m = solution.m;
  if (
    m !== factor.k - 1 ||
    solution.covUnscaled.length !== m * m ||
    solution.coefficients.length !== m
  ) {
    throw new NumericInputError(
      `solution (m = ${m}, ${solution.coefficients.length} coefficients, ${solution.covUnscaled.length} ` +
        `covariance entries) does not match the factor's ${factor.k - 1} design columns`,
    );
  }
  const n = factor.rowsPositiveWeight;
  const nu = solution.residualDf;
  const rss = solution.rss;
  const tss = solution.tss;
  const interceptDf = factor.spec.intercept ? 1 : 0;

  const sigma2 = nu > 0 ? rss / nu : Number.NaN;
  const sigma = Math.sqrt(sigma2);
  // Lower-tail quantile, negated: the lower tail is the accurate one for levels near 1.
  const tCritical = nu > 0 ? -studentTQuantile((1 - level) / 2, nu) : Number.NaN;

  const isAliased = new Uint8Array(m);
  for (const j of solution.aliased) isAliased[j] = 1;

  const robust = options.robust;
  if (robust !== undefined && robust.cov.length !== m * m) {
    throw new NumericInputError(
      `robust covariance has ${robust.cov.length} entries, the solution m = ${m}`,
    );
  }
  const estimate = Float64Array.from(solution.coefficients);
  const stdError = new Float64Array(m);
  const tValue = new Float64Array(m);
  const pValue = new Float64Array(m);
  const ciLow = new Float64Array(m);
  const ciHigh = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    if (isAliased[j] === 1) {
      stdError[j] = tValue[j] = pValue[j] = ciLow[j] = ciHigh[j] = Number.NaN;
      continue;
    }
    const b = estimate[j];
    const se =
      robust === undefined
        ? sigma * Math.sqrt(solution.covUnscaled[j * m + j])
        : nu > 0
          ? Math.sqrt(robust.cov[j * m + j])
          : Number.NaN;
    stdError[j] = se;
    // se = 0 (perfect fit) gives ±Infinity, or NaN when b = 0: reported as is.
    const t = b / se;
    tValue[j] = t;
    pValue[j] = studentTTwoSidedP(t, nu);
    ciLow[j] = b - tCritical * se;
    ciHigh[j] = b + tCritical * se;
  }

  const rSquared = 1 - rss / tss;
  const adjRSquared = nu > 0 ? 1 - ((1 - rSquared) * (n - interceptDf)) / nu : Number.NaN;

  const fDf1 = robust === undefined ? solution.modelDf - interceptDf : robust.waldDf1;
  const hasF = fDf1 > 0 && nu > 0;
  let fStatistic = Number.NaN;
  let fPValue = Number.NaN;
  if (hasF && robust === undefined) {
    fStatistic = (tss - rss) / fDf1 / sigma2;
    // ν/(ν + fDf1·F) is RSS/TSS: the tail from the sums themselves, not from the rounded F.
    fPValue = fUpperTailOfRatio(rss / tss, (tss - rss) / tss, fDf1, nu);
  } else if (hasF && !Number.isNaN(robust?.waldF)) {
    fStatistic = robust?.waldF as number;
    fPValue = fUpperTail(fStatistic, fDf1, nu);
  }

  const logLik =
    n > 0
      ? 0.5 * (factor.sumLogWeights - n * (LOG_2PI + 1 - Math.log(n) + Math.log(rss)))
      : Number.NaN;
  const logLikDf = solution.modelDf + 1;
  const aic = -2 * logLik + 2 * logLikDf;
  const bic = -2 * logLik + Math.log(n) * logLikDf;

  return {
    level,
    n,
    tCritical,
    estimate,
    stdError,
    tValue,
    pValue,
    ciLow,
    ciHigh,
    sigma,
    residualDf: nu,
    modelDf: solution.modelDf,
    rSquared,
    adjRSquared,
    fStatistic,
    fDf1: hasF ? fDf1 : Number.NaN,
    fDf2: hasF ? nu : Number.NaN,
    fPValue,
    logLik,
    logLikDf,
    aic,
    bic,
    conditionNumber: solution.conditionNumber,
    approximate: solution.lambda > 0,
    ...(robust === undefined ? {} : { robust }),
  };
}
