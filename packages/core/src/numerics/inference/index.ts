export { clusterCovariance } from './cluster.js';
export { type ResidualDiagnostics, residualDiagnostics, sketchQuantile } from './diagnostics.js';
export {
  chiSquareUpperTail,
  fUpperTail,
  fUpperTailOfRatio,
  studentTCdf,
  studentTQuantile,
  studentTTwoSidedP,
} from './distributions.js';
export { computeInference, type Inference, type InferenceOptions } from './inference.js';
export { normalQuantile } from './normal-quantile.js';
export {
  type ClusterInfo,
  type HcType,
  type RobustCovariance,
  robustCovariance,
} from './robust.js';
export { type TermSums, termSums } from './term-anova.js';
