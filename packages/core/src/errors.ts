/**
 * Errors the engine reports. Each carries the fields that name the offender
 * (file, column, unit, row), so the CLI can print one line
 * `linreg: <file>: <column>: <problem>` and map the class to an exit code in
 * one place. io's IoError and numerics' NumericInputError pass through as is.
 */

/** What the caller asked for cannot be done as stated (bad option, unknown column, …). */
export class SpecError extends Error {
  override readonly name = 'SpecError';
  constructor(
    readonly option: string,
    readonly problem: string,
  ) {
    super(`${option}: ${problem}`);
  }
}

/** A used column holds a missing value (null or NaN) under `missing: 'error'`, or a non-finite value. */
export class MissingValueError extends Error {
  override readonly name = 'MissingValueError';
  constructor(
    readonly file: string,
    readonly column: string,
    /** e.g. 'row group 2, row 17' (0-based row inside the unit). */
    readonly where: string,
    readonly problem: string,
  ) {
    super(`${file}: ${column}: ${where}: ${problem}`);
  }
}

/** The data were read but no model can be fitted (e.g. no usable rows). */
export class FitError extends Error {
  override readonly name = 'FitError';
  constructor(
    readonly problem: string,
    readonly file?: string,
  ) {
    super(file === undefined ? problem : `${file}: ${problem}`);
  }
}

/** The run was cancelled through its AbortSignal (e.g. SIGINT in the CLI). */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(readonly reason: string = 'cancelled') {
    super(reason);
  }
}

/**
 * A worker failed on a unit with an error that is not one of the classes above
 * (a bug, or an out-of-memory in the worker). Names the unit so the user can
 * find the file and row group.
 */
export class UnitError extends Error {
  override readonly name = 'UnitError';
  constructor(
    readonly file: string,
    /** The unit label, e.g. 'data/part-3.parquet row group 2'. */
    readonly unit: string,
    readonly problem: string,
  ) {
    super(`${file}: ${unit}: ${problem}`);
  }
}
