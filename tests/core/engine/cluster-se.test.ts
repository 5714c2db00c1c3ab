/**
 * Cluster-robust standard errors (`cluster`, one- and two-way) through the
 * real fit — files, the pool, the `residual` pass — against R's
 * sandwich::vcovCL (types HC1 = Stata's CR1, and HC0; two-way with
 * multi0 = FALSE) and lmtest::coeftest / waldtest (fixtures written by
 * tests/fixtures/r/cluster-se.R; R is not needed to run this file).
 */
import { createReadStream } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fit as fitFiles, type LinregModel, modelToJson, parseModel } from '@linreg/core';
import { generateDataset, openWriter } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAll, requireBuild, runCli, tempDir } from '../../e2e/cli-harness.js';
import { digits, fixturePath, readFixture } from '../support/r-fixtures.js';
import { sharedPool } from '../support/shared-pool.js';

const TYPES = ['HC1', 'HC0'] as const;

interface RType {
  readonly cov: number[][];
  readonly se: number[];
  readonly t: number[];
  readonly p: number[];
  readonly wald: {
    readonly F: number;
    readonly df1: number;
    readonly df2: number;
    readonly p: number;
  };
}
interface RReference {
  readonly name: string;
  readonly features: string[];
  readonly cluster: string[];
  readonly weights: string | null;
  readonly n: number;
  readonly clusters: number[];
  readonly coefficients: number[];
  readonly vcovCL: Record<(typeof TYPES)[number], RType>;
}

const reference = async (name: string): Promise<RReference> =>
  readFixture<RReference>(`cluster-${name}.json`);

/** The least number of digits any (ours, R's) pair agrees to. */
function agreement(ours: ArrayLike<number>, theirs: readonly number[]): number {
  let worst = Number.POSITIVE_INFINITY;
  expect(ours.length).toBe(theirs.length);
  for (let j = 0; j < theirs.length; j++) {
    worst = Math.min(worst, digits(ours[j] as number, theirs[j] as number));
  }
  return worst;
}

const shared = sharedPool();
let root = '';
beforeAll(async () => {
  requireBuild();
  root = await tempDir('cluster-se');
  // The same 5,000 rows with a firm and a year column, as 7 Parquet shards of 300-row
  // groups and as one file of one group.
  for (const [dir, shards, rowGroupRows] of [
    ['seven', 7, 300],
    ['one', 1, 5000],
  ] as const) {
    await generateDataset({
      dir: join(root, dir),
      rows: 5000,
      cols: 4,
      shards,
      format: 'parquet',
      seed: 9,
      rowGroupRows,
    });
  }
});
afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

async function fitFixture(ref: RReference, se: 'hc0' | 'hc1' | 'classical'): Promise<LinregModel> {
  const result = await fitFiles(
    {
      inputs: [fixturePath(`cluster-${ref.name}.csv`)],
      target: 'y',
      features: ref.features,
      weights: ref.weights ?? undefined,
      cluster: ref.cluster,
      se,
    },
    { pool: shared() },
  );
  return result.model;
}

describe('cluster-robust standard errors against R (sandwich 3.0-2 vcovCL)', () => {
  for (const name of ['oneway', 'twoway', 'weighted', 'missing']) {
    it.each(TYPES)(`${name}: %s covariance, SE, t, p, CI and Wald F to ≥ 10 digits`, async (T) => {
      const ref = await reference(name);
      const r = ref.vcovCL[T];
      // classical is the default: CR1.
      const model = await fitFixture(ref, T === 'HC1' ? 'classical' : 'hc0');
      expect(model.se).toBe(T.toLowerCase());
      expect(model.cluster).toEqual({ columns: ref.cluster, clusters: ref.clusters });
      expect(model.rows.positiveWeight).toBe(ref.n);
      const m = ref.coefficients.length;
      const cov = model.covRobust as readonly (readonly number[])[];
      for (let i = 0; i < m; i++) {
        expect(agreement(cov[i] as number[], r.cov[i] as number[])).toBeGreaterThan(10);
      }
      const c = model.coefficients;
      const col = (f: (x: (typeof c)[number]) => number) => Float64Array.from(c, f);
      expect(
        agreement(
          col((x) => x.estimate),
          ref.coefficients,
        ),
      ).toBeGreaterThan(10);
      expect(
        agreement(
          col((x) => x.stdError),
          r.se,
        ),
      ).toBeGreaterThan(10);
      expect(
        agreement(
          col((x) => x.t),
          r.t,
        ),
      ).toBeGreaterThan(10);
      expect(
        agreement(
          col((x) => x.p),
          r.p,
        ),
      ).toBeGreaterThan(10);
      const q = model.statistics.tCritical;
      c.forEach((x, j) => {
        expect(
          digits(x.ciHigh, (ref.coefficients[j] as number) + q * (r.se[j] as number)),
        ).toBeGreaterThan(10);
      });
      const s = model.statistics;
      expect([s.fDf1, s.fDf2]).toEqual([r.wald.df1, r.wald.df2]);
      expect(digits(s.fStatistic, r.wald.F)).toBeGreaterThan(10);
      expect(digits(s.fPValue, r.wald.p)).toBeGreaterThan(10);
    });
  }

  it('missing cluster values are missing rows of the fit', async () => {
    const model = await fitFixture(await reference('missing'), 'classical');
    expect(model.rows.droppedMissing).toBe(4);
    expect(model.rows.used).toBe(246);
  });

  it('the model file keeps the clusters and the covariance', async () => {
    const model = await fitFixture(await reference('twoway'), 'classical');
    const back = parseModel(modelToJson(model));
    expect(back.se).toBe('hc1');
    expect(back.cluster).toEqual(model.cluster);
    expect(back.covRobust).toEqual(model.covRobust);
  });
});

describe('cluster-robust standard errors through the engine', () => {
  const run = (dir: string, workers: number, cluster: string[]) =>
    fitFiles({
      inputs: [join(root, dir)],
      target: 'y',
      features: ['x1', 'x2', 'x3'],
      cluster,
      refine: 'off',
      workers,
    });
  for (const cluster of [['x0'], ['x0', 'x1']]) {
    it(`${cluster.join(',')}: the same bits for 1 and 2 workers, rounding only for 1 or 7 files`, async () => {
      // x0 rounded is no cluster id: the generated columns are continuous, so cluster by
      // x0's value — every row its own cluster — and with x1, the intersection too.
      const one = await run('seven', 1, cluster);
      const two = await run('seven', 2, cluster);
      const single = await run('one', 2, cluster);
      expect(one.stats.units).toBeGreaterThan(7);
      expect(one.stats.passes).toBe(2);
      expect(one.model.covRobust).toEqual(two.model.covRobust);
      expect(one.model.statistics.fStatistic).toBe(two.model.statistics.fStatistic);
      expect(one.model.cluster?.clusters).toEqual(single.model.cluster?.clusters);
      const a = one.model.coefficients.map((x) => x.stdError);
      const b = single.model.coefficients.map((x) => x.stdError);
      for (let j = 0; j < a.length; j++) {
        expect(digits(b[j] as number, a[j] as number)).toBeGreaterThan(12);
      }
    });
  }

  it('agrees for 1 or 7 files with few clusters split across every unit', async () => {
    // A CSV with a text firm of 13 levels and a numeric year of 5: every unit holds every cluster.
    const lines = ['firm,year,x,y'];
    let s = 1;
    const rand = (): number => {
      s = (s * 48271) % 2147483647;
      return s / 2147483647;
    };
    for (let i = 0; i < 3000; i++) {
      const f = i % 13;
      const x = rand() + f / 13;
      lines.push(`f${f},${2000 + (i % 5)},${x},${1 + 2 * x + f / 5 + rand()}`);
    }
    const text = `${lines.join('\n')}\n`;
    const parts = 7;
    const per = Math.ceil(3000 / parts);
    for (let k = 0; k < parts; k++) {
      const rows = lines.slice(1 + k * per, 1 + Math.min(3000, (k + 1) * per));
      await writeFile(join(root, `panel-${k}.csv`), `${lines[0]}\n${rows.join('\n')}\n`);
    }
    await writeFile(join(root, 'panel.csv'), text);
    const fitOn = (inputs: string[], workers: number) =>
      fitFiles({ inputs, target: 'y', features: ['x'], cluster: ['firm', 'year'], workers });
    const whole = await fitOn([join(root, 'panel.csv')], 1);
    const shards = Array.from({ length: parts }, (_, k) => join(root, `panel-${k}.csv`));
    const split1 = await fitOn(shards, 1);
    const split2 = await fitOn(shards, 2);
    expect(whole.model.cluster?.clusters).toEqual([13, 5, 65]);
    expect(split1.model.covRobust).toEqual(split2.model.covRobust);
    const a = whole.model.coefficients.map((x) => x.stdError);
    const b = split1.model.coefficients.map((x) => x.stdError);
    for (let j = 0; j < a.length; j++)
      expect(digits(b[j] as number, a[j] as number)).toBeGreaterThan(12);
  });

  it('refuses more clusters than maxClusters, naming the column and count', async () => {
    await expect(
      fitFiles({ inputs: [join(root, 'one')], target: 'y', cluster: ['x0'], maxClusters: 100 }),
    ).rejects.toThrow(
      /^cluster: column x0 has at least 101 clusters, more than --max-clusters 100/,
    );
    // Units of 300 rows each stay under 400; merged, the count is exact.
    await expect(
      fitFiles({ inputs: [join(root, 'seven')], target: 'y', cluster: ['x0'], maxClusters: 400 }),
    ).rejects.toThrow(/^cluster: column x0 has \d+ clusters, more than --max-clusters 400/);
  });
});

describe('linreg fit --cluster', () => {
  const one = (run: { code: number; stdout: string; stderr: string }, pattern: RegExp) => {
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(pattern);
  };

  it('prints the covariance type and the clusters, exit 0', async () => {
    const run = await runCli([
      'fit',
      fixturePath('cluster-twoway.csv'),
      '-y',
      'y',
      '--features',
      'x1,x2',
      '--cluster',
      'firm,year',
      '--quiet',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'covariance type CR1 (cluster-robust by firm (45 clusters), year (12 clusters))',
    );
    expect(run.stdout).toMatch(/F-statistic \(Wald, CR1\): 172 on 2 and 497 DF/);
  });

  it('refuses a missing cluster column: exit 2, one line', async () => {
    const run = await runCli([
      'fit',
      fixturePath('cluster-oneway.csv'),
      '-y',
      'y',
      '--cluster',
      'nope',
    ]);
    one(run, /--cluster: .*no column nope/);
  });

  it('refuses too many clusters: exit 2, one line naming the column and count', async () => {
    const run = await runCli([
      'fit',
      fixturePath('cluster-twoway.csv'),
      '-y',
      'y',
      '--features',
      'x1,x2',
      '--cluster',
      'firm,year',
      '--max-clusters',
      '100',
    ]);
    one(run, /--cluster: column firm∩year has at least 101 clusters, more than --max-clusters 100/);
  });

  it('refuses --cluster with --ridge: exit 2, one line', async () => {
    const run = await runCli([
      'fit',
      fixturePath('cluster-oneway.csv'),
      '-y',
      'y',
      '--cluster',
      'firm',
      '--ridge',
      '1',
    ]);
    one(run, /--cluster: .*ridge/);
  });

  it('refuses --cluster on stdin: exit 2, one line', async () => {
    const names = ['firm', 'x1', 'y'];
    const columns = await readAll([fixturePath('cluster-oneway.csv')], names);
    const stream = join(root, 'oneway.arrows');
    const writer = await openWriter(stream, names);
    await writer.write({
      rows: columns[0]?.length as number,
      names,
      columns,
      nulls: names.map(() => null),
    });
    await writer.close();
    const run = await runCli(
      ['fit', '-', '-y', 'y', '--cluster', 'firm'],
      createReadStream(stream),
    );
    one(run, /--cluster: needs a second pass .*stdin/);
  });
});
