/**
 * An SGD fit as a numerics Solution, so the engine can build the model and
 * its inference exactly as for the exact solvers (solver: 'sgd').
 *
 * Needs the exact check (`check: true`, the default): everything that
 * describes the design — rank, aliasing, condition number, VIF, the unscaled
 * covariance, degrees of freedom, TSS — comes from the exact factor of the
 * same rows; the coefficients and the RSS are the SGD fit's own (RSS from the
 * exact evaluation pass at the reported coefficients). Standard errors
 * therefore describe the least-squares estimator; they apply to the SGD
 * coefficients to the extent that SGD reached it, which the warning states
 * (the relative distance to the exact coefficients).
 *
 * Under `aliased: 'drop'` the minimum-norm SGD coefficients are rewritten to
 * R's form: each aliased column c with relation x_c = Σ a_t x_t (kept, earlier
 * columns) moves its coefficient onto those columns (β_t += a_t β_c), which
 * leaves every fitted value unchanged, and β_c becomes NaN.
 */
import { FitError } from '../../errors.js';
import type { AliasedPolicy, Solution } from '../../numerics/solve/index.js';
import { solve } from '../../numerics/solve/index.js';
import type { SgdFit } from './sgd-result.js';

export function sgdSolution(fit: SgdFit, aliased: AliasedPolicy = 'min-norm'): Solution {
  const exact = fit.exact;
  if (exact === undefined) {
    throw new FitError(
      'sgd: a model needs the exact check (check: true) for its standard errors and aliasing',
    );
  }
  const drop =
    aliased === 'drop' && exact.solution.lambda === 0 && exact.solution.aliased.length > 0;
  // The exact check solved by minimum norm; 'drop' has its own covariance (NaN rows), so re-solve (m × m work).
  const base = drop
    ? solve(exact.factor, { lambda: 0, aliased: 'drop', standardize: exact.solution.standardized })
    : exact.solution;
  const coefficients = fit.coefficients.slice();
  if (drop) {
    for (const relation of base.relations) {
      const bc = coefficients[relation.column];
      for (const term of relation.terms) coefficients[term.column] += term.coef * bc;
    }
    for (const relation of base.relations) coefficients[relation.column] = Number.NaN;
  }
  const note =
    `sgd (${fit.optimizer}): ${fit.epochs} epochs, ${fit.status}; relative distance to the exact ` +
    `coefficients ${exact.relativeError.toExponential(2)}, gradient norm ${fit.gradientNorm.toExponential(2)}`;
  return {
    ...base,
    coefficients,
    rss: fit.meanSquaredError * fit.standardization.sumWeights,
    warnings: [...base.warnings, note, ...fit.warnings],
  };
}
