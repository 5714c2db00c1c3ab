/**
 * The bundled command (packages/cli/dist/bundle/, the package's `bin`; built
 * by `pnpm build` through packages/cli/bundle.mjs) is the same program as the
 * compiled modules: the same bits out of a fit on two workers, the same help,
 * the same one-line errors; and its worker entry stays small (a worker loads
 * only what reading a unit needs, the format and the task kind on first use).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../e2e/cli-harness.js';

const bundleDir = fileURLToPath(new URL('../../packages/cli/dist/bundle/', import.meta.url));
const bundleBin = join(bundleDir, 'linreg.js');
const distBin = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));
/** Each format's reader is its own chunk, loaded on first use. */
const FORMATS = ['parquet', 'arrow', 'csv'] as const;

function run(bin: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
  const child = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env });
  return { code: child.status, stdout: child.stdout, stderr: child.stderr };
}

/** The model JSON without its creation time. */
const withoutCreated = (json: string): unknown => {
  const model = JSON.parse(json) as Record<string, unknown>;
  delete model.created;
  return model;
};

/** The bundle files an entry imports statically (`import … from "./x.js"`), itself included. */
function staticClosure(entry: string): string[] {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(join(bundleDir, file), 'utf8');
    for (const m of text.matchAll(
      /(?:import|export)[^;"]*?from\s*"\.\/([^"]+)"|import\s*"\.\/([^"]+)"/g,
    )) {
      stack.push((m[1] ?? m[2]) as string);
    }
  }
  return [...seen];
}

describe('the bundled linreg', () => {
  let dir = '';
  beforeAll(async () => {
    if (!existsSync(bundleBin)) {
      throw new Error(`${bundleBin} is missing: run \`npx -y pnpm@12.4.2 build\` first`);
    }
    dir = await tempDir('bundle');
    for (const format of FORMATS) {
      const gen = run(distBin, [
        'gen',
        join(dir, format),
        ...['--rows', '3000', '--cols', '4', '--shards', '3', '--format', format],
      ]);
      expect(gen.code).toBe(0);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(FORMATS)(
    'fits %s on two workers to the same bits as the compiled modules in-process',
    async (format) => {
      for (const solver of ['qr', 'normal']) {
        const args = ['fit', join(dir, format), '-y', 'y', '-j', '2', '--solver', solver, '--json'];
        const bundled = run(bundleBin, args);
        expect(bundled.stderr).toBe('');
        expect(bundled.code).toBe(0);
        const inProcess = await runCli(args);
        expect(inProcess.code).toBe(0);
        expect(withoutCreated(bundled.stdout)).toEqual(withoutCreated(inProcess.stdout));
      }
    },
  );

  it('prints the same version and help', async () => {
    const { version } = JSON.parse(
      readFileSync(new URL('../../packages/cli/package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(run(bundleBin, ['--version']).stdout).toBe(`${version}\n`);
    expect(run(bundleBin, ['-V', '--version']).stdout).toBe(`${version}\n`);
    for (const args of [['--help'], ['fit', '--help'], ['predict', '--help']]) {
      expect(run(bundleBin, args).stdout).toBe((await runCli(args)).stdout);
    }
  });

  it("speaks yargs' languages as the compiled command does (its locales travel with the bundle)", () => {
    const french = { ...process.env, LANG: 'fr_FR.UTF-8', LC_ALL: 'fr_FR.UTF-8' };
    for (const args of [['fit', 'x.csv', '-y', 'y', '--bogus'], ['--help']]) {
      const bundled = run(bundleBin, args, french);
      expect(bundled).toEqual(run(distBin, args, french));
    }
    expect(run(bundleBin, ['fit', 'x.csv', '-y', 'y', '--bogus'], french).stderr).toBe(
      'linreg: Argument inconnu : bogus\n',
    );
  });

  it('reports bad input in one line with exit 2, from the main thread and from a worker', async () => {
    const parquet = join(dir, 'parquet');
    const column = run(bundleBin, ['fit', parquet, '-y', 'nope', '-q']);
    expect(column.code).toBe(2);
    expect(column.stderr).toBe((await runCli(['fit', parquet, '-y', 'nope', '-q'])).stderr);
    expect(column.stderr.trim().split('\n')).toHaveLength(1);
    // negative weights are found by the worker reading the unit
    const weights = run(bundleBin, ['fit', parquet, '-y', 'y', '--weights', 'x0', '-j', '2']);
    expect(weights.code).toBe(2);
    expect(weights.stderr).toMatch(/^linreg: .*part-\d+\.parquet.*weight/);
    expect(weights.stderr.trim().split('\n')).toHaveLength(1);
    expect(weights.stderr).not.toMatch(/\n\s+at /);
  });

  it("keeps the worker's entry small: no writers, planning, CSV or Parquet reader until used", () => {
    const files = staticClosure('worker.js');
    const text = files.map((f) => readFileSync(join(bundleDir, f), 'utf8')).join('\n');
    expect(text).toContain('function readUnit');
    for (const absent of ['createGzip', 'function generateDataset', 'function planInputs']) {
      expect(text).not.toContain(absent);
    }
    expect(text).not.toMatch(/io\/dist\/(csv|parquet)\//);
  });
});
