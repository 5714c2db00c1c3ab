/**
 * Bundles the engine's compiled worker (dist/engine/worker.js) into
 * dist/worker-bundle/: `worker.js` and the chunks its lazy imports load
 * (each task kind, each file format).
 *
 * Why: every pool thread loads its worker module before it reads anything.
 * Unbundled, that is ~60 ES modules to resolve, read and compile per thread
 * (~60 ms of each thread's start on this machine); one file and its chunks
 * cost a fraction of that. pool.ts's resolveWorkerFile prefers this bundle
 * when it exists; the CLI's own bundle (packages/cli/bundle.mjs) keeps its
 * worker beside its chunks, found first from there.
 *
 * piscina and the AWS SDK stay outside (bundle-options.mjs); both are
 * dependencies of @linreg/core so that they resolve from here.
 *
 * Whitespace and syntax are minified (1.3 MB instead of 1.9 MB); names are
 * not: CPU profiles of the workers stay readable (V8 names a function by its
 * declaration, so esbuild's keepNames would not help there), and the main
 * thread rebuilds a worker's error from its class name (@linreg/errors'
 * wire.ts). Renaming too would save ~7 ms per thread and another 0.35 MB.
 *
 * Run after `tsc -b` (the root `build` script and `prepack` do).
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { nodeBundleOptions } from './bundle-options.mjs';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const outdir = here('./dist/worker-bundle');

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { worker: here('./dist/engine/worker.js') },
  outdir,
  ...nodeBundleOptions,
  minifyWhitespace: true,
  minifySyntax: true,
});
