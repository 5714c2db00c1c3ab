/**
 * The solver: a TriangularFactor of `[1 X y]` in, a Solution out.
 *
 * ## Steps
 *
 * 1. Rank and condition number on the unit-column design (rank.ts).
 * 2. Aliased columns and their relations, R's `lm` choice (aliasing.ts).
 * 3. λ = 0: OLS, minimum-norm or drop when rank-deficient (ols.ts).
 *    λ > 0: ridge (ridge.ts), its effective df Σσ²/(σ²+λ) from the singular
 *    values of the penalized block (ridge-spectrum.ts; for wide designs,
 *    p > CERTIFY_MIN_COLUMNS, the trace ‖R_X T_X⁻¹‖²_F instead, sparing an
 *    O(p³)-a-sweep SVD). λ = 'auto': GCV over a grid from the spectrum,
 *    polished (gcv.ts), then ridge; a warning when the minimum lies at the
 *    grid's edge.
 * 4. RSS is never formed as yᵀy − βᵀXᵀy: it is R's last diagonal element
 *    squared (or the misfit of the ridge solution through R), and a
 *    refinement pass can replace it with a double-double Σ w r² (refine.ts).
 *    TSS is centered with an intercept — Σ_{i=1..m} R[i][m]², the rows of the
 *    y column after the intercept row — and uncentered (Σ_{i=0..m}) without.
 * 5. VIF per column (diagnostics.ts); the raw condition number and, above
 *    CONDITION_WARNING, the columns of the near-dependency (collinearity.ts).
 *    For factors built by the normal-equations route, a warning when the
 *    one-pass error estimate (error-estimate.ts) exceeds what `refine: 'auto'`
 *    ensures (10^−REFINE_TARGET_DIGITS) or `digitsLostEstimate` > 8 —
 *    `refine: 'off'` then leaves digits the output does not have; a
 *    refinement step that corrects them removes it (refine.ts).
 * 6. The prediction factor of an OLS/WLS fit (prediction-factor.ts).
 *
 * With λ > 0 the coefficients are unique whatever the rank; `status`, `rank`,
 * `aliased` and `relations` still describe the design itself.
 *
 * Steps 1–4 are `solveCoefficients`, step 5–6 `completeSolve` (with a wide
 * design's covariance, whose diagonal the first half already has): a fit
 * starts its refinement pass in between (CoefficientSolve).
 */

import { NumericInputError } from '@linreg/errors';
import type { TriangularFactor } from '../types.js';
import { type Aliasing, findAliasing } from './aliasing.js';
import { CONDITION_WARNING, nearDependency, rawConditionNumber } from './collinearity.js';
import { varianceInflation } from './diagnostics.js';
import {
  estimatedRelativeError,
  identifiedConditionNumber,
  REFINE_TARGET_DIGITS,
} from './error-estimate.js';
import { type GcvResult, gcvCurve } from './gcv.js';
import { type OlsCovariance, type OlsResult, olsCovariance, solveOlsCoefficients } from './ols.js';
import { predictionFactor } from './prediction-factor.js';
import { CERTIFY_MIN_COLUMNS, computeRank, type RankInfo } from './rank.js';
import { solveRidge } from './ridge.js';
import { type RidgeSpectrum, ridgeSpectrum, spectrumDf } from './ridge-spectrum.js';
import type { GcvCurve, Solution } from './solution.js';
import {
  type ResolvedSolveOptions,
  resolveSolveOptions,
  type SolveOptions,
} from './solve-options.js';

/** Above this many digits lost (of ~16), a normal-equations fit gets a warning. */
export const NORMAL_DIGITS_LOST_WARNING = 8;

export function validateFactor(factor: TriangularFactor): void {
  const { spec, k, r } = factor;
  const expected = spec.p + (spec.intercept ? 1 : 0) + 1;
  if (k !== expected) {
    throw new NumericInputError(
      `factor has k = ${k} but its spec (p = ${spec.p}, intercept = ${spec.intercept}) needs k = ${expected}`,
    );
  }
  if (r.length < k * k) {
    throw new NumericInputError(`factor R has ${r.length} entries, fewer than k*k = ${k * k}`);
  }
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      if (!Number.isFinite(r[i * k + j])) {
        throw new NumericInputError(
          `factor R[${i}][${j}] = ${r[i * k + j]}: the data contain an infinite or NaN value`,
          undefined,
          j === k - 1 ? 'y' : `design column ${j}`,
        );
      }
    }
  }
}

/** Centered (with intercept) or uncentered weighted total sum of squares from the y column of R. */
export function totalSumOfSquares(factor: TriangularFactor): number {
  const k = factor.k;
  const m = k - 1;
  let tss = 0;
  for (let i = factor.spec.intercept ? 1 : 0; i <= m; i++) {
    tss += factor.r[i * k + m] * factor.r[i * k + m];
  }
  return tss;
}

/** The public solver: checks the options (SolveOptionError naming the option), then solveResolved. */
export function solve(factor: TriangularFactor, options?: SolveOptions): Solution {
  return solveResolved(factor, resolveSolveOptions(options));
}

/** The solver proper, for callers that resolved their options already (the factor is still checked). */
export function solveResolved(factor: TriangularFactor, o: ResolvedSolveOptions): Solution {
  return completeSolve(solveCoefficients(factor, o));
}

/**
 * The first half of the solve (steps 1–4): all that the refinement decision
 * (refine.ts needsRefinement) and a refinement pass at β need — β, the RSS,
 * κ_s, the aliasing, the covariance's diagonal. `completeSolve` does the rest
 * (the covariance when deferred, step 5, 6): a fit starts the refinement pass
 * between the two and completes the solve while the workers run it
 * (engine/exact/finish.ts). `solveResolved` is the two in a row.
 */
export interface CoefficientSolve {
  readonly factor: TriangularFactor;
  readonly options: ResolvedSolveOptions;
  readonly m: number;
  readonly info: RankInfo;
  readonly aliasing: Aliasing;
  readonly aliased: readonly number[];
  readonly conditionNumber: number;
  readonly lambda: number;
  readonly gcv: GcvCurve | undefined;
  readonly coefficients: Float64Array;
  readonly rss: number;
  readonly modelDf: number;
  /** Formed (ridge, aliased or narrow designs), or deferred to completeSolve with its diagonal (ols.ts). */
  readonly covariance: OlsCovariance;
  /** (XᵀWX)⁻¹'s diagonal as covUnscaled will hold it, when covUnscaled is deferred (error-estimate.ts). */
  readonly covDiagonal: Float64Array | undefined;
  readonly covUnscaled: Float64Array | undefined;
  /** The factor for prediction-factor.ts: OLS/WLS, not under `min-norm` with aliased columns. */
  readonly triangle: OlsResult['triangle'] | undefined;
  readonly warnings: readonly string[];
}

/** Steps 1–4 of the solve (CoefficientSolve). */
export function solveCoefficients(
  factor: TriangularFactor,
  o: ResolvedSolveOptions,
): CoefficientSolve {
  validateFactor(factor);
  const m = factor.k - 1;
  const info = computeRank(factor, o.rankTolerance);
  const aliasing = findAliasing(factor, info);
  const warnings: string[] = [];

  let lambda = 0;
  let gcv: GcvCurve | undefined;
  let spectrum: RidgeSpectrum | undefined;
  const penalized = m - (factor.spec.intercept ? 1 : 0);
  if (o.ridge === 'auto' && penalized === 0) {
    // Nothing to penalize (an intercept-only model): GCV has no choice to make.
    lambda = 0;
  } else if (o.ridge === 'auto') {
    const curve = gcvCurve(factor, o.standardize, o.gcvGrid);
    lambda = curve.chosen;
    spectrum = curve.spectrum;
    gcv = { lambdas: curve.lambdas, scores: curve.scores, chosen: curve.chosen };
    if (curve.edge !== undefined) warnings.push(gcvEdgeWarning(curve));
  } else {
    lambda = o.ridge;
  }

  let coefficients: Float64Array;
  let covariance: OlsCovariance;
  let rss: number;
  let modelDf: number;
  let triangle: OlsResult['triangle'] | undefined;
  if (lambda > 0) {
    const fit = solveRidge(factor, lambda, o.standardize);
    ({ coefficients, rss } = fit);
    covariance = { covUnscaled: fit.covUnscaled };
    // df from singular values (ridge-spectrum.ts); wide designs skip the O(p³)-a-sweep SVD.
    if (spectrum === undefined && penalized <= CERTIFY_MIN_COLUMNS) {
      spectrum = ridgeSpectrum(factor, o.standardize);
    }
    modelDf = spectrum === undefined ? fit.df : spectrumDf(spectrum.s, spectrum.i0, lambda);
  } else {
    const fit = solveOlsCoefficients(factor, aliasing, o.aliased, info.inverse);
    ({ coefficients, rss } = fit);
    covariance = fit;
    modelDf = info.rank;
    // Under min-norm with aliased columns C is a pseudo-inverse, which no kept block's factor gives.
    if (aliasing.aliased.length === 0 || o.aliased === 'drop') triangle = fit.triangle;
  }
  return {
    factor,
    options: o,
    m,
    info,
    aliasing,
    aliased: aliasing.aliased,
    conditionNumber: info.conditionNumber,
    lambda,
    gcv,
    coefficients,
    rss,
    modelDf,
    covariance,
    covDiagonal: covariance.deferred?.diagonal,
    covUnscaled: covariance.covUnscaled,
    triangle,
    warnings,
  };
}

/** Steps 5–6 and the deferred covariance: the Solution of a CoefficientSolve. */
export function completeSolve(part: CoefficientSolve): Solution {
  const { factor, info, aliasing, lambda, rss, m } = part;
  const o = part.options;
  const covUnscaled = olsCovariance(part.covariance, m);
  const warnings = [...part.warnings];
  if (factor.spec.kind === 'normal') {
    const kappa = identifiedConditionNumber(factor, info.conditionNumber, aliasing.aliased);
    const error = estimatedRelativeError(factor, kappa, rss);
    if (
      error > 10 ** -REFINE_TARGET_DIGITS ||
      factor.digitsLostEstimate > NORMAL_DIGITS_LOST_WARNING
    ) {
      warnings.push(normalEquationsWarning(factor.digitsLostEstimate, error));
    }
  }
  const conditioned = info.rank === m && info.conditionNumber > CONDITION_WARNING;
  const t = part.triangle;

  return {
    status: info.rank < m ? 'rank-deficient' : 'ok',
    m,
    coefficients: part.coefficients,
    rank: info.rank,
    aliasedPolicy: o.aliased,
    aliased: aliasing.aliased,
    relations: aliasing.relations,
    lambda,
    standardized: lambda > 0 && o.standardize,
    rss,
    tss: totalSumOfSquares(factor),
    covUnscaled,
    modelDf: part.modelDf,
    residualDf: factor.rowsPositiveWeight - part.modelDf,
    conditionNumber: info.conditionNumber,
    conditionNumberRaw: rawConditionNumber(factor),
    nearDependency: conditioned ? nearDependency(factor, info.scales) : undefined,
    // A full-rank OLS covariance is (XᵀWX)⁻¹ itself: its diagonal gives the VIFs.
    vif: varianceInflation(
      factor,
      aliasing.kept,
      lambda === 0 && info.rank === m ? covUnscaled : undefined,
    ),
    gcv: part.gcv,
    predictionFactor: t === undefined ? undefined : predictionFactor(t.t, t.ld, t.columns),
    refinementSteps: 0,
    warnings,
  };
}

/**
 * Starts the warning when a normal-equations fit may have fewer digits than
 * `refine: 'auto'` ensures; refinement removes it once it has corrected them.
 */
export const NORMAL_EQUATIONS_WARNING = 'the normal-equations solver may have lost digits';

function normalEquationsWarning(lost: number, error: number): string {
  const estimate = Number.isFinite(error)
    ? `estimated relative error ${error.toExponential(1)}, above the 1e-${REFINE_TARGET_DIGITS} the default refinement ensures; `
    : '';
  return (
    `${NORMAL_EQUATIONS_WARNING} (${estimate}the Gram squares the scaled condition number, about 1e${Math.round(lost)}): ` +
    'refine (--refine auto or on) or refit with --solver qr'
  );
}

/** One line: where the GCV minimum sits on the grid and what that means. */
function gcvEdgeWarning(curve: GcvResult): string {
  const at = curve.chosen.toPrecision(4);
  const first = curve.lambdas[0].toPrecision(4);
  const last = curve.lambdas[curve.lambdas.length - 1].toPrecision(4);
  if (!curve.defaultGrid) {
    return `GCV chose lambda = ${at} at the ${curve.edge} end of its grid (${first} to ${last}); the minimum may lie outside the grid`;
  }
  return curve.edge === 'lower'
    ? `GCV is smallest at the lower end of its grid (lambda = ${at}, far below every squared singular value): ` +
        'no penalty fits better by GCV, and the fit is essentially least squares'
    : `GCV is smallest at the upper end of its grid (lambda = ${at}, far above every squared singular value): ` +
        'every feature is shrunk away, and the fit is essentially the intercept-only model';
}
