/**
 * The solver: a TriangularFactor of `[1 X y]` in, a Solution out.
 *
 * ## Steps
 *
 * 1. Rank and condition number on the unit-column design (rank.ts).
 * 2. Aliased columns and their relations, R's `lm` choice (aliasing.ts).
 * 3. λ = 0: OLS, minimum-norm or drop when rank-deficient (ols.ts).
 *    λ > 0: ridge (ridge.ts). λ = 'auto': GCV over a grid (gcv.ts), then ridge.
 * 4. RSS is never formed as yᵀy − βᵀXᵀy: it is R's last diagonal element
 *    squared (or the misfit of the ridge solution through R), and a
 *    refinement pass can replace it with a double-double Σ w r² (refine.ts).
 *    TSS is centered with an intercept — Σ_{i=1..m} R[i][m]², the rows of the
 *    y column after the intercept row — and uncentered (Σ_{i=0..m}) without.
 * 5. VIF per column (diagnostics.ts). For factors built by the normal-equations
 *    route, a warning when `digitsLostEstimate` > 8 (fewer than ~8 of 16 digits
 *    may be left).
 *
 * With λ > 0 the coefficients are unique whatever the rank; `status`, `rank`,
 * `aliased` and `relations` still describe the design itself.
 */

import { NumericInputError } from '@linreg/errors';
import type { TriangularFactor } from '../types.js';
import { findAliasing } from './aliasing.js';
import { varianceInflation } from './diagnostics.js';
import { gcvCurve } from './gcv.js';
import { solveOls } from './ols.js';
import { computeRank } from './rank.js';
import { solveRidge } from './ridge.js';
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
  validateFactor(factor);
  const m = factor.k - 1;
  const info = computeRank(factor, o.rankTolerance);
  const aliasing = findAliasing(factor, info);
  const warnings: string[] = [];

  if (factor.spec.kind === 'normal' && factor.digitsLostEstimate > NORMAL_DIGITS_LOST_WARNING) {
    const lost = factor.digitsLostEstimate;
    warnings.push(
      `the normal-equations solver may have lost about ${lost.toFixed(1)} of 16 significant digits ` +
        `(scaled condition number about 1e${Math.round(lost)}); refit with --solver qr for an accurate answer`,
    );
  }

  let lambda = 0;
  let gcv: GcvCurve | undefined;
  const penalized = m - (factor.spec.intercept ? 1 : 0);
  if (o.ridge === 'auto' && penalized === 0) {
    // Nothing to penalize (an intercept-only model): GCV has no choice to make.
    lambda = 0;
  } else if (o.ridge === 'auto') {
    const curve = gcvCurve(factor, o.standardize, o.gcvGrid);
    lambda = curve.chosen;
    gcv = { lambdas: curve.lambdas, scores: curve.scores, chosen: curve.chosen };
    const last = curve.lambdas.length - 1;
    if (last > 0 && (curve.chosenIndex === 0 || curve.chosenIndex === last)) {
      warnings.push(
        `GCV chose lambda = ${lambda.toPrecision(4)} at the ${curve.chosenIndex === 0 ? 'lower' : 'upper'} ` +
          'end of its grid; the best lambda may lie outside the grid',
      );
    }
  } else {
    lambda = o.ridge;
  }

  let coefficients: Float64Array;
  let covUnscaled: Float64Array;
  let rss: number;
  let modelDf: number;
  if (lambda > 0) {
    const fit = solveRidge(factor, lambda, o.standardize);
    ({ coefficients, covUnscaled, rss } = fit);
    modelDf = fit.df;
  } else {
    const fit = solveOls(factor, aliasing, o.aliased);
    ({ coefficients, covUnscaled, rss } = fit);
    modelDf = info.rank;
  }

  return {
    status: info.rank < m ? 'rank-deficient' : 'ok',
    m,
    coefficients,
    rank: info.rank,
    aliasedPolicy: o.aliased,
    aliased: aliasing.aliased,
    relations: aliasing.relations,
    lambda,
    standardized: lambda > 0 && o.standardize,
    rss,
    tss: totalSumOfSquares(factor),
    covUnscaled,
    modelDf,
    residualDf: factor.rowsPositiveWeight - modelDf,
    conditionNumber: info.conditionNumber,
    vif: varianceInflation(factor, aliasing.kept),
    gcv,
    refinementSteps: 0,
    warnings,
  };
}
