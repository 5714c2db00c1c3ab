export { describeAliasing } from './aliasing.js';
export { applyMatrix, congruence, embedCovariance, keptFactor, minNormProjection } from './ols.js';
export { DEFAULT_RANK_TOLERANCE, designColumnNorms } from './rank.js';
export { penaltyWeights, ridgeFactor } from './ridge.js';
export type { AliasedPolicy, AliasRelation, Solution } from './solution.js';
export { solve, solveResolved } from './solve.js';
export {
  type ResolvedSolveOptions,
  resolveSolveOptions,
  type SolveOptions,
} from './solve-options.js';
