/**
 * Bundles the compiled CLI (dist/bin.js) and the engine's worker
 * (@linreg/core's dist/engine/worker.js) into dist/bundle/: two entry files,
 * `linreg.js` (the package's `bin`) and `worker.js`, and the chunks they share.
 *
 * Why: a fit otherwise has Node resolve, read and compile ~380 ES modules and
 * ~430 CommonJS files (`@stdlib`) on the main thread, and again the modules
 * each worker needs before it reads its first unit; that, not the arithmetic,
 * is most of a small fit's time. esbuild's code splitting keeps every lazy
 * `import()` lazy (commands, task kinds, file formats, S3): each is a chunk
 * loaded on first use, so `--help` still loads no core.
 *
 * The pool finds its worker as `./worker.js` next to the chunk that holds
 * pool.ts, so the chunks stay in the bundle's root beside the entries.
 * Two packages stay outside, loaded from node_modules as before (each is
 * also a dependency of @linreg/cli, so that it resolves from here): piscina,
 * whose main module starts threads on its own `worker.js` found by
 * `__dirname`; and the AWS SDK (1.3 MB, loaded only for s3:// inputs, which
 * tests/remote exercises through the compiled modules).
 *
 * Run after `tsc -b` (the root `build` script and `prepack` do).
 */
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { nodeBundleOptions } from '../core/bundle-options.mjs';

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
 * string-width (yargs' and cliui's) builds an Intl.Segmenter (ICU loads its
 * segmentation data) and three `v`-flag Unicode property regexes at import:
 * 30–50 ms of every run's main thread. It only lays out help text, which a
 * fit never renders (skip-help-cache.ts). So every `import … from
 * 'string-width'` gets a stand-in that `require`s the real module on its
 * first call; esbuild turns a required ES module into a lazily initialised
 * one, so nothing of it runs before then. (Each importer keeps its own
 * version: the stand-in is per resolved path.)
 */
const lazyStringWidth = {
  name: 'lazy-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData === 'real') return undefined;
      const real = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'real',
      });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: 'lazy-string-width' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-string-width' }, ({ path }) => ({
      contents:
        'let real;\n' +
        'export default function stringWidth(text, options) {\n' +
        `  real ??= require(${JSON.stringify(path)}).default;\n` +
        '  return real(text, options);\n' +
        '}\n',
      loader: 'js',
      resolveDir: dirname(path),
    }));
  },
};

/**
 * yargs translates its own messages (`Unknown argument`, the help's
 * headings) from its `locales/` directory, found as `../../../locales` from
 * its platform shim. From a chunk in dist/bundle/ that path leaves the
 * package, so the bundle carries a copy of the directory and the shim looks
 * for it beside the chunk. The build fails if the line moves (a new yargs).
 */
const yargsLocales = {
  name: 'yargs-locales',
  setup(b) {
    b.onLoad({ filter: /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const original = "resolve(__dirname, '../../../locales')";
      if (!source.includes(original)) throw new Error(`${path}: no ${original} to redirect`);
      // __dirname is the chunk's file name here, so '../locales' is dist/bundle/locales.
      cpSync(join(dirname(path), '../../locales'), join(outdir, 'locales'), { recursive: true });
      return {
        contents: source.replace(original, "resolve(__dirname, '../locales')"),
        loader: 'js',
        resolveDir: dirname(path),
      };
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
  ...nodeBundleOptions,
  plugins: [inlineVersion, lazyStringWidth, yargsLocales],
});
