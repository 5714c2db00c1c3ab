/**
 * One instance of every error class of @linreg/errors, with the exit code the
 * README documents for it. A new class must be added here: the tests that use
 * this table fail for any exported LinregError subclass it lacks.
 */
import * as errors from '@linreg/errors';

const {
  CancelledError,
  FitError,
  FormulaError,
  IoError,
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
} = errors;

export interface Sample {
  readonly error: errors.LinregError;
  /** The documented exit code: 2 usage or bad input, 1 the fit failed, 130 interrupted. */
  readonly exit: 1 | 2 | 130;
}

export const samples: Readonly<Record<string, readonly Sample[]>> = {
  SpecError: [{ error: new SpecError('level', 'must be in (0, 1)'), exit: 2 }],
  MissingValueError: [
    { error: new MissingValueError('a.csv', 'x', 'line 3', 'missing value (NaN)'), exit: 2 },
  ],
  FitError: [
    { error: new FitError('no usable rows'), exit: 1 },
    { error: new FitError('no usable rows', 'a.parquet'), exit: 1 },
  ],
  FormulaError: [{ error: new FormulaError('y ~ x +', 7, 'expected a term after +'), exit: 2 }],
  CancelledError: [
    { error: new CancelledError(), exit: 130 },
    { error: new CancelledError('SIGINT'), exit: 130 },
  ],
  UnitError: [{ error: new UnitError('a.parquet', 'a.parquet row group 2', 'boom'), exit: 1 }],
  IoError: [
    { error: new IoError('not-found', { file: 'a.parquet' }, 'no such file'), exit: 2 },
    {
      error: new IoError(
        'corrupt',
        { file: 'a.parquet', column: 'x', where: 'row group 4' },
        'bad',
      ),
      exit: 2,
    },
  ],
  NumericInputError: [
    { error: new NumericInputError('negative weight -1 at row 3', 3, 'w'), exit: 2 },
    { error: new NumericInputError('singular factor'), exit: 2 },
  ],
  StateFormatError: [{ error: new StateFormatError('magic', 'not an accumulator state'), exit: 2 }],
  SolveOptionError: [
    {
      error: new SolveOptionError('lambda', -1, "must be a finite number >= 0 or 'auto'"),
      exit: 2,
    },
    { error: new SolveOptionError('aliased', 'drop-all', "must be 'min-norm' or 'drop'"), exit: 2 },
  ],
  WasmKernelUnavailableError: [{ error: new WasmKernelUnavailableError('updateQr'), exit: 1 }],
  ModelFormatError: [
    { error: new ModelFormatError('m.json', 'coefficients[2].stdError', 'not a number'), exit: 2 },
    { error: new ModelFormatError('<string>', '', 'not JSON'), exit: 2 },
  ],
  ModelMismatchError: [
    { error: new ModelMismatchError('big.json', 'target', "'z' here, 'y' in small.json"), exit: 2 },
  ],
  UsageError: [{ error: new UsageError('Unknown argument: z'), exit: 2 }],
};

/** Every LinregError subclass the package exports, found from its exports. */
export const exportedClasses: readonly [string, errors.ErrorClass][] = (
  Object.entries(errors) as [string, unknown][]
).filter(
  (entry): entry is [string, errors.ErrorClass] =>
    typeof entry[1] === 'function' && entry[1].prototype instanceof errors.LinregError,
);
