export { ADAM_DEFAULTS, type AdamSettings } from './adam.js';
export { nullSpaceBasis, projectToMinimumNorm } from './min-norm-projection.js';
export {
  createRandom,
  nextBelow,
  nextFloat64,
  nextGaussian,
  nextUint32,
  shuffleInto,
} from './random.js';
export { runSgdEpoch, type SgdControl, type SgdEpochOptions, type SgdEpochResult } from './sgd.js';
export {
  evaluateSgd,
  evaluateSgdAll,
  objectiveAt,
  type SgdEvaluation,
} from './sgd-objective.js';
export { averageSgdParams, createSgdParams, type Optimizer, type SgdParams } from './sgd-state.js';
export {
  type Standardization,
  standardizationFrom,
  standardizedDimension,
  toOriginal,
  toStandardized,
} from './standardize.js';
