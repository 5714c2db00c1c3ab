/** The layering of docs/architecture.md, asserted: numerics is pure math, io knows no statistics. */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT as root, sourceFiles } from './source-files.js';

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]/g)) {
    specifiers.push(m[1] as string);
  }
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g))
    specifiers.push(m[1] as string);
  return specifiers;
}

function violations(dir: string, allowed: (specifier: string) => boolean): string[] {
  return sourceFiles(join(root, dir)).flatMap((file) =>
    importsOf(file)
      .filter((s) => !allowed(s))
      .map((s) => `${relative(root, file)} imports ${s}`),
  );
}

describe('dependency policy', () => {
  it('core numerics imports only itself, @linreg/errors and @stdlib distribution functions', () => {
    const bad = violations(
      'packages/core/src/numerics',
      (s) =>
        s.startsWith('./') ||
        /^\.\.\/[a-z]/.test(s) ||
        s.startsWith('@stdlib/') ||
        s === '@linreg/errors',
    );
    expect(bad).toEqual([]);
  });

  it('a numerics folder reaches another folder only through its entry file', () => {
    const bad = violations(
      'packages/core/src/numerics',
      (s) => !s.startsWith('../') || /^\.\.\/([a-z-]+\/index|types)\.js$/.test(s),
    );
    expect(bad).toEqual([]);
  });

  it('core model imports only numerics, formula, itself and @linreg/errors', () => {
    const bad = violations(
      'packages/core/src/model',
      (s) =>
        s.startsWith('./') ||
        s.startsWith('../numerics/') ||
        s.startsWith('../formula/') ||
        s === '@linreg/errors',
    );
    expect(bad).toEqual([]);
  });

  it('core formula (parsing, terms, the design program) imports only numerics, itself and @linreg/errors', () => {
    const bad = violations(
      'packages/core/src/formula',
      (s) => s.startsWith('./') || s.startsWith('../numerics/') || s === '@linreg/errors',
    );
    expect(bad).toEqual([]);
  });

  it('io never imports core or cli', () => {
    const bad = violations(
      'packages/io/src',
      (s) => !s.startsWith('@linreg/') || s === '@linreg/errors',
    );
    expect(bad).toEqual([]);
  });

  it('errors imports nothing but itself', () => {
    const bad = violations('packages/errors/src', (s) => s.startsWith('./'));
    expect(bad).toEqual([]);
  });

  it('no package reaches into another package by relative path', () => {
    const bad = ['core', 'io', 'cli', 'errors'].flatMap((pkg) =>
      violations(
        `packages/${pkg}/src`,
        (s) => !/^(\.\.\/){2,}(core|io|cli|errors)\//.test(s) && !s.includes('/packages/'),
      ),
    );
    expect(bad).toEqual([]);
  });
});
