/**
 * `--where` through the CLI: the summary names the filter and the rows it
 * left out, the model file records it, `score` takes it, and a mistake is one
 * line naming the column of the text (exit 2).
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild, runCli, tempDir } from './cli-harness.js';

let root = '';

beforeAll(async () => {
  requireBuild();
  root = await tempDir('cli-where-');
  const rows = ['region,x1,y'];
  for (let i = 0; i < 90; i++) {
    const region = ['EU', 'US', 'ASIA'][i % 3] as string;
    const x1 = ((i * 37) % 11) - 4;
    rows.push(`${region},${x1},${(1 + 2 * x1 + ((i * 7) % 5) / 10).toFixed(6)}`);
  }
  await writeFile(join(root, 'train.csv'), `${rows.join('\n')}\n`);
});

afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

describe('linreg --where', () => {
  it('fits the kept rows, prints and records the filter; score takes it', async () => {
    const model = join(root, 'm.json');
    const where = 'region = "EU" and x1 > 0';
    const run = await runCli([
      'fit',
      join(root, 'train.csv'),
      '-y',
      'y',
      '--features',
      'x1',
      '--where',
      where,
      '-o',
      model,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Rows where: ${where}\n`);
    const kept = Array.from({ length: 90 }, (_, i) => i).filter(
      (i) => i % 3 === 0 && ((i * 37) % 11) - 4 > 0,
    ).length;
    expect(run.stdout).toContain(
      `Rows: 90 read, ${kept} used, 0 dropped for missing values, ${90 - kept} left out by --where`,
    );
    expect(JSON.parse(await readFile(model, 'utf8')).where).toBe(where);
    const score = await runCli([
      'score',
      model,
      join(root, 'train.csv'),
      '--where',
      where,
      '--json',
    ]);
    expect(score.code).toBe(0);
    expect(JSON.parse(score.stdout).n).toBe(kept);
  });

  it('a parse error or an unknown column is one line, exit 2', async () => {
    const bad = await runCli(['fit', join(root, 'train.csv'), '-y', 'y', '--where', 'x1 > (1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("linreg: --where: 'x1 > (1': column 8: expected ')', found the end\n");
    const unknown = await runCli(['fit', join(root, 'train.csv'), '-y', 'y', '--where', 'x9 > 1']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^linreg: --where: 'x9 > 1': column 1: no column x9 in .*train\.csv \(columns: region, x1, y\)\n$/,
    );
  });
});
