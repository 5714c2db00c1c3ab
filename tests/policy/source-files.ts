/** The repository's TypeScript sources, as the policy tests walk them. */
import { readdirSync, statSync } from 'node:fs';
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
