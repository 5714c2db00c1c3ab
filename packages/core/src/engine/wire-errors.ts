/**
 * Flatten an error into plain fields in a worker and rebuild its class in the
 * main thread (structured clone would keep only the message). Unknown errors
 * become a UnitError naming the unit, so a failure always says where it was.
 */
import { IoError, type IoErrorCode } from '@linreg/io';
import { FitError, MissingValueError, UnitError } from '../errors.js';
import { NumericInputError } from '../numerics/types.js';
import type { FlatError } from './protocol.js';

export function flattenError(error: unknown): FlatError {
  if (!(error instanceof Error)) {
    return { name: 'Error', message: String(error), fields: {} };
  }
  const fields: Record<string, string | number | undefined> = {};
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string' || typeof value === 'number' || value === undefined) {
      fields[key] = value;
    }
  }
  return { name: error.name, message: error.message, fields, stack: error.stack };
}

const str = (v: string | number | undefined): string | undefined =>
  v === undefined ? undefined : String(v);

export function rebuildError(flat: FlatError, unit: { file: string; label: string }): Error {
  const f = flat.fields;
  switch (flat.name) {
    case 'IoError':
      return new IoError(
        (str(f.code) ?? 'unreadable') as IoErrorCode,
        { file: str(f.file) ?? unit.file, column: str(f.column), where: str(f.where) },
        str(f.problem) ?? flat.message,
      );
    case 'MissingValueError':
      return new MissingValueError(
        str(f.file) ?? unit.file,
        str(f.column) ?? '?',
        str(f.where) ?? unit.label,
        str(f.problem) ?? flat.message,
      );
    case 'NumericInputError': {
      const row = typeof f.row === 'number' ? f.row : undefined;
      return new NumericInputError(`${unit.label}: ${flat.message}`, row, str(f.column));
    }
    case 'FitError':
      return new FitError(str(f.problem) ?? flat.message, str(f.file) ?? unit.file);
    default: {
      const error = new UnitError(unit.file, unit.label, `${flat.name}: ${flat.message}`);
      if (flat.stack !== undefined) error.stack = flat.stack;
      return error;
    }
  }
}
