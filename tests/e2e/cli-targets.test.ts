/**
 * Several targets through the CLI (`-f 'cbind(y1, y2, …) ~ …'`, `--target
 * y1,y2`): a summary per target under `Response …:` as R's summary(mlm), the
 * same numbers as fitting each target alone on the same rows, `--json` and
 * `-o` the targets document that `summary` prints, `predict` writes each
 * target's columns from one design, `score` reports per target, and the
 * refusals in one line (exit 2).
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../core/support/r-fixtures.js';
import { requireBuild, runCli, tempDir } from './cli-harness.js';

// 60 rows: x1, x2, a text factor g, y1, y2, y3, weights w; y2 missing once, x1 once (mlm.R).
const DATA = fixturePath('mlm-data.csv');
let root = '';

beforeAll(async () => {
  requireBuild();
  root = await tempDir('cli-targets');
});

/** The coefficient table's rows of one summary block: name → estimate as printed. */
function estimates(block: string): Record<string, string> {
  const lines = block.split('\n');
  const start = lines.findIndex((l) => l.startsWith('Coefficients'));
  const out: Record<string, string> = {};
  for (const line of lines.slice(start + 2)) {
    if (line.startsWith('---') || line.trim() === '') break;
    const [name, estimate] = line.trim().split(/\s+/);
    out[name as string] = estimate as string;
  }
  return out;
}

describe('linreg fit with several targets', () => {
  it('prints a summary per target, each as the fit of that target alone on the same rows', async () => {
    const run = await runCli(['fit', DATA, '-f', 'cbind(y1, y2, log(y3)) ~ x1 + g', '--quiet']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const blocks = run.stdout.split(/^(?=Response )/m);
    expect(blocks.map((b) => b.split('\n')[0])).toEqual([
      'Response y1:',
      'Response y2:',
      'Response log(y3):',
    ]);
    // A row missing any target (y2) or feature (x1) is dropped for all, as R's na.omit.
    for (const b of blocks) expect(b).toContain('Rows: 60 read, 58 used, 2 dropped');
    // The run is one pass, reported once.
    expect(run.stdout.match(/^Run: /gm)?.length).toBe(1);
    for (const [j, response] of ['y1', 'y2', 'log(y3)'].entries()) {
      const alone = await runCli([
        'fit',
        DATA,
        '-f',
        `${response} ~ x1 + g`,
        '--where',
        'y2 is not null',
        '--quiet',
      ]);
      expect(alone.code).toBe(0);
      expect(estimates(blocks[j] as string)).toEqual(estimates(alone.stdout));
      expect(Object.keys(estimates(alone.stdout))).toEqual(['(Intercept)', 'x1', 'gb', 'gc']);
    }
  });

  it('--target y1,y2 with --json prints the targets document', async () => {
    const run = await runCli(['fit', DATA, '-y', 'y1,y2', '--features', 'x1,x2', '--json', '-q']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.format).toBe('linreg-model-targets');
    expect(doc.version).toBe(1);
    expect(doc.targets).toEqual(['y1', 'y2']);
    expect(doc.models.map((m: { target: string }) => m.target)).toEqual(['y1', 'y2']);
    expect(doc.models[1].features).toEqual(['x1', 'x2']);
    expect(doc.models[0].rows.used).toBe(58);
  });

  it('-o writes the document; summary, predict and score read it', async () => {
    const model = join(root, 'mlm.json');
    const fit = await runCli(['fit', DATA, '-f', 'cbind(y1, log(y3)) ~ x1 + g', '-o', model, '-q']);
    expect(fit.code).toBe(0);
    const doc = JSON.parse(await readFile(model, 'utf8'));
    expect(doc.targets).toEqual(['y1', 'log(y3)']);
    expect(doc.models[1].terms.formula).toBe('log(y3) ~ x1 + g');

    const summary = await runCli(['summary', model]);
    expect(summary.code).toBe(0);
    expect(summary.stdout).toContain('Response y1:\nModel: y1 ~ x1 + g');
    expect(summary.stdout).toContain('Response log(y3):\nModel: log(y3) ~ x1 + g');

    const out = join(root, 'pred.csv');
    const predict = await runCli([
      'predict',
      model,
      DATA,
      '-o',
      out,
      '--interval',
      'confidence',
      '--residuals',
      '-q',
    ]);
    expect(predict.stderr).toBe('');
    expect(predict.code).toBe(0);
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe(
      'prediction_y1,se_fit_y1,lower_95_y1,upper_95_y1,residual_y1,' +
        'prediction_log(y3),se_fit_log(y3),lower_95_log(y3),upper_95_log(y3),residual_log(y3)',
    );
    expect(lines).toHaveLength(61);
    // Each target's prediction is that target's model applied to the row.
    const raw = (await readFile(DATA, 'utf8')).trim().split('\n');
    const header = (raw[0] as string).split(',');
    const row = (raw[1] as string).split(',');
    const value = (name: string): number => Number(row[header.indexOf(name)]);
    const first = (lines[1] as string).split(',').map(Number);
    for (const [t, m] of (doc.models as { coefficients: { estimate: number }[] }[]).entries()) {
      const [b0, b1, bb, bc] = m.coefficients.map((c) => c.estimate) as number[];
      const g = row[header.indexOf('g')];
      const expected =
        (b0 as number) +
        (b1 as number) * value('x1') +
        (g === 'b' ? (bb as number) : 0) +
        (g === 'c' ? (bc as number) : 0);
      expect(first[t * 5]).toBeCloseTo(expected, 12);
      const y = t === 0 ? value('y1') : Math.log(value('y3'));
      expect(first[t * 5 + 4]).toBeCloseTo(y - expected, 12);
    }

    const score = await runCli(['score', model, DATA, '--json', '-q']);
    expect(score.code).toBe(0);
    const scores = JSON.parse(score.stdout);
    expect(scores.targets.map((s: { target: string }) => s.target)).toEqual(['y1', 'log(y3)']);
    // Scored per target: a row needs that target's response and the features only.
    expect(scores.targets.map((s: { n: number }) => s.n)).toEqual([59, 59]);
    const text = await runCli(['score', model, DATA, '-q']);
    expect(text.stdout).toMatch(/^Response y1:\nn: {13}59 of 60 rows read/);

    const anova = await runCli(['anova', model, model]);
    expect(anova.code).toBe(2);
    expect(anova.stderr).toMatch(
      /multi-target model file .*only linreg summary, predict and score/,
    );
    expect(anova.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('reads an Arrow stream on stdin once, as the same rows from a file', async () => {
    const data = join(root, 'gen');
    expect((await runCli(['gen', data, '--rows', '500', '--cols', '4', '--seed', '3'])).code).toBe(
      0,
    );
    const one = join(root, 'one.json');
    expect((await runCli(['fit', data, '-y', 'y', '--features', 'x0', '-o', one, '-q'])).code).toBe(
      0,
    );
    // An Arrow IPC stream of the numeric columns: predict's output keeps their types.
    const stream = join(root, 'rows.arrows');
    const kept = await runCli([
      'predict',
      one,
      data,
      '-o',
      stream,
      '--output-format',
      'arrow',
      '--keep',
      'x0,x1,x2,x3,y',
      '-q',
    ]);
    expect(kept.code).toBe(0);
    // Refinement off: stdin cannot be read again, so only unrefined fits are the same bits.
    const args = ['-y', 'y,x3', '--features', 'x0,x1,x2', '--refine', 'off', '--json', '-q'];
    const fromStdin = await runCli(['fit', '-', ...args], createReadStream(stream));
    expect(fromStdin.stderr).toBe('');
    const fromFile = await runCli(['fit', data, ...args]);
    const coefficients = (text: string) =>
      JSON.parse(text).models.map((m: { coefficients: { estimate: number }[] }) =>
        m.coefficients.map((c) => c.estimate),
      );
    expect(coefficients(fromStdin.stdout)).toEqual(coefficients(fromFile.stdout));
  });

  it('names the formula as written, and the column, when a response or term is not there', async () => {
    const response = await runCli(['fit', DATA, '-f', 'cbind(y1, nope) ~ x1']);
    expect(response.code).toBe(2);
    expect(response.stderr).toBe(
      "linreg: formula 'cbind(y1, nope) ~ x1': column 11: no column named 'nope' (has x1, x2, g, y1, y2, y3, w)\n",
    );
    const term = await runCli(['fit', DATA, '-f', 'cbind(y1, y2) ~ x1 + zz']);
    expect(term.stderr).toMatch(/^linreg: formula 'cbind\(y1, y2\) ~ x1 \+ zz': column 22: /);
    const column = await runCli(['fit', DATA, '-y', 'y1,nope', '--features', 'x1']);
    expect(column.code).toBe(2);
    expect(column.stderr).toMatch(/: nope: no such column/);
  });

  it('takes robust SEs, clusters, diagnostics and offsets per target', async () => {
    const run = await runCli([
      'fit',
      DATA,
      '-y',
      'y1,y2',
      '--features',
      'x1,x2',
      '--cluster',
      'g',
      '--diagnostics',
      '--json',
      '-q',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    for (const m of doc.models) {
      expect(m.se).toBe('hc1');
      expect(m.cluster.columns).toEqual(['g']);
      expect(m.diagnostics.durbinWatson).toBeGreaterThan(0);
    }
    // An offset is taken from every response, as R's lm.fit does.
    const offset = await runCli(['fit', DATA, '-f', 'cbind(y1, y2) ~ x1 + offset(x2)', '-q']);
    expect(offset.code).toBe(0);
    const alone = await runCli([
      'fit',
      DATA,
      '-f',
      'y1 ~ x1 + offset(x2)',
      '--where',
      'y2 is not null',
      '-q',
    ]);
    expect(estimates(offset.stdout.split(/^(?=Response )/m)[0] as string)).toEqual(
      estimates(alone.stdout),
    );
  });

  it('refuses --solver sgd and --by in one line (exit 2)', async () => {
    for (const extra of [
      ['--solver', 'sgd'],
      ['--by', 'g'],
    ]) {
      const run = await runCli(['fit', DATA, '-y', 'y1,y2', '--features', 'x1', ...extra]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^linreg: .*several targets/);
    }
  });

  it('refuses --keep-state, partial and update of several targets in one line (exit 2), writing nothing', async () => {
    const state = join(root, 'keep.json');
    const keep = await runCli([
      'fit',
      DATA,
      '-y',
      'y1,y2',
      '--features',
      'x1',
      '--keep-state',
      '-o',
      state,
    ]);
    const part = join(root, 'p0.lrstate');
    const partial = await runCli([
      'partial',
      DATA,
      '-f',
      'cbind(y1, y2) ~ x1',
      '--part',
      '0/2',
      '-o',
      part,
    ]);
    for (const run of [keep, partial]) {
      expect(run.code).toBe(2);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^linreg: .*several targets/);
    }
    await expect(readFile(state)).rejects.toThrow(/ENOENT/);
    await expect(readFile(part)).rejects.toThrow(/ENOENT/);
  });
});
