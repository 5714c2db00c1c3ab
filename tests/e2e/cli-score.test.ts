/**
 * `linreg score` against a direct computation from the rows and the model
 * file's coefficients: n, RMSE, MAE, R² and the mean residual on a held-out
 * set made by `gen --beta-seed` (the same true model, other rows), with
 * missing values counted; a formula model with an offset; and
 * `linreg --version`.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../core/support/r-fixtures.js';
import { requireBuild, runCli, tempDir } from './cli-harness.js';

let root = '';

beforeAll(async () => {
  requireBuild();
  root = await tempDir('cli-score-');
});

afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

interface Scores {
  n: number;
  rowsRead: number;
  rowsMissing: number;
  rmse: number;
  mae: number;
  rSquared: number;
  meanResidual: number;
}

/** The scores from rows (y and ŷ, NaN ŷ for a row that cannot be scored). */
function direct(y: readonly number[], fitted: readonly number[]): Omit<Scores, 'rowsRead'> {
  const used = y
    .map((v, i) => [v, fitted[i] as number] as const)
    .filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
  const n = used.length;
  const r = used.map(([a, b]) => a - b);
  const mean = used.reduce((s, [a]) => s + a, 0) / n;
  const tss = used.reduce((s, [a]) => s + (a - mean) ** 2, 0);
  const rss = r.reduce((s, v) => s + v * v, 0);
  return {
    n,
    rowsMissing: y.length - n,
    rmse: Math.sqrt(rss / n),
    mae: r.reduce((s, v) => s + Math.abs(v), 0) / n,
    rSquared: 1 - rss / tss,
    meanResidual: r.reduce((s, v) => s + v, 0) / n,
  };
}

function expectScores(got: Scores, want: Omit<Scores, 'rowsRead'>): void {
  expect(got.n).toBe(want.n);
  expect(got.rowsMissing).toBe(want.rowsMissing);
  for (const key of ['rmse', 'mae', 'rSquared'] as const) {
    expect(Math.abs(got[key] / want[key] - 1), key).toBeLessThan(1e-12);
  }
  expect(Math.abs(got.meanResidual - want.meanResidual)).toBeLessThan(1e-12 * want.rmse);
}

async function csvRows(path: string): Promise<{ header: string[]; rows: number[][] }> {
  const [head, ...lines] = (await readFile(path, 'utf8')).trim().split('\n');
  return {
    header: (head as string).split(','),
    rows: lines.map((l) => l.split(',').map((v) => (v === '' ? Number.NaN : Number(v)))),
  };
}

describe('linreg score', () => {
  it('equals the direct computation on a held-out set from the same true model', async () => {
    const train = join(root, 'train');
    const hold = join(root, 'hold');
    expect(
      (
        await runCli([
          'gen',
          train,
          '--rows',
          '3000',
          '--cols',
          '4',
          '--seed',
          '1',
          '--format',
          'csv',
          '-q',
        ])
      ).code,
    ).toBe(0);
    expect(
      (
        await runCli([
          'gen',
          hold,
          '--rows',
          '1000',
          '--cols',
          '4',
          '--seed',
          '2',
          '--beta-seed',
          '1',
          '--missing',
          '0.02',
          '--format',
          'csv',
          '-q',
        ])
      ).code,
    ).toBe(0);
    const model = join(root, 'm.json');
    expect((await runCli(['fit', train, '-y', 'y', '-o', model, '-q'])).code).toBe(0);
    const run = await runCli(['score', model, hold, '--json', '-q']);
    expect(run.code).toBe(0);
    const got = JSON.parse(run.stdout) as Scores;

    const m = JSON.parse(await readFile(model, 'utf8')) as {
      features: string[];
      coefficients: { estimate: number }[];
    };
    const { header, rows } = await csvRows(join(hold, 'part-00000.csv'));
    const yAt = header.indexOf('y');
    const at = m.features.map((f) => header.indexOf(f));
    const fitted = rows.map((row) =>
      at.reduce(
        (s, j, k) => s + (m.coefficients[k + 1]?.estimate as number) * (row[j] as number),
        m.coefficients[0]?.estimate as number,
      ),
    );
    expectScores(
      got,
      direct(
        rows.map((row) => row[yAt] as number),
        fitted,
      ),
    );
    expect(got.rowsMissing).toBeGreaterThan(0);
    // Same true model, noise sd 1: the held-out RMSE is about 1.
    expect(got.rmse).toBeGreaterThan(0.9);
    expect(got.rmse).toBeLessThan(1.1);
  });

  it('scores a formula model with an offset (y itself, the offset added back)', async () => {
    const data = fixturePath('formula-offset.csv');
    const model = join(root, 'offset.json');
    expect(
      (await runCli(['fit', data, '-f', 'y ~ x + offset(log(e))', '-o', model, '-q'])).code,
    ).toBe(0);
    const run = await runCli(['score', model, data, '--json', '-q']);
    expect(run.code).toBe(0);
    const m = JSON.parse(await readFile(model, 'utf8')) as { coefficients: { estimate: number }[] };
    const { header, rows } = await csvRows(data);
    const [x, e, y] = ['x', 'e', 'y'].map((c) => header.indexOf(c)) as [number, number, number];
    const b = m.coefficients.map((c) => c.estimate);
    const fitted = rows.map(
      (row) =>
        (b[0] as number) + (b[1] as number) * (row[x] as number) + Math.log(row[e] as number),
    );
    expectScores(
      JSON.parse(run.stdout) as Scores,
      direct(
        rows.map((row) => row[y] as number),
        fitted,
      ),
    );
  });

  it('needs the target: a missing one is one line, exit 2', async () => {
    const data = join(root, 'nox.csv');
    const model = join(root, 'offset.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(data, 'x,e\n1,2\n'));
    const run = await runCli(['score', model, data]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^linreg: .*nox\.csv: y: /);
    expect(run.stderr.split('\n').length).toBe(2);
  });
});

describe('linreg --version', () => {
  it("prints the CLI package's version", async () => {
    const pkg = JSON.parse(
      await readFile(new URL('../../packages/cli/package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    const run = await runCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(pkg.version);
  });
});
