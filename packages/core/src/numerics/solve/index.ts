export { describeAliasing } from './aliasing.js';
export { CONDITION_WARNING, VIF_WARNING } from './collinearity.js';
export {
  type ComponentErrorInput,
  componentRelativeErrors,
  estimatedRelativeError,
  identifiedConditionNumber,
  largestResolved,
  REFINE_COMPONENT_DIGITS,
  REFINE_TARGET_DIGITS,
} from './error-estimate.js';
export { applyMatrix, congruence, embedCovariance, keptFactor, minNormProjection } from './ols.js';
export { type PredictionFactor, predictionFactor } from './prediction-factor.js';
export { DEFAULT_RANK_TOLERANCE, designColumnNorms } from './rank.js';
export { penaltyWeights, ridgeFactor } from './ridge.js';
export type { AliasedPolicy, AliasRelation, Solution } from './solution.js';
export {
  type CoefficientSolve,
  completeSolve,
  NORMAL_EQUATIONS_WARNING,
  solve,
  solveCoefficients,
  solveResolved,
} from './solve.js';
export {
  type ResolvedSolveOptions,
  resolveSolveOptions,
  type SolveOptions,
} from './solve-options.js';
