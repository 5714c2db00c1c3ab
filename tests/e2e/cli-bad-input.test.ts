import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateDataset } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, requireBuild, runCli, tempDir } from './cli-harness.js';

let root = '';
beforeAll(async () => {
  requireBuild();
  root = await tempDir('e2e-bad');
  await writeFile(join(root, 'good.csv'), 'x1,x2,y,name\n1,2,3,a\n2,1,5,b\n3,5,7,c\n4,4,9,d\n');
  await writeFile(join(root, 'bad.parquet'), 'this is not a parquet file at all, just text\n');
  await writeFile(join(root, 'holes.csv'), 'x1,x2,y\n1,2,3\n2,,5\n3,5,7\n');
  await writeFile(join(root, 'empty-rows.csv'), 'x1,x2,y\n1,,3\n,1,5\n');
});
afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

/** One line on stderr, no stack trace, nothing on stdout, no model file left. */
async function expectOneLineFailure(run: CliRun, code: number, pattern: RegExp): Promise<void> {
  expect(run.code).toBe(code);
  expect(run.stdout).toBe('');
  expect(run.stderr.endsWith('\n')).toBe(true);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stderr).toMatch(pattern);
  expect((await readdir(root)).filter((f) => f.startsWith('model') || f.endsWith('.tmp'))).toEqual(
    [],
  );
}

const fitTo = (...args: string[]) => runCli(['fit', ...args, '-o', join(root, 'model.json')]);

describe('bad input: one line on stderr, exit 2, no output file', () => {
  it('names a missing file', async () => {
    const missing = join(root, 'nope.parquet');
    await expectOneLineFailure(
      await fitTo(missing, '-y', 'y'),
      2,
      new RegExp(`^linreg: ${missing}: `),
    );
  });

  it('names a file with a bad magic number', async () => {
    const bad = join(root, 'bad.parquet');
    await expectOneLineFailure(await fitTo(bad, '-y', 'y'), 2, new RegExp(`^linreg: ${bad}: `));
  });

  it('names a non-numeric column', async () => {
    const file = join(root, 'good.csv');
    await expectOneLineFailure(
      await fitTo(file, '-y', 'y', '--features', 'x1,name'),
      2,
      new RegExp(`^linreg: ${file}: name: .*not numeric`),
    );
  });

  it('names a text value in the first rows of a numeric column instead of dropping it', async () => {
    // The type guess samples the first 200 records; the typo at data row 2 used to make x1 a
    // text column, silently left out: `y ~ x2`, exit 0.
    const rows = Array.from({ length: 50 }, (_, i) => `${i},${(i * 7) % 5},${3 * i + 1}`);
    rows[1] = 'abc,2,4';
    const file = join(root, 'typo.csv');
    await writeFile(file, `x1,x2,y\n${rows.join('\n')}\n`);
    await expectOneLineFailure(
      await fitTo(file, '-y', 'y'),
      2,
      new RegExp(`^linreg: ${file}: x1: line 3: not a number: "abc"$`, 'm'),
    );
  });

  it('names a missing column', async () => {
    const file = join(root, 'good.csv');
    await expectOneLineFailure(
      await fitTo(file, '-y', 'y', '--features', 'x1,x9'),
      2,
      new RegExp(`^linreg: ${file}: x9: no such column`),
    );
    await expectOneLineFailure(await fitTo(file, '-y', 'target'), 2, /: target: no such column/);
  });

  it('names the shard whose schema lacks a requested column', async () => {
    const dir = join(root, 'mixed');
    await generateDataset({ dir, rows: 20, cols: 3, shards: 1, format: 'csv', seed: 1 });
    await writeFile(join(dir, 'part-00001.csv'), 'x0,x1,y\n1,2,3\n');
    await expectOneLineFailure(
      await fitTo(dir, '-y', 'y'),
      2,
      new RegExp(`^linreg: ${join(dir, 'part-00001.csv')}: x2: no such column`),
    );
  });

  it('names the file, column and row of a missing value under --missing error', async () => {
    const file = join(root, 'holes.csv');
    await expectOneLineFailure(
      await fitTo(file, '-y', 'y', '--missing', 'error'),
      2,
      new RegExp(`^linreg: ${file}: x2: line 3: missing value`),
    );
  });

  it('names the weights column and the first failing unit, whichever worker fails first', async () => {
    // x1 is uniform on (-1, 1): every row group has negative weights, and the
    // first unit to fail may be any of them; the error names row group 0.
    const dir = join(root, 'negative-weights');
    await generateDataset({
      dir,
      rows: 4000,
      cols: 3,
      shards: 1,
      format: 'parquet',
      seed: 5,
      rowGroupRows: 500,
    });
    const file = join(dir, 'part-00000.parquet');
    for (const solver of ['qr', 'normal', 'sgd']) {
      await expectOneLineFailure(
        await fitTo(file, '-y', 'y', '--weights', 'x1', '-j', '2', '--solver', solver),
        2,
        new RegExp(`^linreg: ${file} row group 0: weights column x1: weight -[0-9.e-]+ in row `),
      );
    }
  });

  it('names a model path that cannot be written', async () => {
    const target = join(root, 'no-such-dir', 'model.json');
    await expectOneLineFailure(
      await runCli(['fit', join(root, 'good.csv'), '-y', 'y', '--features', 'x1,x2', '-o', target]),
      2,
      new RegExp(`^linreg: ${target}: cannot write: the directory does not exist`),
    );
  });

  it('rejects bad options as usage errors', async () => {
    const file = join(root, 'good.csv');
    await expectOneLineFailure(
      await fitTo(file, '-y', 'y', '--features', 'x1', '--ridge', '-1'),
      2,
      /--ridge/,
    );
    await expectOneLineFailure(await fitTo(file, '-y', 'y', '--workers', '0'), 2, /--workers/);
    await expectOneLineFailure(await fitTo(file, '-y', 'y', '--solver', 'magic'), 2, /solver/);
    await expectOneLineFailure(await runCli(['fit', file]), 2, /target/);
    await expectOneLineFailure(await runCli(['frobnicate']), 2, /^linreg: /);
  });
});

describe('fit failures: exit 1', () => {
  it('reports no usable rows after dropping missing values', async () => {
    await expectOneLineFailure(
      await fitTo(join(root, 'empty-rows.csv'), '-y', 'y'),
      1,
      /no usable rows: 2 read, 2 dropped/,
    );
  });
});

describe('missing values under --missing drop', () => {
  it('drops and counts rows with a missing value', async () => {
    const run = await runCli(['fit', join(root, 'holes.csv'), '-y', 'y', '--json']);
    expect(run.code).toBe(0);
    const model = JSON.parse(run.stdout) as {
      rows: { read: number; used: number; droppedMissing: number };
    };
    expect(model.rows).toMatchObject({ read: 3, used: 2, droppedMissing: 1 });
    expect(await readFile(join(root, 'holes.csv'), 'utf8')).toContain('2,,5');
  });
});
