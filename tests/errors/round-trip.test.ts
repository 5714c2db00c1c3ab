import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  FitError,
  flattenError,
  LinregError,
  NumericInputError,
  rebuildError,
  registeredErrors,
  UnitError,
} from '@linreg/errors';
import { describe, expect, it } from 'vitest';
import { exportedClasses, samples } from './samples.js';

const unit = { file: 'd/a.parquet', label: 'd/a.parquet row group 4' };
const across = (error: unknown): Error => rebuildError(structuredClone(flattenError(error)), unit);
const ownData = (error: Error): Record<string, unknown> => ({ ...error });

describe('the error registry', () => {
  it('finds every exported LinregError subclass, under its name', () => {
    expect(exportedClasses.length).toBeGreaterThanOrEqual(12);
    for (const [name, cls] of exportedClasses) {
      expect(cls.name, name).toBe(name);
      expect(registeredErrors().get(name), name).toBe(cls);
    }
    expect([...registeredErrors().keys()].sort()).toEqual(exportedClasses.map(([n]) => n).sort());
  });

  it('has a sample of every class (tests/errors/samples.ts)', () => {
    expect(Object.keys(samples).sort()).toEqual(exportedClasses.map(([n]) => n).sort());
    for (const [name, cls] of exportedClasses) {
      for (const { error } of samples[name] ?? []) {
        expect(error.constructor).toBe(cls);
        expect(error.name).toBe(name);
      }
    }
  });

  describe.each(exportedClasses)('%s', (name, cls) => {
    it('carries a code, an exit kind and plain own fields', () => {
      for (const { error } of samples[name] ?? []) {
        expect(error).toBeInstanceOf(LinregError);
        expect(typeof error.code).toBe('string');
        expect(['usage', 'failed', 'interrupted']).toContain(error.exit);
        expect(structuredClone(ownData(error))).toEqual(ownData(error));
      }
    });

    it('round-trips through structuredClone(flattenError(e)) → rebuildError', () => {
      for (const { error } of samples[name] ?? []) {
        const rebuilt = across(error);
        expect(rebuilt.constructor).toBe(cls);
        expect(rebuilt).toBeInstanceOf(cls);
        expect(rebuilt.name).toBe(error.name);
        expect(rebuilt.stack).toBe(error.stack);
        if (cls.unitNaming === 'as-is') {
          expect(rebuilt.message).toBe(error.message);
          expect(ownData(rebuilt)).toEqual(ownData(error));
        }
      }
    });
  });

  it('names the unit where the class says so', () => {
    const numeric = across(new NumericInputError('negative weight -1 at row 3', 3, 'w'));
    expect(numeric).toBeInstanceOf(NumericInputError);
    expect(numeric.message).toBe('d/a.parquet row group 4: negative weight -1 at row 3');
    expect(numeric).toMatchObject({ row: 3, column: 'w' });

    const fileless = across(new FitError('no rows'));
    expect(fileless).toBeInstanceOf(FitError);
    expect(fileless.message).toBe(new FitError('no rows', 'd/a.parquet').message);
    expect(ownData(fileless)).toEqual(ownData(new FitError('no rows', 'd/a.parquet')));

    const named = new FitError('no rows', 'b.csv');
    expect(across(named).message).toBe('b.csv: no rows');
  });

  it('turns foreign errors and thrown non-errors into a UnitError naming the unit', () => {
    const foreign = new RangeError('index out of range');
    const rebuilt = across(foreign);
    expect(rebuilt).toBeInstanceOf(UnitError);
    expect(rebuilt.message).toBe(
      'd/a.parquet: d/a.parquet row group 4: RangeError: index out of range',
    );
    expect(rebuilt.stack).toBe(foreign.stack);
    expect(across('boom').message).toBe('d/a.parquet: d/a.parquet row group 4: Error: boom');
  });

  it('does not rebuild a foreign subclass or look-alike as the registered class', () => {
    class Special extends FitError {}
    expect(across(new Special('x'))).toBeInstanceOf(UnitError);
    const lookAlike = Object.assign(new Error('x'), { name: 'FitError' });
    expect(across(lookAlike)).toBeInstanceOf(UnitError);
  });
});

describe('one error module', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const sources = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sources(path);
      return path.endsWith('.ts') ? [path] : [];
    });
  /**
   * Private control flow, turned into IoError before it leaves: the Parquet
   * fast path's, and a remote read's "try again" (io bytes/retry.ts).
   */
  const internal = new Set(['PageCorrupt', 'ThriftOverrun', 'TransientFailure']);

  it('defines error classes only in packages/errors', () => {
    const outside = ['core', 'io', 'cli'].flatMap((pkg) =>
      sources(join(root, 'packages', pkg, 'src')).flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/class\s+(\w+)\s+extends\s+(\w*Error)\b/g)]
          .filter((m) => !internal.has(m[1] as string))
          .map((m) => `${relative(root, file)}: ${m[1]} extends ${m[2]}`),
      ),
    );
    expect(outside).toEqual([]);
  });
});
