import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './cli-harness.js';

let root = '';
beforeAll(async () => {
  root = await tempDir('e2e-gen');
});
afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

describe('linreg gen and inspect', () => {
  it.each(['parquet', 'arrow', 'csv'] as const)(
    'generates %s shards that inspect describes',
    async (format) => {
      const dir = join(root, format);
      const gen = await runCli([
        'gen',
        dir,
        '--rows',
        '250',
        '--cols',
        '3',
        '--shards',
        '2',
        '--format',
        format,
        '--row-group-rows',
        '100',
        '--seed',
        '9',
      ]);
      expect(gen.code).toBe(0);
      expect(gen.stdout).toMatch(/^wrote 2 \w+ file\(s\), 250 rows/);
      expect((await readdir(dir)).sort()).toEqual([`part-00000.${format}`, `part-00001.${format}`]);

      const inspect = await runCli(['inspect', dir]);
      expect(inspect.code).toBe(0);
      expect(inspect.stdout).toMatch(/^2 shard\(s\), ~?250 rows/);
      expect(inspect.stdout).toContain('Columns common to all shards (4, 4 numeric)');

      const json = await runCli(['inspect', dir, '--json']);
      const plan = JSON.parse(json.stdout) as {
        shards: { file: string; units: number }[];
        columns: { name: string }[];
      };
      expect(plan.columns.map((c) => c.name)).toEqual(['x0', 'x1', 'x2', 'y']);
      expect(plan.shards.map((s) => s.file)).toEqual([
        join(dir, `part-00000.${format}`),
        join(dir, `part-00001.${format}`),
      ]);
      if (format !== 'csv') expect(plan.shards.map((s) => s.units)).toEqual([2, 2]);
    },
  );

  it('bounds rows, columns, shards and the data set size with one-line usage errors', async () => {
    const dir = join(root, 'huge');
    const cases: [string[], RegExp][] = [
      [
        ['--rows', '1e20'],
        /^linreg: --rows: expected an integer <= 1,000,000,000,000, got 100000000000000000000\n$/,
      ],
      [['--cols', '20000'], /^linreg: --cols: expected an integer <= 10,000, got 20000\n$/],
      [['--shards', '1e9'], /^linreg: --shards: expected an integer <= 10,000, got 1000000000\n$/],
      [
        ['--rows', '1e12', '--cols', '10000'],
        new RegExp(
          `^linreg: --rows/--cols: the data set needs about 80\\.0 PB, but ${dir} has .* free\\n$`,
        ),
      ],
      [
        ['--cols', '5000', '--row-group-rows', '100000'],
        /^linreg: --row-group-rows: expected an integer <= 26,838/,
      ],
    ];
    for (const [flags, message] of cases) {
      const run = await runCli(['gen', dir, ...flags]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
    }
    expect(await readdir(root)).not.toContain('huge');
  });

  it('names an output directory that is a file', async () => {
    const file = join(root, 'a-file');
    await writeFile(file, 'x');
    const run = await runCli(['gen', file, '--rows', '10']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `linreg: ${file}: cannot write: it (or a directory above it) is not a directory\n`,
    );
  });

  it('rejects a bad generator option with exit 2', async () => {
    const run = await runCli(['gen', join(root, 'bad'), '--rows', '-5']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('linreg: --rows: expected an integer >= 0, got -5\n');
  });
});
