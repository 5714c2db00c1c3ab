/**
 * Exit codes and the one-line error messages, in one place.
 *
 *   0  success
 *   1  the fit failed (e.g. no usable rows) or an internal error
 *   2  usage or bad input (missing file, bad magic, missing / non-numeric column, …)
 *   130 interrupted (SIGINT), as shells report 128 + signal 2
 *
 * Every error becomes ONE line on stderr, `linreg: <file>: <column>: <problem>`
 * (the parts that are known), never a stack trace.
 */
import {
  CancelledError,
  FitError,
  MissingValueError,
  ModelFormatError,
  NumericInputError,
  SolveOptionError,
  SpecError,
  StateFormatError,
  UnitError,
} from '@linreg/core';

import { IoError } from '@linreg/io';

export const ExitCode = {
  ok: 0,
  fitFailed: 1,
  usage: 2,
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** A command-line usage problem found by the CLI itself (not by yargs). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ClassifiedError {
  readonly code: ExitCodeValue;
  /** One line, without the `linreg: ` prefix. */
  readonly message: string;
}

const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, ' ').trim();

export function classifyError(error: unknown): ClassifiedError {
  if (error instanceof CancelledError)
    return { code: ExitCode.interrupted, message: 'interrupted' };
  if (
    error instanceof IoError ||
    error instanceof MissingValueError ||
    error instanceof SpecError ||
    error instanceof NumericInputError ||
    error instanceof SolveOptionError ||
    error instanceof ModelFormatError ||
    error instanceof StateFormatError ||
    error instanceof UsageError
  ) {
    return { code: ExitCode.usage, message: oneLine(error.message) };
  }
  if (error instanceof FitError || error instanceof UnitError) {
    return { code: ExitCode.fitFailed, message: oneLine(error.message) };
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { code: ExitCode.fitFailed, message: oneLine(`internal error: ${message}`) };
}
