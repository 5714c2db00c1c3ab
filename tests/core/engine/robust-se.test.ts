/**
 * Heteroskedasticity-robust standard errors (`se` hc0–hc3) through the real
 * fit — files, the pool, the `meat` pass — against R's sandwich::vcovHC,
 * lmtest::coeftest and lmtest::waldtest (fixtures written by
 * tests/fixtures/r/robust-se.R; R is not needed to run this file).
 */
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fit as fitFiles, type LinregModel, modelToJson, parseModel } from '@linreg/core';
import { openWriter } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAll, requireBuild, runCli, tempDir } from '../../e2e/cli-harness.js';
import { digits, fixturePath, readFixture, writeShardedRows } from '../support/r-fixtures.js';
import { sharedPool } from '../support/shared-pool.js';

const TYPES = ['HC0', 'HC1', 'HC2', 'HC3'] as const;

interface RWald {
  readonly F: number;
  readonly df1: number;
  readonly df2: number;
  readonly p: number;
}
interface RType {
  readonly cov: (number | null)[][];
  readonly se: (number | null)[];
  readonly t: (number | null)[];
  readonly p: (number | null)[];
  readonly wald: RWald;
}
interface RReference {
  readonly name: string;
  readonly features: string[];
  readonly intercept: boolean;
  readonly weights: string | null;
  readonly n: number;
  readonly coefficients: (number | null)[];
  readonly vcovHC: Record<(typeof TYPES)[number], RType>;
}

const reference = async (name: string): Promise<RReference> =>
  readFixture<RReference>(`robust-${name}.json`);

/** The least number of digits any (ours, R's) pair agrees to; R's null must be our NaN. */
function agreement(ours: ArrayLike<number>, theirs: readonly (number | null)[]): number {
  let worst = Number.POSITIVE_INFINITY;
  expect(ours.length).toBe(theirs.length);
  for (let j = 0; j < theirs.length; j++) {
    const r = theirs[j];
    const v = ours[j] as number;
    if (r === null || r === undefined) {
      expect(v).toBeNaN();
      continue;
    }
    worst = Math.min(worst, digits(v, r));
  }
  return worst;
}

const shared = sharedPool();
let root = '';
beforeAll(async () => {
  requireBuild();
  root = await tempDir('robust-se');
  await writeShardedRows(root, 5);
});
afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

async function fitFixture(
  ref: RReference,
  se: 'classical' | 'hc0' | 'hc1' | 'hc2' | 'hc3',
  aliased: 'drop' | 'min-norm' = 'drop',
): Promise<LinregModel> {
  const result = await fitFiles(
    {
      inputs: [fixturePath(`robust-${ref.name}.csv`)],
      target: 'y',
      features: ref.features,
      intercept: ref.intercept,
      weights: ref.weights ?? undefined,
      aliased,
      se,
    },
    { pool: shared() },
  );
  return result.model;
}

describe('robust standard errors against R (sandwich 3.0-2, lmtest 0.9-40)', () => {
  for (const name of ['hetero', 'weighted', 'aliased', 'origin']) {
    it.each(TYPES)(`${name}: %s covariance, SE, t, p, CI and Wald F to ≥ 10 digits`, async (T) => {
      const ref = await reference(name);
      const r = ref.vcovHC[T];
      const model = await fitFixture(ref, T.toLowerCase() as 'hc0');
      expect(model.se).toBe(T.toLowerCase());
      expect(model.rows.positiveWeight).toBe(ref.n);
      const m = ref.coefficients.length;
      const cov = model.covRobust as readonly (readonly number[])[];
      for (let i = 0; i < m; i++) {
        expect(agreement(cov[i] as number[], r.cov[i] as (number | null)[])).toBeGreaterThan(10);
      }
      const c = model.coefficients;
      expect(
        agreement(
          Float64Array.from(c, (x) => x.estimate),
          ref.coefficients,
        ),
      ).toBeGreaterThan(10);
      expect(
        agreement(
          Float64Array.from(c, (x) => x.stdError),
          r.se,
        ),
      ).toBeGreaterThan(10);
      expect(
        agreement(
          Float64Array.from(c, (x) => x.t),
          r.t,
        ),
      ).toBeGreaterThan(10);
      expect(
        agreement(
          Float64Array.from(c, (x) => x.p),
          r.p,
        ),
      ).toBeGreaterThan(10);
      // CI = β̂ ∓ q·SE on the same t quantile as the classical one.
      const q = model.statistics.tCritical;
      c.forEach((x, j) => {
        const se = r.se[j];
        if (se === null || se === undefined) return;
        expect(digits(x.ciHigh, (ref.coefficients[j] as number) + q * se)).toBeGreaterThan(10);
      });
      const s = model.statistics;
      expect([s.fDf1, s.fDf2]).toEqual([r.wald.df1, r.wald.df2]);
      expect(digits(s.fStatistic, r.wald.F)).toBeGreaterThan(10);
      expect(digits(s.fPValue, r.wald.p)).toBeGreaterThan(10);
      // The classical quantities stay classical.
      const classical = await fitFixture(ref, 'classical');
      expect(model.covUnscaled).toEqual(classical.covUnscaled);
      expect(model.statistics.sigma).toBe(classical.statistics.sigma);
      expect(classical.se).toBeUndefined();
      expect(classical.covRobust).toBeUndefined();
    });
  }

  it('min-norm: the Wald F and the SE of columns outside the alias relation are the drop ones', async () => {
    const ref = await reference('aliased');
    const model = await fitFixture(ref, 'hc3', 'min-norm');
    const r = ref.vcovHC.HC3;
    expect(digits(model.statistics.fStatistic, r.wald.F)).toBeGreaterThan(10);
    // x3 = x1 + x2: (Intercept) and x4 are outside the relation.
    for (const j of [0, 4]) {
      expect(digits(model.coefficients[j]?.stdError as number, r.se[j] as number)).toBeGreaterThan(
        10,
      );
    }
    expect(model.coefficients[3]?.stdError).toBeNaN();
  });

  it('the model file keeps the covariance type and the robust covariance', async () => {
    const model = await fitFixture(await reference('hetero'), 'hc2');
    const back = parseModel(modelToJson(model));
    expect(back.se).toBe('hc2');
    expect(back.covRobust).toEqual(model.covRobust);
    const classical = JSON.parse(modelToJson(model)) as Record<string, unknown>;
    classical.se = 'classical';
    delete classical.covRobust;
    expect(parseModel(JSON.stringify(classical)).se).toBeUndefined();
  });
});

describe('robust standard errors through the engine', () => {
  const seOf = (m: LinregModel) => m.coefficients.map((c) => c.stdError);
  it('gives the same bits for 1 and 2 workers, and agrees to rounding for 1 or 7 files', async () => {
    const run = (dir: string, workers: number) =>
      fitFiles({ inputs: [join(root, dir)], target: 'y', se: 'hc3', refine: 'off', workers });
    const one = await run('seven', 1);
    const two = await run('seven', 2);
    const single = await run('one', 2);
    expect(one.stats.units).toBeGreaterThan(7);
    expect(one.stats.passes).toBe(2);
    const a = seOf(one.model);
    const b = seOf(two.model);
    expect(a.map((v, j) => Object.is(v, b[j]))).toEqual(a.map(() => true));
    expect(one.model.covRobust).toEqual(two.model.covRobust);
    expect(one.model.statistics.fStatistic).toBe(two.model.statistics.fStatistic);
    const c = seOf(single.model);
    for (let j = 0; j < a.length; j++)
      expect(digits(c[j] as number, a[j] as number)).toBeGreaterThan(12);
  });

  it('refuses ridge, naming the option', async () => {
    await expect(
      fitFiles({ inputs: [join(root, 'one')], target: 'y', se: 'hc1', ridge: 1 }),
    ).rejects.toThrow(/^se: /);
  });
});

describe('linreg fit --se', () => {
  it('prints the covariance type and a Wald F, exit 0', async () => {
    const run = await runCli([
      'fit',
      fixturePath('robust-hetero.csv'),
      '-y',
      'y',
      '--se',
      'hc3',
      '--quiet',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('covariance type HC3 (heteroskedasticity-robust)');
    expect(run.stdout).toMatch(/F-statistic \(Wald, HC3\): 262\.1 on 3 and 236 DF/);
  });

  it('refuses --se hc3 with --ridge 1: exit 2, one line', async () => {
    const run = await runCli([
      'fit',
      fixturePath('robust-hetero.csv'),
      '-y',
      'y',
      '--se',
      'hc3',
      '--ridge',
      '1',
    ]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/--se: .*ridge/);
  });

  it('refuses --se hc1 on stdin: exit 2, one line', async () => {
    const names = ['x1', 'x2', 'x3', 'y'];
    const columns = await readAll([fixturePath('robust-hetero.csv')], names);
    const stream = join(root, 'hetero.arrows');
    const writer = await openWriter(stream, names);
    await writer.write({
      rows: columns[0]?.length as number,
      names,
      columns,
      nulls: names.map(() => null),
    });
    await writer.close();
    const run = await runCli(['fit', '-', '-y', 'y', '--se', 'hc1'], createReadStream(stream));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/--se: hc1 needs a second pass .*stdin/);
  });
});
