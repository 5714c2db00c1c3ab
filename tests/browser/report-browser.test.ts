/**
 * The report in a real browser: headless Chromium (Debian's `chromium`,
 * driven over the DevTools pipe, cdp-pipe.ts) loads the page from a file
 * with no console error and no request besides the page itself, every plot's
 * SVG lays out at a nonzero size with its marks — bins, Q–Q points, the
 * labelled rows, the Cook's contours, the GCV curve — and its axis titles and
 * tick labels, and names with `<&"` read back as written. A full-page
 * screenshot is kept in tests/artifacts/ (gitignored). Without Chromium the
 * test is skipped, saying so.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateDataset } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild, runCli, tempDir } from '../e2e/cli-harness.js';
import { Browser, chromiumPath } from './cdp-pipe.js';

const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;
const chromium = chromiumPath();
if (chromium === undefined) {
  console.log(
    "report-browser: skipped — no Chromium (install Debian's `chromium`, or set CHROMIUM to its path)",
  );
}

interface PlotFacts {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  readonly marksWidth: number;
  readonly marksHeight: number;
  readonly bins: number;
  readonly points: number;
  readonly labels: string[];
  readonly labelsInside: boolean;
  readonly ticks: number;
  readonly axisTitles: string[];
  readonly title: string;
  readonly contours: number;
  readonly curves: number;
}

const FACTS = `Array.from(document.querySelectorAll('svg[data-plot]')).map((s) => {
  const r = s.getBoundingClientRect();
  const marks = s.querySelector('g[clip-path]').getBBox();
  const vb = s.viewBox.baseVal;
  const labels = Array.from(s.querySelectorAll('text.label'));
  return {
    id: s.dataset.plot,
    width: r.width,
    height: r.height,
    marksWidth: marks.width,
    marksHeight: marks.height,
    bins: s.querySelectorAll('rect.bin').length,
    points: s.querySelectorAll('circle.point').length,
    labels: labels.map((t) => t.textContent),
    labelsInside: labels.every((t) => {
      const b = t.getBBox();
      return b.width > 0 && b.x >= 0 && b.y >= 0 && b.x + b.width <= vb.width && b.y + b.height <= vb.height;
    }),
    ticks: s.querySelectorAll('text.tick').length,
    axisTitles: Array.from(s.querySelectorAll('text.axis-title')).map((t) => t.textContent),
    title: s.querySelector('text.plot-title').textContent,
    contours: s.querySelectorAll('polyline.contour').length,
    curves: s.querySelectorAll('polyline.curve').length,
  };
})`;

let root = '';
let browser: Browser | undefined;

beforeAll(async () => {
  if (chromium === undefined) return;
  requireBuild();
  root = await tempDir('report-browser');
  browser = await Browser.launch(chromium);
});
afterAll(async () => {
  await browser?.close();
  if (root !== '') await rm(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
});

async function report(
  name: string,
  fitArgs: readonly string[],
  data: string,
  extra: readonly string[] = [],
) {
  const model = join(root, `${name}.json`);
  expect((await runCli(['fit', data, ...fitArgs, '-o', model, '-q'])).code).toBe(0);
  const out = join(root, `${name}.html`);
  const run = await runCli(['report', model, data, '-o', out, '-q', ...extra]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const page = await (browser as Browser).open(pathToFileURL(out).href, 1040, 900);
  return { page, plots: await page.evaluate<PlotFacts[]>(FACTS) };
}

function expectFramed(p: PlotFacts): void {
  expect(p.width, p.id).toBeGreaterThan(100);
  expect(p.height, p.id).toBeGreaterThan(100);
  expect(p.marksWidth, p.id).toBeGreaterThan(10);
  expect(p.marksHeight, p.id).toBeGreaterThan(10);
  expect(p.ticks, p.id).toBeGreaterThanOrEqual(4);
  expect(p.title, p.id).not.toBe('');
  expect(p.axisTitles.filter((t) => t !== '').length, p.id).toBeGreaterThanOrEqual(1);
}

describe.skipIf(chromium === undefined)('the report in headless Chromium', () => {
  it('the probe sees console errors, exceptions and requests (a page that has them)', async () => {
    const bad = join(root, 'bad.html');
    await writeFile(
      bad,
      '<!DOCTYPE html><html><body><img src="http://127.0.0.1:9/x.png"><script>console.error("boom"); throw new Error("thrown")</script></body></html>',
    );
    const page = await (browser as Browser).open(pathToFileURL(bad).href, 400, 300);
    expect(page.problems.requests).toEqual(['http://127.0.0.1:9/x.png']);
    expect(page.problems.console.some((c) => c.includes('boom'))).toBe(true);
    expect(page.problems.console.some((c) => c.includes('thrown'))).toBe(true);
  });

  it('an OLS report: no console error or request, every plot drawn with its marks; a screenshot', async () => {
    const dir = join(root, 'data');
    await generateDataset({ dir, rows: 60_000, cols: 4, shards: 2, format: 'parquet', seed: 17 });
    const { page, plots } = await report('ols', ['-y', 'y'], dir, ['--top', '4']);
    expect(page.problems).toEqual({ console: [], requests: [] });
    expect(plots.map((p) => p.id)).toEqual([
      'coefficients',
      'residuals-fitted',
      'qq',
      'scale-location',
      'leverage',
    ]);
    for (const p of plots) expectFramed(p);
    const byId = new Map(plots.map((p) => [p.id, p]));
    for (const id of ['residuals-fitted', 'scale-location', 'leverage']) {
      expect(byId.get(id)?.bins, id).toBeGreaterThan(200);
    }
    expect(byId.get('qq')?.points).toBe(400);
    expect(byId.get('coefficients')?.points).toBe(4);
    const leverage = byId.get('leverage') as PlotFacts;
    expect(leverage.labels).toHaveLength(4);
    for (const l of leverage.labels) expect(l).toMatch(/^part-0000[01]\.parquet:\d+$/);
    expect(leverage.labelsInside).toBe(true);
    expect(leverage.contours).toBe(4);
    const rows = await page.evaluate<number>(
      `document.querySelectorAll('table.influential tbody tr').length`,
    );
    expect(rows).toBe(4);
    const png = await page.screenshot();
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.length).toBeGreaterThan(20_000);
    await mkdir(ARTIFACTS, { recursive: true });
    await writeFile(join(ARTIFACTS, 'report.png'), png);
  });

  it('a ridge report with hostile names: the GCV curve, the names read back as written', async () => {
    const csv = join(root, 'hostile.csv');
    const lines = ['x1,"a<b&""c""",y'];
    for (let i = 0; i < 300; i++) {
      const x1 = Math.sin(i) * 3;
      const a = Math.cos(i * 0.7) * 2;
      lines.push(`${x1},${a},${1 + 2 * x1 - a + Math.sin(i * 12.9898) * 0.5}`);
    }
    await writeFile(csv, `${lines.join('\n')}\n`);
    const { page, plots } = await report('ridge', ['-y', 'y', '--ridge', 'auto'], csv);
    expect(page.problems).toEqual({ console: [], requests: [] });
    expect(plots.map((p) => p.id)).toEqual([
      'coefficients',
      'residuals-fitted',
      'qq',
      'scale-location',
      'gcv',
    ]);
    for (const p of plots) expectFramed(p);
    const gcv = plots.find((p) => p.id === 'gcv') as PlotFacts;
    expect(gcv.curves).toBe(1);
    expect(gcv.labels).toHaveLength(1);
    expect(gcv.labels[0]).toMatch(/^λ = /);
    const names = await page.evaluate<string[]>(
      `Array.from(document.querySelectorAll('table.coefficients td.name')).map((t) => t.textContent)`,
    );
    expect(names).toEqual(['(Intercept)', 'x1', 'a<b&"c"']);
    const png = await page.screenshot();
    await mkdir(ARTIFACTS, { recursive: true });
    await writeFile(join(ARTIFACTS, 'report-ridge.png'), png);
  });
});
