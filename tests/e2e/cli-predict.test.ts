import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseModel } from '@linreg/core';
import { generateDataset } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAll, requireBuild, runCli, tempDir } from './cli-harness.js';

const ROWS = 3000;
let root = '';
let model = '';
beforeAll(async () => {
  requireBuild();
  root = await tempDir('e2e-predict');
  await generateDataset({
    dir: join(root, 'train'),
    rows: ROWS,
    cols: 3,
    shards: 2,
    format: 'parquet',
    seed: 5,
    rowGroupRows: 400,
  });
  await generateDataset({
    dir: join(root, 'new'),
    rows: 1000,
    cols: 3,
    shards: 3,
    format: 'arrow',
    seed: 6,
    rowGroupRows: 150,
  });
  model = join(root, 'model.json');
  const fitted = await runCli(['fit', join(root, 'train'), '-y', 'y', '-o', model, '-q']);
  expect(fitted.code).toBe(0);
});
afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

describe('linreg predict end to end', () => {
  it.each(['parquet', 'arrow', 'csv'] as const)(
    'round-trips a model and predicts in input order (%s out)',
    async (ext) => {
      const out = join(root, `pred.${ext}`);
      const run = await runCli([
        'predict',
        model,
        join(root, 'new'),
        '-o',
        out,
        '--keep',
        'x1',
        '--interval',
        'prediction',
        '-j',
        '2',
        '-q',
      ]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);

      const m = parseModel(await readFile(model, 'utf8'));
      const beta = m.coefficients.map((c) => c.estimate);
      const [x0, x1, x2] = await readAll([join(root, 'new')], ['x0', 'x1', 'x2']);
      const [keep, prediction, se, lower, upper] = await readAll(
        [out],
        ['x1', 'prediction', 'se_fit', 'lower_95', 'upper_95'],
      );
      expect(prediction?.length).toBe(1000);
      let worst = 0;
      for (let i = 0; i < 1000; i++) {
        const expected =
          (beta[0] as number) +
          (beta[1] as number) * (x0?.[i] as number) +
          (beta[2] as number) * (x1?.[i] as number) +
          (beta[3] as number) * (x2?.[i] as number);
        worst = Math.max(
          worst,
          Math.abs((prediction?.[i] as number) - expected) / Math.max(1, Math.abs(expected)),
        );
        expect(keep?.[i]).toBe(x1?.[i]);
        expect(
          (lower?.[i] as number) < (prediction?.[i] as number) &&
            (prediction?.[i] as number) < (upper?.[i] as number),
        ).toBe(true);
        expect(se?.[i]).toBeGreaterThan(0);
      }
      expect(worst).toBeLessThan(1e-13);
    },
  );

  it('refuses input without a model feature: exit 2 naming file and column, no output left', async () => {
    const other = join(root, 'other');
    await generateDataset({ dir: other, rows: 50, cols: 2, shards: 1, format: 'csv', seed: 1 });
    const out = join(root, 'bad-pred.parquet');
    const run = await runCli(['predict', model, other, '-o', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `linreg: ${join(other, 'part-00000.csv')}: x2: column required by the model is missing\n`,
    );
    expect(
      (await readdir(root)).filter((f) => f.startsWith('bad-pred') || f.includes('.tmp')),
    ).toEqual([]);
  });
});
