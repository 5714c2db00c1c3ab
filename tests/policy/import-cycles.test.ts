import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT as root, sourceFiles } from './source-files.js';

/**
 * The modules of every package form a graph without a circle: each import
 * (type-only ones included) points from a file to one that does not, however
 * indirectly, import it back. A circle makes load order matter and hides
 * which part depends on which (docs/architecture.md).
 */
const packages = readdirSync(join(root, 'packages')).filter((p) =>
  existsSync(join(root, 'packages', p, 'src')),
);

function specifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]/g)) {
    out.push(m[1] as string);
  }
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1] as string);
  return out;
}

/** The file an import names: a relative .js path, or a workspace package's src/index.ts. */
function target(from: string, spec: string): string | undefined {
  if (spec.startsWith('.')) {
    const file = resolve(dirname(from), spec).replace(/\.js$/, '.ts');
    return existsSync(file) ? file : undefined;
  }
  const m = /^@linreg\/([a-z]+)(\/numerics)?$/.exec(spec);
  if (m === null) return undefined;
  const entry = m[2] === undefined ? 'index.ts' : 'numerics/index.ts';
  const file = join(root, 'packages', m[1] as string, 'src', entry);
  return existsSync(file) ? file : undefined;
}

function graph(): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const pkg of packages) {
    for (const file of sourceFiles(join(root, 'packages', pkg, 'src'))) {
      const to = specifiers(readFileSync(file, 'utf8'))
        .map((s) => target(file, s))
        .filter((t): t is string => t !== undefined);
      edges.set(file, to);
    }
  }
  return edges;
}

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
function circles(edges: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
        onStack.delete(w);
        component.push(relative(root, w));
        if (w === v) break;
      }
      if (component.length > 1 || (edges.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('import graph', () => {
  it('reads every package', () => {
    expect(packages).toEqual(expect.arrayContaining(['cli', 'core', 'io']));
    expect(graph().size).toBeGreaterThan(100);
  });

  it('has no circle', () => {
    expect(circles(graph())).toEqual([]);
  });

  it('finds a circle when there is one (the check itself)', () => {
    const a = '/a.ts';
    const b = '/b.ts';
    expect(
      circles(
        new Map([
          [a, [b]],
          [b, [a]],
        ]),
      ).length,
    ).toBe(1);
    expect(
      circles(
        new Map([
          [a, [b]],
          [b, []],
        ]),
      ),
    ).toEqual([]);
  });
});
