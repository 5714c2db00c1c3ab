/**
 * `@linreg/errors`: every error linreg reports — the LinregError base class
 * with its exit kinds, the classes, and the registry that carries them across
 * the worker boundary (docs/errors.md).
 */
export {
  CancelledError,
  FitError,
  FormulaError,
  IoError,
  type IoErrorCode,
  type IoErrorDetails,
  MissingValueError,
  ModelFormatError,
  ModelMismatchError,
  NumericInputError,
  SolveOptionError,
  SpecError,
  StateFormatError,
  UnitError,
  UsageError,
  WasmKernelUnavailableError,
} from './classes.js';
export { EXIT_STATUS, type ExitKind, LinregError, type UnitNaming } from './linreg-error.js';
export {
  type ErrorClass,
  type FieldValue,
  type FlatError,
  flattenError,
  rebuildError,
  registeredErrors,
} from './wire.js';
