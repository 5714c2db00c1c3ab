/**
 * `linreg fit --by` through the CLI: a summary per group under its `Group:`
 * header, one JSON line per group, the groups document (`-o`) that `summary`
 * prints, `predict` routes rows by group and `score` refuses in one line, and the one-pass refusals (exit 2).
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild, runCli, tempDir } from './cli-harness.js';

let root = '';
let data = '';

beforeAll(async () => {
  requireBuild();
  root = await tempDir('cli-by-');
  const rows = ['store,region,x1,y'];
  for (let i = 0; i < 120; i++) {
    const store = i % 2;
    const region = ['EU', 'US'][Math.floor(i / 2) % 2] as string;
    const x1 = ((i * 37) % 11) - 4;
    rows.push(
      `${store},${region},${x1},${(store + (2 + store) * x1 + ((i * 7) % 5) / 10).toFixed(6)}`,
    );
  }
  data = join(root, 'train.csv');
  await writeFile(data, `${rows.join('\n')}\n`);
});

afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

describe('linreg fit --by', () => {
  it('prints a summary per group, writes the groups document, summary reads it', async () => {
    const out = join(root, 'groups.json');
    const run = await runCli([
      'fit',
      data,
      '-y',
      'y',
      '--features',
      'x1',
      '--by',
      'store,region',
      '-o',
      out,
      '--quiet',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const headers = run.stdout.split('\n').filter((l) => l.startsWith('Group: '));
    expect(headers).toEqual([
      'Group: store = 0, region = EU',
      'Group: store = 0, region = US',
      'Group: store = 1, region = EU',
      'Group: store = 1, region = US',
    ]);
    expect(run.stdout).toContain('Rows: 30 read, 30 used, 0 dropped for missing values');
    const doc = JSON.parse(await readFile(out, 'utf8'));
    expect(doc.format).toBe('linreg-model-groups');
    expect(doc.version).toBe(1);
    expect(doc.by).toEqual(['store', 'region']);
    expect(doc.groups[3].key).toEqual({ store: 1, region: 'US' });
    expect(doc.groups[3].model.format).toBe('linreg-model');
    const summary = await runCli(['summary', out]);
    expect(summary.code).toBe(0);
    expect(summary.stdout.split('\n').filter((l) => l.startsWith('Group: '))).toEqual(headers);
    const score = await runCli(['score', out, data]);
    expect(score.code).toBe(2);
    expect(score.stderr.trim().split('\n')).toHaveLength(1);
    expect(score.stderr).toContain('per-group model file');
  });

  it('predict routes each row to its group model; a row without a model gets null', async () => {
    const out = join(root, 'by-store.json');
    const fitted = await runCli([
      'fit',
      data,
      '-f',
      'y ~ x1 + region',
      '--by',
      'store',
      '-o',
      out,
      '--quiet',
    ]);
    expect(fitted.code).toBe(0);
    // Rows of a store the fit never saw, and a missing store.
    const fresh = join(root, 'fresh.csv');
    await writeFile(fresh, 'store,region,x1\n1,US,2\n7,EU,1\n,EU,1\n0,EU,-3\n');
    const routed = await runCli([
      'predict',
      out,
      fresh,
      '-o',
      join(root, 'routed.csv'),
      '--keep',
      'store',
      '--interval',
      'prediction',
      '--quiet',
    ]);
    expect(routed.stderr).toBe('');
    expect(routed.code).toBe(0);
    const rows = (await readFile(join(root, 'routed.csv'), 'utf8')).trim().split('\n').slice(1);
    expect(rows[1]).toBe('7,,,,,');
    expect(rows[2]).toBe(',,,,,');
    // The same numbers as each group's model alone (a --where fit of the group).
    for (const [store, line] of [
      [1, 0],
      [0, 3],
    ] as const) {
      const one = join(root, `one-${store}.json`);
      await runCli([
        'fit',
        data,
        '-f',
        'y ~ x1 + region',
        '--where',
        `store = ${store}`,
        '-o',
        one,
        '--quiet',
      ]);
      const alone = await runCli([
        'predict',
        one,
        fresh,
        '-o',
        join(root, `alone-${store}.csv`),
        '--keep',
        'store',
        '--interval',
        'prediction',
        '--quiet',
      ]);
      expect(alone.code).toBe(0);
      const direct = (await readFile(join(root, `alone-${store}.csv`), 'utf8'))
        .trim()
        .split('\n')
        .slice(1);
      const a = (rows[line] as string).split(',').map(Number);
      const b = (direct[line] as string).split(',').map(Number);
      a.forEach((v, k) => {
        expect(Math.abs(v - (b[k] as number))).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(v)));
      });
    }
  });

  it('--json prints one line per group', async () => {
    const run = await runCli([
      'fit',
      data,
      '-y',
      'y',
      '--features',
      'x1',
      '--by',
      'store',
      '--json',
      '--quiet',
    ]);
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.key)).toEqual([{ store: 0 }, { store: 1 }]);
    expect(lines[1].model.coefficients[1].estimate).toBeCloseTo(3, 1);
  });

  it('refuses what needs a second pass, in one line (exit 2)', async () => {
    for (const extra of [
      ['--se', 'hc1'],
      ['--diagnostics'],
      ['--solver', 'sgd'],
      ['--cluster', 'region'],
    ]) {
      const run = await runCli(['fit', data, '-y', 'y', '--by', 'store', ...extra]);
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toContain('one pass');
    }
    const many = await runCli(['fit', data, '-y', 'y', '--by', 'x1', '--max-groups', '5']);
    expect(many.code).toBe(2);
    expect(many.stderr).toContain('more than 5 groups of x1');
  });
});
