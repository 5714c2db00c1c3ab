export {
  GRAM_PANEL_ROWS,
  gramOfUpperInverse,
  inverseGramFromUpper,
  invertUpper,
  solveUpper,
  solveUpperAccurate,
  solveUpperTransposed,
  triangularGram,
} from './back-substitution.js';
export { multiplySquare, paddedColumns, syrkUpperAdd } from './blas.js';
export { estimateScaledCondition } from './condition-estimate.js';
export { ddCholesky, ddInverseGram, ddInvertUpper, ddSolveWithInverse } from './dd-cholesky.js';
export {
  ddAdd,
  ddAddDouble,
  ddDiv,
  ddMul,
  ddMulDouble,
  ddSqrt,
  ddToNumber,
  twoProduct,
} from './double-double.js';
export {
  type ExtremeSingularValues,
  extremeSingularValues,
  gramApplier,
} from './extreme-singular-values.js';
export { type Eigenpair, largestEigenpair, largestOfTridiagonal } from './lanczos.js';
export { chunkResiduals } from './residuals.js';
export { semidefiniteCholesky, semidefiniteTolerance } from './semidefinite-cholesky.js';
export { householderR } from './small-qr.js';
export { jacobiSvd, type SvdResult } from './svd.js';
