/**
 * Options of `solve` and their validation at the public boundary.
 */
import { SolveOptionError } from '@linreg/errors';
import type { GcvGrid } from './gcv.js';
import { DEFAULT_RANK_TOLERANCE } from './rank.js';
import type { AliasedPolicy } from './solution.js';

export interface SolveOptions {
  /** How to report a rank-deficient OLS fit. Default 'min-norm'. */
  readonly aliased?: AliasedPolicy;
  /** Ridge penalty λ ≥ 0, or 'auto' for generalized cross-validation. Default 0 (OLS). */
  readonly ridge?: number | 'auto';
  /** Ridge only: penalize standardized coefficients (see ridge.ts). Default false. */
  readonly standardize?: boolean;
  /**
   * Relative tolerance τ on the singular values of the unit-column design:
   * rank = #{σᵢ > τσ₁}. Default 1e-11 (rank.ts explains why).
   */
  readonly rankTolerance?: number;
  /** λ = 'auto' only: absolute grid of λ values (log-spaced). Default: see gcv.ts. */
  readonly gcvGrid?: GcvGrid;
}

export interface ResolvedSolveOptions {
  readonly aliased: AliasedPolicy;
  readonly ridge: number | 'auto';
  readonly standardize: boolean;
  readonly rankTolerance: number;
  readonly gcvGrid: GcvGrid | undefined;
}

export function resolveSolveOptions(options: SolveOptions = {}): ResolvedSolveOptions {
  const aliased = options.aliased ?? 'min-norm';
  if (aliased !== 'min-norm' && aliased !== 'drop') {
    throw new SolveOptionError('aliased', aliased, "must be 'min-norm' or 'drop'");
  }
  const ridge = options.ridge ?? 0;
  if (ridge !== 'auto' && !(Number.isFinite(ridge) && ridge >= 0)) {
    throw new SolveOptionError('ridge', ridge, "must be a finite number >= 0 or 'auto'");
  }
  const rankTolerance = options.rankTolerance ?? DEFAULT_RANK_TOLERANCE;
  if (!(rankTolerance >= 0 && rankTolerance < 1)) {
    throw new SolveOptionError('rankTolerance', rankTolerance, 'must be in [0, 1)');
  }
  const grid = options.gcvGrid;
  if (grid !== undefined) {
    if (!(grid.min > 0 && grid.max >= grid.min && Number.isFinite(grid.max))) {
      throw new SolveOptionError('gcvGrid', `${grid.min}..${grid.max}`, 'needs 0 < min <= max');
    }
    if (!(Number.isInteger(grid.count) && grid.count >= 1)) {
      throw new SolveOptionError('gcvGrid.count', grid.count, 'must be an integer >= 1');
    }
  }
  return {
    aliased,
    ridge,
    standardize: options.standardize ?? false,
    rankTolerance,
    gcvGrid: grid,
  };
}
