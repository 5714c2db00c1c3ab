import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * `pnpm test:install` only: packs the packages, installs the tarballs with npm
 * from the registry and runs them. Slow and networked, so the default
 * `vitest run` (the root vitest.config.ts) excludes tests/install.
 */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['tests/install/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 900_000,
    pool: 'forks',
  },
});
