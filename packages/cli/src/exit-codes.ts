/**
 * Exit codes and the one-line error messages, in one place. Each error class
 * of @linreg/errors declares its exit kind; this maps the kind to the code:
 *
 *   0  success
 *   1  the fit failed (e.g. no usable rows) or an internal error
 *   2  usage or bad input (missing file, bad magic, missing / non-numeric column, …)
 *   130 interrupted (SIGINT), as shells report 128 + signal 2
 *
 * Every error becomes ONE line on stderr, `linreg: <file>: <column>: <problem>`
 * (the parts that are known), never a stack trace.
 */
import { EXIT_STATUS, LinregError } from '@linreg/errors';

export const ExitCode = {
  ok: 0,
  fitFailed: EXIT_STATUS.failed,
  usage: EXIT_STATUS.usage,
  interrupted: EXIT_STATUS.interrupted,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface ClassifiedError {
  readonly code: ExitCodeValue;
  /** One line, without the `linreg: ` prefix. */
  readonly message: string;
}

const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, ' ').trim();

/** The exit code by the error's `exit` kind (@linreg/errors); anything else is an internal error. */
export function classifyError(error: unknown): ClassifiedError {
  if (error instanceof LinregError) {
    const code = EXIT_STATUS[error.exit];
    if (error.exit === 'interrupted') return { code, message: 'interrupted' };
    return { code, message: oneLine(error.message) };
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { code: ExitCode.fitFailed, message: oneLine(`internal error: ${message}`) };
}
