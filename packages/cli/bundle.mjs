/**
 * Bundles the compiled CLI (dist/bin.js) and the engine's worker
 * (@linreg/core's dist/engine/worker.js) into dist/bundle/: two entry files,
 * `linreg.js` (the package's `bin`) and `worker.js`, and the chunks they share.
 *
 * Why: a fit otherwise has Node resolve, read and compile ~400 ES modules and
 * ~1,000 CommonJS files (`@stdlib`) on the main thread, and again ~250 in
 * every worker before the first unit is read; that, not the arithmetic, is
 * most of a small fit's time. esbuild's code splitting keeps every lazy
 * `import()` lazy (commands, task kinds, file formats, S3): each is a chunk
 * loaded on first use, so `--help` still loads no core.
 *
 * The pool finds its worker as `./worker.js` next to the chunk that holds
 * pool.ts, so the chunks stay in the bundle's root beside the entries.
 * piscina stays outside: its main module starts threads on its own
 * `worker.js` found by `__dirname`, so it must be loaded from its package
 * (a dependency of @linreg/cli for that reason).
 *
 * Run after `tsc -b` (the root `build` script and `prepack` do).
 */
import { readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const { version } = JSON.parse(readFileSync(here('./package.json'), 'utf8'));
const outdir = here('./dist/bundle');

/**
 * version.js reads `../package.json` beside itself, which from a chunk in
 * dist/bundle/ would be dist/package.json; the bundle has the version inlined.
 */
const inlineVersion = {
  name: 'inline-version',
  setup(b) {
    b.onLoad({ filter: /[\\/]cli[\\/]dist[\\/]version\.js$/ }, () => ({
      contents: `export const VERSION = ${JSON.stringify(version)};\n`,
      loader: 'js',
    }));
  },
};

/**
 * string-width (yargs' and cliui's) makes an Intl.Segmenter at import: ICU
 * loads its segmentation data, 15–30 ms of every run's main thread. It is only
 * used to lay out help text, which a fit never renders (skip-help-cache.ts),
 * so the bundle makes it on first use. The build fails if the line moves (a
 * new string-width), rather than silently losing this.
 */
const lazySegmenter = {
  name: 'lazy-segmenter',
  setup(b) {
    b.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const eager = 'const segmenter = new Intl.Segmenter();';
      if (!source.includes(eager)) throw new Error(`${path}: no '${eager}' to make lazy`);
      const lazy =
        'let segmenterInstance;\n' +
        'const segmenter = { segment: (text) => (segmenterInstance ??= new Intl.Segmenter()).segment(text) };';
      return { contents: source.replace(eager, lazy), loader: 'js' };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: {
    linreg: here('./dist/bin.js'),
    worker: fileURLToPath(import.meta.resolve('@linreg/core').replace(/index\.js$/, 'engine/worker.js')),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['piscina'],
  // CommonJS dependencies (`@stdlib`) call require() for Node's built-ins; an
  // ES module has no `require`, so each chunk makes one.
  banner: {
    js: "import { createRequire as __linregRequire } from 'node:module'; const require = __linregRequire(import.meta.url);",
  },
  plugins: [inlineVersion, lazySegmenter],
  logLevel: 'warning',
});
