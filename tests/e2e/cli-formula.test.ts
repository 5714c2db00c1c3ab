/**
 * Formulas through the CLI: a parse error is one line naming the column of
 * the formula, exit 2; predict rebuilds the design from the model's terms,
 * fails on a level the fit never saw (naming column, level and row) or, with
 * --unseen-levels na, writes a null prediction for that row; `anova MODEL`
 * prints the per-term table.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild, runCli, tempDir } from './cli-harness.js';

let root = '';

beforeAll(async () => {
  requireBuild();
  root = await tempDir('cli-formula-');
  const rows = ['g,x,y'];
  for (let i = 0; i < 60; i++) {
    const g = ['a', 'b', 'c'][i % 3] as string;
    const x = ((i * 37) % 11) / 3;
    rows.push(
      `${g},${x},${(1 + 2 * x + (g === 'b' ? 1 : g === 'c' ? -1 : 0) + ((i * 7) % 5) / 10).toFixed(6)}`,
    );
  }
  await writeFile(join(root, 'train.csv'), `${rows.join('\n')}\n`);
  await writeFile(join(root, 'new.csv'), 'g,x\nb,1\nc,2\n');
  await writeFile(join(root, 'unseen.csv'), 'g,x\nb,1\nz,2\na,0\n');
});

afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

describe('linreg fit -f', () => {
  it('a formula that does not parse is one line naming its column, exit 2', async () => {
    const run = await runCli(['fit', join(root, 'train.csv'), '-f', 'y ~ x +']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "linreg: formula 'y ~ x +': column 8: expected a term after '+', found end of formula\n",
    );
  });

  it('an unknown column names it and the columns there are', async () => {
    const run = await runCli(['fit', join(root, 'train.csv'), '-f', 'y ~ log(w)']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^linreg: formula 'y ~ log\(w\)': column 9: no column named 'w' \(has g, x, y\)\n$/,
    );
  });

  it('prints the formula, R names and the per-term ANOVA', async () => {
    const model = join(root, 'm.json');
    const run = await runCli([
      'fit',
      join(root, 'train.csv'),
      '-f',
      'y ~ x + g',
      '--anova',
      '-o',
      model,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Model: y ~ x \+ g, solver qr/);
    expect(run.stdout).toMatch(/\ngb +/);
    expect(run.stdout).toMatch(/Analysis of Variance Table\n\nResponse: y\n/);
    const anova = await runCli(['anova', model, '--json']);
    const table = JSON.parse(anova.stdout) as { table: { term: string; df: number }[] };
    expect(table.table.map((r) => [r.term, r.df])).toEqual([
      ['x', 1],
      ['g', 2],
      ['Residuals', 56],
    ]);
  });
});

describe('linreg predict with a formula model', () => {
  it('rebuilds the design; an unseen level fails naming column, level and row, or predicts null', async () => {
    const model = join(root, 'm2.json');
    expect(
      (await runCli(['fit', join(root, 'train.csv'), '-f', 'y ~ x * g', '-o', model])).code,
    ).toBe(0);
    const out = join(root, 'p.csv');
    const ok = await runCli(['predict', model, join(root, 'new.csv'), '-o', out]);
    expect(ok.code).toBe(0);
    const m = JSON.parse(await readFile(model, 'utf8')) as {
      version: number;
      coefficients: { name: string; estimate: number }[];
    };
    expect(m.version).toBe(2);
    const b = Object.fromEntries(m.coefficients.map((c) => [c.name, c.estimate]));
    const want = [
      (b['(Intercept)'] as number) + (b.x as number) + (b.gb as number) + (b['x:gb'] as number),
      (b['(Intercept)'] as number) +
        2 * (b.x as number) +
        (b.gc as number) +
        2 * (b['x:gc'] as number),
    ];
    const got = (await readFile(out, 'utf8')).trim().split('\n').slice(1).map(Number);
    got.forEach((v, i) => {
      expect(v).toBeCloseTo(want[i] as number, 10);
    });

    const bad = await runCli([
      'predict',
      model,
      join(root, 'unseen.csv'),
      '-o',
      join(root, 'q.csv'),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      `linreg: ${join(root, 'unseen.csv')}: g: line 3: level "z" was not seen when the model was fit\n`,
    );
    const na = await runCli([
      'predict',
      model,
      join(root, 'unseen.csv'),
      '-o',
      join(root, 'r.csv'),
      '--unseen-levels',
      'na',
    ]);
    expect(na.code).toBe(0);
    const lines = (await readFile(join(root, 'r.csv'), 'utf8')).trim().split('\n');
    expect(lines.length).toBe(4);
    expect(Number.isNaN(Number(lines[2])) || lines[2] === '').toBe(true);
    expect(Number(lines[1])).toBeCloseTo(want[0] as number, 10);
  });
});
