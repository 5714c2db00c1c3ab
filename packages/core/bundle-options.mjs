/**
 * The esbuild options both bundles share: core's worker bundle
 * (bundle-worker.mjs) and the CLI's (packages/cli/bundle.mjs, which imports
 * this file by its path in the workspace, where both bundles are built).
 *
 * piscina stays outside: the symbols a worker moves buffers with must be
 * those of the piscina that runs the pool. So does the AWS SDK (only for
 * s3:// inputs).
 */
export const nodeBundleOptions = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['piscina', '@aws-sdk/client-s3'],
  // CommonJS dependencies (`@stdlib`) call require() for Node's built-ins; an
  // ES module has no `require`, so each chunk makes one.
  banner: {
    js: "import { createRequire as __linregRequire } from 'node:module'; const require = __linregRequire(import.meta.url);",
  },
  logLevel: 'warning',
};
