/**
 * Every failure io reports on bad input is an IoError: one line that names the
 * file (and the column, unit or row when known), so the CLI can print
 * `linreg: <file>: <column>: <problem>` and exit 2 without a stack trace.
 */
export type IoErrorCode =
  | 'not-found'
  | 'unreadable'
  | 'empty'
  | 'bad-format'
  | 'truncated'
  | 'corrupt'
  | 'schema-mismatch'
  | 'missing-column'
  | 'non-numeric'
  | 'unsupported'
  | 'bad-value'
  | 'write-failed';

export interface IoErrorDetails {
  readonly file: string;
  readonly column?: string | undefined;
  /** e.g. 'row group 3', 'record batch 1', 'bytes 0-1048576', 'line 17'. */
  readonly where?: string | undefined;
}

export class IoError extends Error {
  override readonly name = 'IoError';
  readonly file: string;
  readonly column: string | undefined;
  readonly where: string | undefined;

  constructor(
    readonly code: IoErrorCode,
    details: IoErrorDetails,
    readonly problem: string,
  ) {
    super(
      [details.file, details.column, details.where, problem]
        .filter((s): s is string => s !== undefined && s !== '')
        .join(': '),
    );
    this.file = details.file;
    this.column = details.column;
    this.where = details.where;
  }
}
