import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const src = (pkg: string) =>
  fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the TypeScript sources; only worker threads load dist/.
    alias: {
      '@linreg/core/numerics': fileURLToPath(
        new URL('./packages/core/src/numerics/index.ts', import.meta.url),
      ),
      '@linreg/core': src('core'),
      '@linreg/io': src('io'),
      '@linreg/cli': src('cli'),
      '@linreg/errors': src('errors'),
    },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    // The packed-install test needs the npm registry and minutes: `pnpm test:install`.
    // Remote inputs start local HTTP and S3 servers and run ~30 fits: `pnpm test:remote`.
    // The Slurm test installs Debian packages and starts daemons: `pnpm test:slurm`.
    exclude: [
      ...configDefaults.exclude,
      'tests/install/**',
      'tests/remote/**',
      'tests/integration/**',
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
