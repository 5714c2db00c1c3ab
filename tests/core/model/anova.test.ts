/**
 * `linreg anova` / anovaModels: R's anova(m1, m2) of two nested models from
 * their model files, against the tables of tests/fixtures/r/anova.R (R is not
 * needed to run this file), and the refusals when the files show the models
 * are not comparable.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  anovaModels,
  fit as fitFiles,
  type LinregModel,
  ModelMismatchError,
  modelToJson,
} from '@linreg/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild, runCli, tempDir } from '../../e2e/cli-harness.js';
import { digits, fixturePath, readFixture } from '../support/r-fixtures.js';

interface RAnova {
  readonly name: string;
  readonly small: string[];
  readonly big: string[];
  readonly intercept: boolean;
  readonly weights: string | null;
  readonly resDf: number[];
  readonly rss: number[];
  readonly df: (number | null)[];
  readonly sumOfSq: (number | null)[];
  readonly F: (number | null)[];
  readonly p: (number | null)[];
}

const reference = async (name: string): Promise<RAnova> =>
  readFixture<RAnova>(`anova-${name}.json`);

async function fitModel(
  ref: RAnova,
  features: string[],
  extra: { solver?: 'qr' | 'normal' | 'sgd'; target?: string } = {},
): Promise<LinregModel> {
  const result = await fitFiles(
    {
      inputs: [fixturePath(`anova-${ref.name}.csv`)],
      target: extra.target ?? 'y',
      features,
      intercept: ref.intercept,
      weights: ref.weights ?? undefined,
      solver: extra.solver ?? 'qr',
      workers: 1,
    },
    {},
  );
  return result.model;
}

let root = '';
beforeAll(async () => {
  requireBuild();
  root = await tempDir('anova');
});
afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

describe('anovaModels against R anova(m1, m2)', () => {
  it.each(['ols', 'weighted', 'origin', 'strong'])(
    '%s: Res.Df, RSS, Df, Sum of Sq, F and Pr(>F) to ≥ 10 digits',
    async (name) => {
      const ref = await reference(name);
      for (const solver of ['qr', 'normal'] as const) {
        const small = await fitModel(ref, ref.small, { solver });
        const big = await fitModel(ref, ref.big, { solver });
        const table = anovaModels(small, big);
        const [r1, r2] = table.rows;
        expect([r1.resDf, r2.resDf]).toEqual(ref.resDf);
        expect(digits(r1.rss, ref.rss[0] as number)).toBeGreaterThan(10);
        expect(digits(r2.rss, ref.rss[1] as number)).toBeGreaterThan(10);
        expect(r1.df).toBeNaN();
        expect(r1.f).toBeNaN();
        expect(r2.df).toBe(ref.df[1]);
        // Sum of Sq is a difference of RSSs: its digits are the RSSs' less the cancellation.
        const cancel = Math.log10(r1.rss / r2.sumOfSq);
        expect(digits(r2.sumOfSq, ref.sumOfSq[1] as number) + cancel).toBeGreaterThan(10);
        expect(digits(r2.f, ref.F[1] as number) + cancel).toBeGreaterThan(10);
        expect(digits(r2.p, ref.p[1] as number) + cancel).toBeGreaterThan(9.5);
        // Reversed, as R: negative Df and Sum of Sq, the same F and p.
        const back = anovaModels(big, small).rows[1];
        expect(back.df).toBe(-r2.df);
        expect(back.f).toBe(r2.f);
        expect(back.p).toBe(r2.p);
      }
    },
  );

  it('refuses models that are not comparable, naming the field', async () => {
    const ref = await reference('ols');
    const small = await fitModel(ref, ref.small);
    const big = await fitModel(ref, ref.big);
    const other = await fitModel(ref, ['x3', 'x4']);
    const fail = (a: LinregModel, b: LinregModel) => () => anovaModels(a, b, ['a.json', 'b.json']);
    expect(fail(small, other)).toThrow(ModelMismatchError);
    expect(fail(small, other)).toThrow(/^a\.json: features: x1, x2 not in b\.json/);
    expect(fail(small, { ...big, target: 'z' })).toThrow(/^b\.json: target: 'z' here, 'y' in/);
    expect(fail(small, { ...big, weights: 'w' })).toThrow(/^b\.json: weights: /);
    expect(fail(small, { ...big, intercept: false })).toThrow(/^b\.json: intercept: /);
    expect(fail(small, { ...big, rows: { ...big.rows, used: 199 } })).toThrow(
      /^b\.json: rows\.used: 199 here, 200 in a\.json/,
    );
    expect(
      fail(small, { ...big, statistics: { ...big.statistics, tss: big.statistics.tss * 1.01 } }),
    ).toThrow(/^b\.json: statistics\.tss: .*same data/);
    expect(fail(small, { ...big, ridge: { lambda: 1, standardize: false } })).toThrow(
      /^b\.json: ridge\.lambda: /,
    );
    expect(fail({ ...small, solver: 'sgd' }, big)).toThrow(/^a\.json: solver: sgd/);
  });
});

describe('linreg anova', () => {
  it("prints R's table and --json, exit 0", async () => {
    const ref = await reference('strong');
    const small = join(root, 'small.json');
    const big = join(root, 'big.json');
    await writeFile(small, modelToJson(await fitModel(ref, ref.small)));
    await writeFile(big, modelToJson(await fitModel(ref, ref.big)));
    const run = await runCli(['anova', small, big]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'Analysis of Variance Table',
      '',
      'Model 1: y ~ x1',
      'Model 2: y ~ x1 + x2',
    ]);
    expect(lines[4]).toMatch(/^ +Res\.Df +RSS Df Sum of Sq +F +Pr\(>F\)$/);
    expect(lines[5]).toMatch(/^1 +498 4597\.8$/);
    expect(lines[6]).toMatch(/^2 +497 487\.77 +1 +4110\.1 4187\.8 < 2\.2e-16 \*\*\*$/);
    const json = await runCli(['anova', small, big, '--json']);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as {
      models: { file: string; formula: string }[];
      table: { df: number | null; F: number | null; p: number | null }[];
    };
    expect(parsed.models.map((m) => m.formula)).toEqual(['y ~ x1', 'y ~ x1 + x2']);
    expect(parsed.table[0]?.F).toBeNull();
    expect(parsed.table[1]?.df).toBe(1);
    expect(digits(parsed.table[1]?.p as number, ref.p[1] as number)).toBeGreaterThan(9);
  });

  it('models that are not nested: exit 2, one line naming the field', async () => {
    const ref = await reference('ols');
    const a = join(root, 'a.json');
    const b = join(root, 'b.json');
    await writeFile(a, modelToJson(await fitModel(ref, ['x1', 'x2'])));
    await writeFile(b, modelToJson(await fitModel(ref, ['x1', 'x2'], { target: 'x4' })));
    const run = await runCli(['anova', a, b]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^linreg: .*b\.json: target: 'x4' here, 'y' in .*a\.json/);
    const missing = await runCli(['anova', a, join(root, 'none.json')]);
    expect(missing.code).toBe(2);
  });
});
