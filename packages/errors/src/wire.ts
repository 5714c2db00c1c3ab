/**
 * Errors across the worker boundary. Structured clone keeps only an error's
 * message, so a worker sends `flattenError(e)` (plain data) and the main thread
 * calls `rebuildError`, which restores the error in its class from its fields.
 *
 * The registry is every LinregError subclass exported by classes.ts, found by
 * walking that module's exports: a new class there is registered by existing.
 * Anything else (a bug, a foreign error) becomes a UnitError naming the unit.
 */
import * as classes from './classes.js';
import { UnitError } from './classes.js';
import { LinregError, type UnitNaming } from './linreg-error.js';

/** What a field may hold on the wire; other values travel as their String(). */
export type FieldValue = string | number | boolean | null | undefined;

export interface FlatError {
  readonly name: string;
  readonly message: string;
  /** True when `name` is a registered class and the error is exactly of that class. */
  readonly registered: boolean;
  /** Own enumerable fields of the error (name, code, exit, file, column, where, row, …). */
  readonly fields: Readonly<Record<string, FieldValue>>;
  readonly stack?: string | undefined;
}

/** A registered class: constructible (abstractly) to a LinregError, with its unit naming. */
export type ErrorClass = (abstract new (
  ...args: never[]
) => LinregError) & {
  readonly unitNaming: UnitNaming;
};

function isErrorClass(value: unknown): value is ErrorClass {
  return typeof value === 'function' && value.prototype instanceof LinregError;
}

const registry: ReadonlyMap<string, ErrorClass> = new Map(
  Object.values(classes)
    .filter(isErrorClass)
    .map((cls) => [cls.name, cls]),
);

/** The registered classes, by class name (which is also each instance's `name`). */
export function registeredErrors(): ReadonlyMap<string, ErrorClass> {
  return registry;
}

function plain(value: unknown): FieldValue {
  if (
    value === null ||
    value === undefined ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  ) {
    return value;
  }
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

export function flattenError(error: unknown): FlatError {
  if (!(error instanceof Error)) {
    return { name: 'Error', message: String(error), registered: false, fields: {} };
  }
  const fields: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(error)) {
    if (key !== 'message' && key !== 'stack' && typeof value !== 'function') {
      fields[key] = plain(value);
    }
  }
  return {
    name: error.name,
    message: error.message,
    registered: registry.get(error.name) === error.constructor,
    fields,
    stack: error.stack,
  };
}

/**
 * The error `flat` describes, in its class when registered: built without
 * running the constructor (the fields already hold what it computed), then
 * named in the unit as the class's `unitNaming` says. Anything else becomes a
 * UnitError naming the unit, with the original stack.
 */
export function rebuildError(flat: FlatError, where: { file: string; label: string }): Error {
  const cls = flat.registered ? registry.get(flat.name) : undefined;
  if (cls === undefined) {
    const error = new UnitError(where.file, where.label, `${flat.name}: ${flat.message}`);
    if (flat.stack !== undefined) error.stack = flat.stack;
    return error;
  }
  const fields = { ...flat.fields };
  let message = flat.message;
  if (cls.unitNaming === 'label') {
    message = `${where.label}: ${message}`;
  } else if (cls.unitNaming === 'file' && fields.file === undefined) {
    fields.file = where.file;
    message = `${where.file}: ${message}`;
  }
  // A genuine Error object whose prototype is the class's, as `new cls(...)` makes.
  const error = Reflect.construct(Error, [message], cls) as LinregError;
  Object.assign(error, fields);
  if (flat.stack !== undefined) error.stack = flat.stack;
  return error;
}
