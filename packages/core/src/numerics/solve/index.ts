export { describeAliasing } from './aliasing.js';
export { applyMatrix, congruence, embedCovariance, keptFactor, minNormProjection } from './ols.js';
export { designColumnNorms } from './rank.js';
export { penaltyWeights, ridgeFactor } from './ridge.js';
export type { AliasedPolicy, AliasRelation, Solution } from './solution.js';
export { solve } from './solve.js';
export { SolveOptionError, type SolveOptions } from './solve-options.js';
