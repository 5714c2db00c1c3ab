/** The repository's TypeScript sources, as the policy tests walk them. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (with a trailing separator). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Every `.ts` file below `dir`, depth first in directory order. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every `.ts` file of the four packages' src/ folders. */
export function packageSources(): string[] {
  return ['errors', 'io', 'core', 'cli'].flatMap((pkg) =>
    sourceFiles(join(REPO_ROOT, 'packages', pkg, 'src')),
  );
}

/** Specifiers of `import … from` / `export … from` (not `import type`, not `import()`). */
export function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)(?!\s+type\b)[^'"]*?from\s*['"]([^'"]+)['"]/g),
  ].map((m) => m[1] as string);
}
