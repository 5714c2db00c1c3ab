/**
 * How the CLI ends when an error reaches it: `usage` (bad input or options,
 * exit 2), `failed` (the run could not produce a result, exit 1) or
 * `interrupted` (cancelled, exit 130 as shells report 128 + SIGINT).
 */
export type ExitKind = 'usage' | 'failed' | 'interrupted';

/** The process exit status of each exit kind (README, "CLI"). */
export const EXIT_STATUS = {
  failed: 1,
  usage: 2,
  interrupted: 130,
} as const satisfies Record<ExitKind, number>;

/**
 * What `rebuildError` adds when an error crossed the worker boundary:
 * `as-is` — nothing, the error already names its place; `label` — the message
 * is prefixed with the unit label; `file` — a missing `file` field becomes the
 * unit's file and the message is prefixed with it (as if constructed with it).
 */
export type UnitNaming = 'as-is' | 'label' | 'file';

/**
 * Base of every error linreg reports. Besides the message, an instance carries
 * its `name`, a stable machine-readable `code`, its `exit` kind and the fields
 * that name the offender (file, column, where, option, …) as plain own data,
 * which is what lets `rebuildError` restore any subclass from `flattenError`.
 */
export abstract class LinregError extends Error {
  abstract override readonly name: string;
  abstract readonly code: string;
  abstract readonly exit: ExitKind;
  /** See `UnitNaming`; subclasses override it when a worker's unit must be named. */
  static readonly unitNaming: UnitNaming = 'as-is';
}
