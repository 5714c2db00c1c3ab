import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * `pnpm test:slurm` only: installs Slurm from Debian when it is missing,
 * starts a one-node cluster and runs a fit as an array job. Needs root and
 * minutes, so the default `vitest run` (the root vitest.config.ts) excludes
 * tests/integration.
 */
export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  test: {
    include: ['tests/integration/slurm/**/*.test.ts'],
    testTimeout: 900_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
