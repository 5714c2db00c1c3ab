/**
 * An SGD fit as a numerics Solution, so the engine builds the model and its
 * inference exactly as for the exact solvers (solver: 'sgd').
 *
 * With the exact check, everything that describes the design — rank,
 * aliasing, condition number, VIF, the unscaled covariance, degrees of
 * freedom, TSS — comes from the exact factor of the same rows; the
 * coefficients and the RSS are the SGD fit's own (RSS from the exact
 * evaluation pass at the reported coefficients). Standard errors then
 * describe the least-squares estimator, which SGD reached to the stated
 * relative distance.
 *
 * Without the check there is no factor: TSS comes from the first pass's
 * moments, the rank is taken as full but for the columns without spread
 * (said in a warning), and there is no covariance, condition number or VIF.
 * Standard errors, t and p are NA then — and also whenever SGD did not
 * converge to `tol`: they would describe coefficients it did not reach.
 *
 * Under `aliased: 'drop'` the minimum-norm SGD coefficients are rewritten to
 * R's form: each aliased column c with relation x_c = Σ a_t x_t (kept, earlier
 * columns) moves its coefficient onto those columns (β_t += a_t β_c), which
 * leaves every fitted value unchanged, and β_c becomes NaN.
 */
import type { AliasedPolicy, AliasRelation, Solution } from '../../numerics/solve/index.js';
import { solveResolved } from '../../numerics/solve/index.js';
import { solveOptionsOf } from '../projection.js';
import type { SgdFit } from './sgd-result.js';

function dropAliased(coefficients: Float64Array, relations: readonly AliasRelation[]): void {
  for (const relation of relations) {
    const bc = coefficients[relation.column];
    for (const term of relation.terms) coefficients[term.column] += term.coef * bc;
  }
  for (const relation of relations) coefficients[relation.column] = Number.NaN;
}

/** The solution of a fit without the exact check: no factor, so no covariance. */
function uncheckedBase(fit: SgdFit, aliased: AliasedPolicy, standardize: boolean): Solution {
  const std = fit.standardization;
  const m = fit.coefficients.length;
  const y = std.p;
  const tss = std.constant[y] === 1 ? 0 : std.sumWeights * std.scale[y] * std.scale[y];
  const rank = m - fit.aliased.length;
  return {
    status: fit.aliased.length > 0 ? 'rank-deficient' : 'ok',
    m,
    coefficients: fit.coefficients,
    rank,
    aliasedPolicy: aliased,
    aliased: fit.aliased,
    relations: fit.relations,
    lambda: fit.ridge,
    standardized: standardize,
    rss: 0,
    tss,
    covUnscaled: new Float64Array(m * m).fill(Number.NaN),
    modelDf: rank,
    residualDf: fit.rowsPositiveWeight - rank,
    conditionNumber: Number.NaN,
    vif: new Float64Array(m).fill(Number.NaN),
    refinementSteps: 0,
    warnings: [
      'sgd without the exact check (--check off): rank and aliasing were not checked ' +
        '(full rank assumed but for columns without spread); no standard errors',
    ],
  };
}

export function sgdSolution(fit: SgdFit, aliased: AliasedPolicy, standardize: boolean): Solution {
  const exact = fit.exact;
  let base: Solution;
  if (exact === undefined) {
    base = uncheckedBase(fit, aliased, standardize);
  } else {
    const drop =
      aliased === 'drop' && exact.solution.lambda === 0 && exact.solution.aliased.length > 0;
    // The check solved by minimum norm; 'drop' has its own covariance (NaN rows): re-solve (m × m work).
    base = drop
      ? solveResolved(exact.factor, solveOptionsOf('drop', 0, exact.solution.standardized))
      : exact.solution;
  }
  const coefficients = fit.coefficients.slice();
  if (aliased === 'drop' && base.lambda === 0) dropAliased(coefficients, base.relations);
  const converged = fit.status === 'converged';
  const distance =
    exact === undefined
      ? ''
      : `; relative distance to the exact coefficients ${exact.relativeError.toExponential(2)}`;
  const last = fit.history[fit.history.length - 1];
  const state = converged
    ? 'converged'
    : `not converged to tol ${fit.tol} (last relative change ${last?.change.toExponential(2)})`;
  const note =
    `sgd (${fit.optimizer}): ${fit.epochs} epochs, ${state}${distance}, ` +
    `gradient norm ${fit.gradientNorm.toExponential(2)}` +
    (converged ? '' : '; standard errors, t and p are NA');
  const m = coefficients.length;
  return {
    ...base,
    coefficients,
    covUnscaled: converged ? base.covUnscaled : new Float64Array(m * m).fill(Number.NaN),
    rss: fit.meanSquaredError * fit.standardization.sumWeights,
    warnings: [...base.warnings, note, ...fit.warnings],
  };
}
