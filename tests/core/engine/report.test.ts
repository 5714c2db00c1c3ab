/**
 * The report's passes (`reportFiles`) through the real engine — files, the
 * pool, the `report-ranges` and `report-bins` tasks — against R's plot.lm
 * quantities (fitted, weighted residuals, hatvalues, rstandard,
 * cooks.distance; fixtures by tests/fixtures/r/report.R, R not needed here),
 * and the bins and top rows identical for 1 and 2 workers, 1 and 3 shards.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fit as fitFiles, type LinregModel, type ReportData, reportFiles } from '@linreg/core';
import { generateDataset } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalQuantile } from '../../../packages/core/src/numerics/inference/index.js';
import { requireBuild, tempDir } from '../../e2e/cli-harness.js';
import { digits, fixturePath, readFixture } from '../support/r-fixtures.js';
import { sharedPool } from '../support/shared-pool.js';

interface RTop {
  readonly row: number;
  readonly cook: number;
  readonly hat: number;
  readonly standardized: number;
  readonly fitted: number;
  readonly residual: number;
}

interface RReport {
  readonly name: string;
  readonly weights: string | null;
  readonly n: number;
  readonly fittedMin: number;
  readonly fittedMax: number;
  readonly residualMin: number;
  readonly residualMax: number;
  readonly standardizedMin: number;
  readonly standardizedMax: number;
  readonly rootMax: number;
  readonly hatMax: number;
  readonly sigma: number;
  readonly top: readonly RTop[];
}

const shared = sharedPool();
let root = '';
beforeAll(async () => {
  requireBuild();
  root = await tempDir('report');
  for (const shards of [1, 3]) {
    await generateDataset({
      dir: join(root, `s${shards}`),
      rows: 6000,
      cols: 3,
      shards,
      format: 'parquet',
      seed: 21,
      rowGroupRows: 700,
    });
  }
});
afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

const fixtureModel = async (ref: RReport): Promise<LinregModel> =>
  (
    await fitFiles(
      {
        inputs: [fixturePath(`report-${ref.name}.csv`)],
        target: 'y',
        features: ['x1', 'x2'],
        weights: ref.weights ?? undefined,
      },
      { pool: shared() },
    )
  ).model;

describe('report quantities against R (plot.lm, cooks.distance)', () => {
  it.each(['ols', 'wls'])(
    '%s: ranges, the top 5 rows by Cook’s distance and their row numbers',
    async (name) => {
      const ref = await readFixture<RReport>(`report-${name}.json`);
      const csv = fixturePath(`report-${name}.csv`);
      const model = await fixtureModel(ref);
      const data = await reportFiles(model, [csv], { pool: shared(), top: 5 });
      expect(data.n).toBe(ref.n);
      expect(data.rowsMissing).toBe(2);
      const close = (a: number, b: number, what: string) =>
        expect(digits(a, b), `${what}: ${a} vs R ${b}`).toBeGreaterThan(10);
      close(data.residualFitted.x[0], ref.fittedMin, 'min fitted');
      close(data.residualFitted.x[1], ref.fittedMax, 'max fitted');
      close(data.residualFitted.y[0], ref.residualMin, 'min residual');
      close(data.residualFitted.y[1], ref.residualMax, 'max residual');
      close(data.scaleLocation.y[1], ref.rootMax, 'max √|s|');
      const lev = data.residualLeverage as NonNullable<ReportData['residualLeverage']>;
      close(lev.x[1], ref.hatMax, 'max leverage');
      close(lev.y[0], ref.standardizedMin, 'min standardized');
      close(lev.y[1], ref.standardizedMax, 'max standardized');
      expect(data.influential.map((r) => r.row)).toEqual(ref.top.map((r) => r.row));
      data.influential.forEach((r, i) => {
        const t = ref.top[i] as RTop;
        expect(r.file).toBe(csv);
        close(r.cook, t.cook, `row ${t.row} Cook`);
        close(r.leverage, t.hat, `row ${t.row} leverage`);
        close(r.standardized, t.standardized, `row ${t.row} rstandard`);
        close(r.fitted, t.fitted, `row ${t.row} fitted`);
        close(r.residual, t.residual, `row ${t.row} residual`);
      });
      // Q–Q: the extremes are the exact min and max of ẽ/σ̂.
      close(data.qq.sample[0] as number, ref.residualMin / ref.sigma, 'Q–Q min');
      close(
        data.qq.sample[data.qq.sample.length - 1] as number,
        ref.residualMax / ref.sigma,
        'Q–Q max',
      );
      // Every binned row is in each grid once.
      for (const grid of [data.residualFitted, data.scaleLocation, lev]) {
        expect(grid.counts.reduce((s, c) => s + c, 0)).toBe(ref.n);
        expect(grid.counts.length).toBe(data.bins * data.bins);
      }
    },
  );

  it.each([
    ['y ~ x1 + x2', 'a formula (the program’s missing rows)'],
    [
      'y ~ x1 + x2 + I(x1 + x2)',
      'an aliased column under min-norm (leverage from the pseudo-inverse)',
    ],
  ])('%s — %s: the same rows and values as R', async (formula) => {
    const ref = await readFixture<RReport>('report-ols.json');
    const csv = fixturePath('report-ols.csv');
    const { model } = await fitFiles({ inputs: [csv], formula }, { pool: shared() });
    expect(model.triangularFactor === undefined).toBe(formula.includes('I('));
    const data = await reportFiles(model, [csv], { pool: shared(), top: 5 });
    expect(data.n).toBe(ref.n);
    expect(data.influential.map((r) => r.row)).toEqual(ref.top.map((r) => r.row));
    data.influential.forEach((r, i) => {
      const t = ref.top[i] as RTop;
      expect(digits(r.cook, t.cook), `row ${t.row} Cook`).toBeGreaterThan(9);
      expect(digits(r.leverage, t.hat), `row ${t.row} leverage`).toBeGreaterThan(9);
    });
  });

  it('the normal quantile matches R’s qnorm to 1e-15 relative', async () => {
    const ref = await readFixture<{ p: number[]; q: number[] }>('report-qnorm.json');
    ref.p.forEach((p, i) => {
      const q = ref.q[i] as number;
      expect(Math.abs(normalQuantile(p) - q), `qnorm(${p})`).toBeLessThanOrEqual(
        1e-15 * Math.abs(q) + 1e-300,
      );
    });
  });

  it('a ridge model has no leverage: no leverage grid, no Cook’s distance', async () => {
    const csv = fixturePath('report-ols.csv');
    const { model } = await fitFiles(
      { inputs: [csv], target: 'y', features: ['x1', 'x2'], ridge: 'auto' },
      { pool: shared() },
    );
    const data = await reportFiles(model, [csv], { pool: shared() });
    expect(data.leverage).toBe(false);
    expect(data.residualLeverage).toBeUndefined();
    expect(data.influential).toEqual([]);
    expect(data.residualFitted.counts.reduce((s, c) => s + c, 0)).toBe(398);
  });
});

describe('bins are independent of workers and shards', () => {
  const report = async (dir: string, model: LinregModel, workers: number): Promise<ReportData> =>
    reportFiles(model, [join(root, dir)], { workers, bins: 40, top: 7 });
  const withoutPlace = (d: ReportData) =>
    d.influential.map(({ file: _f, row: _r, ...values }) => values);

  it('1 vs 2 workers and 1 vs 3 shards give identical bins, ranges, Q–Q and top rows', async () => {
    const { model } = await fitFiles(
      { inputs: [join(root, 's1')], target: 'y' },
      { pool: shared() },
    );
    const one = await report('s1', model, 1);
    const two = await report('s1', model, 2);
    const three = await report('s3', model, 2);
    expect(one.units).toBeGreaterThan(1);
    expect(three.units).toBeGreaterThan(1);
    for (const other of [two, three]) {
      expect(other.n).toBe(one.n);
      for (const g of ['residualFitted', 'scaleLocation', 'residualLeverage'] as const) {
        expect(other[g]?.x).toEqual(one[g]?.x);
        expect(other[g]?.y).toEqual(one[g]?.y);
        expect(other[g]?.counts).toEqual(one[g]?.counts);
      }
      expect(other.qq.sample).toEqual(one.qq.sample);
      expect(withoutPlace(other)).toEqual(withoutPlace(one));
    }
    expect(two.influential).toEqual(one.influential);
    expect(one.influential).toHaveLength(7);
    // The same rows, numbered within their shard: shard k holds rows after the earlier shards'.
    const sizes = [2000, 2000, 2000];
    three.influential.forEach((r, i) => {
      const shard = Number(/part-(\d+)/.exec(r.file)?.[1]);
      const before = sizes.slice(0, shard).reduce((s, v) => s + v, 0);
      expect(before + r.row).toBe(one.influential[i]?.row);
    });
  });
});
