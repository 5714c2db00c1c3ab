import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseModel } from '@linreg/core';
import { generateDataset, openWriter } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  inMemoryCoefficients,
  maxRelativeDifference,
  readAll,
  requireBuild,
  runCli,
  tempDir,
} from './cli-harness.js';

const ROWS = 6000;
const COLS = 4;
const FEATURES = Array.from({ length: COLS }, (_, j) => `x${j}`);
const coefficientsOf = (json: string): number[] =>
  parseModel(json).coefficients.map((c) => c.estimate);

let root = '';
beforeAll(async () => {
  requireBuild();
  root = await tempDir('e2e-fit');
  // The generator's rows do not depend on format or shard count (one seeded stream).
  for (const format of ['parquet', 'arrow', 'csv'] as const) {
    await generateDataset({
      dir: join(root, format),
      rows: ROWS,
      cols: COLS,
      shards: 3,
      format,
      seed: 11,
      rowGroupRows: 700,
    });
  }
  await generateDataset({
    dir: join(root, 'one'),
    rows: ROWS,
    cols: COLS,
    shards: 1,
    format: 'parquet',
    seed: 11,
    rowGroupRows: ROWS,
  });
  await generateDataset({
    dir: join(root, 'seven'),
    rows: ROWS,
    cols: COLS,
    shards: 7,
    format: 'parquet',
    seed: 11,
    rowGroupRows: 500,
  });
});
afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

describe('linreg fit end to end', () => {
  it.each(['parquet', 'arrow', 'csv'] as const)(
    'fits %s shards to the in-memory answer of the same rows',
    async (format) => {
      const dir = join(root, format);
      const run = await runCli([
        'fit',
        dir,
        '--target',
        'y',
        '--json',
        '--workers',
        '2',
        '--quiet',
      ]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const reference = await inMemoryCoefficients([dir], FEATURES);
      expect(maxRelativeDifference(coefficientsOf(run.stdout), reference)).toBeLessThan(1e-12);
      const model = parseModel(run.stdout);
      expect(model.rows).toMatchObject({ read: ROWS, used: ROWS, droppedMissing: 0 });
      expect(model.features).toEqual(FEATURES);
    },
  );

  it("reads an Arrow IPC stream from stdin with '-'", async () => {
    const names = [...FEATURES, 'y'];
    const columns = await readAll([join(root, 'parquet')], names);
    const stream = join(root, 'rows.arrows');
    const writer = await openWriter(stream, names);
    await writer.write({ rows: ROWS, names, columns, nulls: names.map(() => null) });
    await writer.close();
    const run = await runCli(['fit', '-', '-y', 'y', '--json'], createReadStream(stream));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const reference = await inMemoryCoefficients([join(root, 'parquet')], FEATURES);
    expect(maxRelativeDifference(coefficientsOf(run.stdout), reference)).toBeLessThan(1e-12);
  });

  it('gives bitwise-identical coefficients with --workers 1 and 2; 1 or 7 files agree to rounding', async () => {
    const one = await runCli(['fit', join(root, 'seven'), '-y', 'y', '--json', '-j', '1']);
    const two = await runCli(['fit', join(root, 'seven'), '-y', 'y', '--json', '-j', '2']);
    const single = await runCli(['fit', join(root, 'one'), '-y', 'y', '--json', '-j', '2']);
    for (const run of [one, two, single]) expect(run.code).toBe(0);
    const a = coefficientsOf(one.stdout);
    const b = coefficientsOf(two.stdout);
    expect(a.map((v, j) => Object.is(v, b[j]))).toEqual(a.map(() => true));
    expect(maxRelativeDifference(a, coefficientsOf(single.stdout))).toBeLessThan(1e-13);
  });

  it('fits by averaged SGD through the pool, identically for 1 and 2 workers', async () => {
    const dir = join(root, 'parquet');
    const args = [
      'fit',
      dir,
      '-y',
      'y',
      '--json',
      '--solver',
      'sgd',
      '--epochs',
      '30',
      '--seed',
      '3',
    ];
    const one = await runCli([...args, '-j', '1']);
    const two = await runCli([...args, '-j', '2']);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    const a = coefficientsOf(one.stdout);
    const b = coefficientsOf(two.stdout);
    expect(a.map((v, j) => Object.is(v, b[j]))).toEqual(a.map(() => true));
    expect(parseModel(one.stdout).solver).toBe('sgd');
    const reference = await inMemoryCoefficients([dir], FEATURES);
    expect(maxRelativeDifference(a, reference)).toBeLessThan(1e-4);
  });

  it('prints the summary table, draws progress only on a terminal, writes the model', async () => {
    const { main } = await import('../../packages/cli/src/main.js');
    const model = join(root, 'model.json');
    let stdout = '';
    let stderr = '';
    const argv = ['fit', join(root, 'parquet'), '-y', 'y', '-o', model, '--features', 'x0,x2'];
    const code = await main(argv, {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s), isTTY: true },
    });
    expect(code).toBe(0);
    expect(stderr.startsWith('\r\x1b[2Kstarting…')).toBe(true);
    expect(stderr).toMatch(/read \[#+\] 9\/9 units {2}ETA 00:00( {2}.* rows\/s)? {2}6000 rows/);
    expect(stderr.endsWith('\r\x1b[2K')).toBe(true);
    expect(stdout).not.toContain('ETA');
    for (const text of [
      'Coefficients:',
      'Std. Error',
      'Pr(>|t|)',
      '2.5 %',
      'Residual standard error:',
      'Multiple R-squared:',
      'F-statistic:',
      'AIC:',
      'Condition number:',
      `Rows: ${ROWS} read`,
    ]) {
      expect(stdout).toContain(text);
    }
    expect(stdout).toMatch(/^x2 +-?\d/m);
    const summary = await runCli(['summary', model]);
    expect(summary.code).toBe(0);
    expect(summary.stdout).toContain('Model: y ~ x0 + x2');
  });

  it('reports the toy example as aliased with the minimum-norm solution', async () => {
    const { writeFile } = await import('node:fs/promises');
    const toy = join(root, 'toy.csv');
    await writeFile(toy, 'x1,x2,y\n1,2,3\n2,3,5\n3,4,7\n4,5,9\n5,6,11\n');
    const run = await runCli(['fit', toy, '-y', 'y', '--json']);
    expect(run.code).toBe(0);
    const model = parseModel(run.stdout);
    expect(model.rank).toBe(2);
    expect(model.aliased.map((a) => a.relation)).toEqual(['x2 = x1 + 1·(Intercept)']);
    const [b, w1, w2] = model.coefficients.map((c) => c.estimate);
    expect(Math.abs(b as number)).toBeLessThan(1e-12);
    expect(Math.abs((w1 as number) - 1)).toBeLessThan(1e-12);
    expect(Math.abs((w2 as number) - 1)).toBeLessThan(1e-12);
    const dropped = parseModel(
      (await runCli(['fit', toy, '-y', 'y', '--json', '--aliased', 'drop'])).stdout,
    );
    expect(Number.isNaN(dropped.coefficients[2]?.estimate)).toBe(true);
  });
});
