/**
 * Reads the fields of a JSON value, naming the file and the field path in
 * every error (ModelFormatError): the one validator of model files.
 */
import { ModelFormatError } from '@linreg/errors';

export type Json = unknown;

/** Reads fields of one JSON value, naming the file and the field path in every error. */
export class FieldReader {
  constructor(private readonly source: string) {}

  fail(path: string, problem: string): never {
    throw new ModelFormatError(this.source, path, problem);
  }

  object(value: Json, path: string): Record<string, Json> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(path, `expected an object, got ${describe(value)}`);
    }
    return value as Record<string, Json>;
  }

  array(value: Json, path: string): readonly Json[] {
    if (!Array.isArray(value)) this.fail(path, `expected an array, got ${describe(value)}`);
    return value;
  }

  string(value: Json, path: string): string {
    if (typeof value !== 'string') this.fail(path, `expected a string, got ${describe(value)}`);
    return value;
  }

  boolean(value: Json, path: string): boolean {
    if (typeof value !== 'boolean')
      this.fail(path, `expected true or false, got ${describe(value)}`);
    return value;
  }

  /**
   * A finite number, or null (read as NaN). A JSON number too large for a
   * double (`1e999`, which JSON.parse reads as Infinity) is refused: the file
   * writes NaN and ±Infinity as null, so such a value is not one linreg wrote.
   */
  nullableNumber(value: Json, path: string): number {
    if (value === null) return Number.NaN;
    if (typeof value !== 'number')
      this.fail(path, `expected a number or null, got ${describe(value)}`);
    if (!Number.isFinite(value)) {
      this.fail(path, `expected a finite number or null, got ${describeNumber(value)}`);
    }
    return value;
  }

  finiteNumber(value: Json, path: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.fail(path, `expected a finite number, got ${describeNumber(value)}`);
    }
    return value;
  }

  count(value: Json, path: string): number {
    const n = this.finiteNumber(value, path);
    if (!Number.isInteger(n) || n < 0) this.fail(path, `expected a non-negative integer, got ${n}`);
    return n;
  }

  oneOf<T extends string>(value: Json, path: string, allowed: readonly T[]): T {
    const s = this.string(value, path);
    if (!(allowed as readonly string[]).includes(s)) {
      this.fail(path, `expected one of ${allowed.map((a) => `'${a}'`).join(', ')}, got '${s}'`);
    }
    return s as T;
  }

  strings(value: Json, path: string): string[] {
    return this.array(value, path).map((v, i) => this.string(v, `${path}[${i}]`));
  }

  nullableNumbers(value: Json, path: string, length?: number): number[] {
    const values = this.array(value, path);
    if (length !== undefined && values.length !== length) {
      this.fail(path, `expected ${length} values, got ${values.length}`);
    }
    return values.map((v, i) => this.nullableNumber(v, `${path}[${i}]`));
  }
}

export function describe(value: Json): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing (the field is missing)';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/** Like describe, but says why a number is not finite: JSON has no NaN or Infinity literal. */
export function describeNumber(value: Json): string {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return `${String(value)} (a number beyond the double range; NaN and ±Infinity are written as null)`;
  }
  return describe(value);
}
