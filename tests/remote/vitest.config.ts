import { defineConfig } from 'vitest/config';
import root from '../../vitest.config.js';

/**
 * `pnpm test:remote` only: remote inputs against a local HTTP server with
 * Range support and s3rver, both on 127.0.0.1 (about 30 fits, 40-60 s on a
 * busy machine), so the default `vitest run` excludes tests/remote. Same
 * aliases and timeouts as the root config.
 */
export default defineConfig({
  resolve: root.resolve,
  test: {
    ...root.test,
    include: ['tests/remote/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
  },
});
