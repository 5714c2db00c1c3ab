/**
 * `linreg report` end to end: the page is one self-contained HTML file (no
 * URL, script, image or stylesheet to fetch), names with `<&"` are escaped,
 * ridge fits get their GCV curve and aliased fits their relations, `-o` is
 * checked before reading (never an input or the model), bad input is one
 * line and exit 2, and a cancelled run leaves no file behind.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateDataset } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../packages/cli/src/main.js';
import { requireBuild, runCli, tempDir } from './cli-harness.js';

let root = '';

/** A CSV with a column named `a<b&"c"` (quoted per RFC 4180) and a collinear x2 = x1 + 1. */
async function writeHostileCsv(path: string): Promise<void> {
  const lines = ['x1,"a<b&""c""",x2,y'];
  let seed = 11;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648 - 0.5;
  };
  for (let i = 0; i < 500; i++) {
    const x1 = 4 * next();
    const a = 3 * next();
    lines.push(`${x1},${a},${x1 + 1},${1 + 2 * x1 - a + next()}`);
  }
  await writeFile(path, `${lines.join('\n')}\n`);
}

beforeAll(async () => {
  requireBuild();
  root = await tempDir('e2e-report');
  await writeHostileCsv(join(root, 'hostile.csv'));
});
afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

/** Every way a page could reach the network or run code, which a report must not have. */
function externalReferences(html: string): string[] {
  const patterns = [
    /https?:\/\//gi,
    /\/\/[a-z0-9.-]+\.[a-z]{2,}/gi,
    /<script\b/gi,
    /<link\b/gi,
    /<img\b/gi,
    /<iframe\b/gi,
    /\b(?:src|href|xlink:href)\s*=/gi,
    /@import\b/gi,
    /url\(\s*(?!#)/gi,
  ];
  return patterns.flatMap((p) => html.match(p) ?? []);
}

describe('linreg report', () => {
  it('the self-containment check finds each kind of reference', () => {
    for (const bad of [
      '<a href="page.html">',
      '<img src="x.png">',
      '<script>',
      '<link rel="stylesheet">',
      'style="background: url(a.png)"',
      '@import "x.css";',
      'see //cdn.example.com/x',
      '<use xlink:href="a.svg#b"/>',
    ]) {
      expect(externalReferences(bad), bad).not.toEqual([]);
    }
    expect(externalReferences('<g clip-path="url(#clip-qq)"><rect/></g>')).toEqual([]);
  });

  it('writes one self-contained page with escaped names, the aliasing relation and every plot', async () => {
    const csv = join(root, 'hostile.csv');
    const model = join(root, 'hostile.json');
    const out = join(root, 'hostile.html');
    expect((await runCli(['fit', csv, '-y', 'y', '-o', model, '-q'])).code).toBe(0);
    const run = await runCli(['report', model, csv, '-o', out, '-j', '2']);
    expect(run.stderr).toBe(`wrote ${out}: 500 rows in 60 × 60 bins, 5 rows labelled\n`);
    expect(run.code).toBe(0);
    const html = await readFile(out, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(externalReferences(html)).toEqual([]);
    expect(html).not.toContain('a<b');
    expect(html).toContain('a&lt;b&amp;&quot;c&quot;');
    expect(html).toContain('x2 = x1 + 1·(Intercept)');
    // p-values below machine epsilon as R prints them, never a rounded 0.
    const model_ = JSON.parse(await readFile(model, 'utf8')) as { statistics: { fPValue: number } };
    if (model_.statistics.fPValue < 2.220446049250313e-16) {
      expect(html).toContain('p &lt; 2.2e-16');
      expect(html).not.toMatch(/df, p 0</);
    }
    for (const plot of ['coefficients', 'residuals-fitted', 'qq', 'scale-location', 'leverage']) {
      expect(html).toContain(`data-plot="${plot}"`);
    }
    expect(html).not.toContain('data-plot="gcv"');
    expect((await readdir(root)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a ridge fit by GCV gets the GCV curve and no leverage plot, saying why', async () => {
    const csv = join(root, 'hostile.csv');
    const model = join(root, 'ridge.json');
    const out = join(root, 'ridge.html');
    expect(
      (
        await runCli([
          'fit',
          csv,
          '-y',
          'y',
          '--ridge',
          'auto',
          '--aliased',
          'drop',
          '-o',
          model,
          '-q',
        ])
      ).code,
    ).toBe(0);
    const run = await runCli(['report', model, csv, '-o', out, '-q', '--bins', '20', '--top', '3']);
    expect(run.code).toBe(0);
    const html = await readFile(out, 'utf8');
    expect(html).toContain('data-plot="gcv"');
    expect(html).not.toContain('data-plot="leverage"');
    expect(html).toContain('No leverage plot: a ridge model');
    expect(externalReferences(html)).toEqual([]);
  });

  it('a formula fit is read through its program (transforms and interactions)', async () => {
    const dir = join(root, 'gen');
    await generateDataset({ dir, rows: 3000, cols: 3, shards: 2, format: 'csv', seed: 5 });
    const model = join(root, 'formula.json');
    const out = join(root, 'formula.html');
    const fit = await runCli([
      'fit',
      dir,
      '-f',
      'y ~ x0 + log(abs(x1) + 1) + x0:x2',
      '-o',
      model,
      '-q',
    ]);
    expect(fit.code).toBe(0);
    const run = await runCli(['report', model, dir, '-o', out]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('3000 rows in 60 × 60 bins');
    expect(await readFile(out, 'utf8')).toContain('log(abs(x1) + 1)');
  });
});

describe('linreg report refuses, in one line with exit 2', () => {
  const expectOneLine = (run: { code: number; stdout: string; stderr: string }, text: string) => {
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toHaveLength(2);
    expect(run.stderr).toContain(text);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  };

  it('to overwrite an input or the model; no -o at all', async () => {
    const csv = join(root, 'hostile.csv');
    const model = join(root, 'hostile.json');
    expect((await runCli(['fit', csv, '-y', 'y', '-o', model, '-q'])).code).toBe(0);
    const before = await readFile(csv);
    expectOneLine(await runCli(['report', model, csv, '-o', csv]), 'it is one of the inputs');
    expect(await readFile(csv)).toEqual(before);
    const modelText = await readFile(model);
    expectOneLine(await runCli(['report', model, csv, '-o', model]), 'it is one of the inputs');
    expect(await readFile(model)).toEqual(modelText);
    const none = await runCli(['report', model, csv]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('output');
  });

  it('a model that is not one, data without a model column, a bad option', async () => {
    const csv = join(root, 'hostile.csv');
    const bad = join(root, 'bad.json');
    await writeFile(bad, '{"format": "something else"}');
    expectOneLine(await runCli(['report', bad, csv, '-o', join(root, 'x.html')]), bad);
    const model = join(root, 'hostile.json');
    const other = join(root, 'other.csv');
    await writeFile(other, 'x1,y\n1,2\n3,4\n');
    expectOneLine(
      await runCli(['report', model, other, '-o', join(root, 'x.html')]),
      'no such column',
    );
    expectOneLine(
      await runCli(['report', model, csv, '-o', join(root, 'x.html'), '--bins', '3']),
      '--bins',
    );
    expect((await readdir(root)).filter((f) => f === 'x.html' || f.endsWith('.tmp'))).toEqual([]);
  });
});

/** A terminal control sequence (ESC [ … letter), built so the source holds no control character. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');

describe('a report cancelled while it reads', () => {
  it('stops with exit 130 and one line, and leaves no page and no temporary file', async () => {
    const dir = join(root, 'big');
    await generateDataset({ dir, rows: 200_000, cols: 4, shards: 4, format: 'parquet', seed: 8 });
    const model = join(root, 'big.json');
    expect(
      (await runCli(['fit', join(dir, 'part-00000.parquet'), '-y', 'y', '-o', model, '-q'])).code,
    ).toBe(0);
    const out = join(root, 'cancelled');
    await mkdir(out);
    // Cancel at the first progress report (a terminal on stderr draws one per unit): the
    // first pass is under way, deterministically, whatever the machine's speed.
    const controller = new AbortController();
    let stderr = '';
    /** What a terminal shows: lines redrawn in place (\r, erase line) split apart. */
    const shown = (text: string): string[] =>
      text
        .replace(ANSI, '')
        .split(/[\r\n]/)
        .filter((l) => l !== '');
    const code = await main(['report', model, dir, '-o', join(out, 'r.html'), '-j', '1'], {
      stdout: { write: () => true },
      stderr: {
        isTTY: true,
        columns: 100,
        write: (s: string) => {
          stderr += s;
          // The first report of a unit read, after the "starting…" line.
          if (shown(s).some((l) => l !== 'starting…')) controller.abort();
          return true;
        },
      },
      signal: controller.signal,
    });
    expect(code).toBe(130);
    const lines = shown(stderr);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines[1]).toMatch(/ranges/);
    expect(lines.filter((l) => l.startsWith('linreg:'))).toEqual(['linreg: interrupted']);
    expect(await readdir(out)).toEqual([]);
  });
});
