/**
 * Issue 12 through the CLI: a model above the large-matrix threshold (m =
 * 2,050 design columns, a ~150 MB file, read by the byte reader's split path)
 * is read by summary and predict, and `summary --json` writes the same text
 * back in chunks; a write that fails midway leaves no file behind.
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelFormatError } from '@linreg/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../packages/cli/src/atomic-write.js';
import { jsonChunks } from '../../packages/core/src/model/json-chunks.js';
import type { LinregModel } from '../../packages/core/src/model/model.js';
import { parseModel } from '../../packages/core/src/model/model-json.js';
import { predict } from '../../packages/core/src/model/predict.js';
import { modelOf, threeFeatures } from '../core/model/model-reference.js';
import { requireBuild, runCli, tempDir } from './cli-harness.js';

const M = 2050;
const ROWS = 3;

/** A small fit's model with m = 2,050 design columns and synthetic, well-conditioned matrices. */
function wideModel(): LinregModel {
  const small = modelOf(threeFeatures, ['a', 'b', 'c']);
  const features = Array.from({ length: M - 1 }, (_, j) => `x${j}`);
  const names = ['(Intercept)', ...features];
  const template = small.coefficients[1] as LinregModel['coefficients'][number];
  return {
    ...small,
    features,
    coefficients: names.map((name, j) => ({ ...template, name, estimate: Math.sin(j) })),
    covUnscaled: names.map((_, i) => names.map((_, j) => Math.cos(i * M + j) * 1e-4)),
    triangularFactor: {
      columns: names,
      scales: names.map((_, j) => 1 + j / 5),
      r: names.map((_, i) =>
        names.map((_, j) => (j < i ? 0 : Math.sin(i + j) * 0.01 + (i === j ? 1 : 0))),
      ),
    },
    rank: M,
  };
}

let root = '';
let modelPath = '';
let text = '';
let model: LinregModel;
let data = '';
let x: Float64Array[] = [];
beforeAll(async () => {
  requireBuild();
  root = await tempDir('large-model');
  model = wideModel();
  text = [...jsonChunks(model)].join('');
  modelPath = join(root, 'wide.json');
  await writeFile(modelPath, text);
  x = model.features.map((_, j) =>
    Float64Array.from({ length: ROWS }, (_, i) => ((i + j) % 7) - 3),
  );
  const lines = [model.features.join(',')];
  for (let i = 0; i < ROWS; i++) lines.push(x.map((c) => c[i]).join(','));
  data = join(root, 'new.csv');
  await writeFile(data, `${lines.join('\n')}\n`);
  await writeFile(join(root, 'new2.csv'), `${lines.join('\n')}\n`);
}, 60_000);
afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

describe('a model with matrices of more than 2^22 entries', () => {
  it('is written with one compact matrix row per line, over 64 MiB', () => {
    expect(text.length).toBeGreaterThan(1 << 26);
    expect(text).toContain(`  "covUnscaled": [\n    [${model.covUnscaled[0]?.join(',')}],\n`);
    expect(parseModel(text).covUnscaled[7]).toEqual(model.covUnscaled[7]);
  });

  it('summary reads it and summary --json writes its text back in chunks', async () => {
    const table = await runCli(['summary', modelPath]);
    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(`x${M - 2} `);
    const json = await runCli(['summary', '--json', modelPath]);
    expect(json.code).toBe(0);
    // The model as parseModel returns it (which orders a few optional fields its own way).
    const again = [...jsonChunks(parseModel(text))].join('');
    expect(again.length).toBeGreaterThan(1 << 26);
    expect(json.stdout === again).toBe(true);
    expect(parseModel(json.stdout).triangularFactor?.r[M - 1]).toEqual(
      model.triangularFactor?.r[M - 1],
    );
  }, 60_000);

  it('predict gives what predict() gives on the model in memory, intervals included', async () => {
    const out = join(root, 'pred.csv');
    // Two inputs, two units on one worker: it parses the model for the first and reuses it.
    const run = await runCli([
      'predict',
      '-j',
      '1',
      modelPath,
      data,
      join(root, 'new2.csv'),
      '-o',
      out,
      '--interval',
      'prediction',
      '-q',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const want = predict(model, { rows: ROWS, columns: x }, { interval: 'prediction' });
    const rows = (await readFile(out, 'utf8')).trim().split('\n');
    expect(rows[0]).toBe('prediction,se_fit,lower_95,upper_95,se_pred');
    expect(rows).toHaveLength(1 + 2 * ROWS);
    for (let k = 0; k < 2 * ROWS; k++) {
      const i = k % ROWS;
      const [fit, se, lower, upper] = (rows[k + 1] as string).split(',').map(Number);
      expect(fit).toBe(want.fit[i]);
      expect(se).toBe(want.se?.[i]);
      expect(lower).toBe(want.lower?.[i]);
      expect(upper).toBe(want.upper?.[i]);
    }
  }, 60_000);
});

describe('writeFileAtomic in chunks', () => {
  it('writes the chunks, and leaves no file (and the old one intact) when they fail midway', async () => {
    const target = join(root, 'chunked.json');
    await writeFileAtomic(target, ['{\n', '  "a": 1\n', '}\n']);
    expect(await readFile(target, 'utf8')).toBe('{\n  "a": 1\n}\n');
    function* failing(): Generator<string> {
      yield '{"half": ';
      throw new ModelFormatError('model', '', 'failed midway');
    }
    await expect(writeFileAtomic(target, failing())).rejects.toThrow(/failed midway/);
    expect(await readFile(target, 'utf8')).toBe('{\n  "a": 1\n}\n');
    expect((await readdir(root)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
