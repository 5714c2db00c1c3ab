/**
 * `by` (fitGroups): each group's model is the fit of that group's rows alone
 * (a `where` fit of the group) — a numeric group column with nulls on Parquet
 * of several row groups, a text column, two columns, a formula with a factor —
 * the same bits for 1 and 2 workers, the group cap, groups that cannot be
 * fitted, the options refused, and the groups document's round trip.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createPool,
  type FitGroupsResult,
  fitGroups,
  fit as fitOne,
  type LinregModel,
  modelGroupsOf,
  modelGroupsToJson,
  parseModelGroups,
  resolveFitSpec,
  type WorkerPool,
} from '@linreg/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild } from '../../e2e/cli-harness.js';
import { DuckDb, tempDir } from '../../io/support/duckdb.js';

const N = 6000;
const REGIONS = ['EU', 'US', 'ASIA'];
const COLORS = ['red', 'green', 'blue'];
const store = Array.from({ length: N }, (_, i) => (i % 41 === 0 ? null : (i * 7) % 5));
const region = Array.from({ length: N }, (_, i) => REGIONS[(i * 11) % 3] as string);
const color = Array.from({ length: N }, (_, i) => COLORS[Math.floor(i / 3) % 3] as string);
const x1 = Array.from({ length: N }, (_, i) => (((i * 37) % 101) - 40) / 10);
const x2 = Array.from({ length: N }, (_, i) => ((i * 53) % 97) / 97);
const w = Array.from({ length: N }, (_, i) => ((store[i] ?? 0) === 4 ? 0 : 1 + (i % 3)));
const y = Array.from(
  { length: N },
  (_, i) =>
    (store[i] ?? 0) +
    (1 + (store[i] ?? 0) / 2) * (x1[i] as number) -
    2 * (x2[i] as number) +
    COLORS.indexOf(color[i] as string) * 0.4 +
    ((i * 13) % 17) / 30,
);

const tmp = tempDir('linreg-by-');
const csv = join(tmp.dir, 'full.csv');
const parquet = join(tmp.dir, 'full.parquet');
let pool: WorkerPool;
let pool1: WorkerPool;
let db: DuckDb;

beforeAll(async () => {
  requireBuild();
  pool = createPool({ workers: 2 });
  pool1 = createPool({ workers: 1 });
  db = await DuckDb.open();
  const lines = ['store,region,color,x1,x2,w,y'];
  for (let i = 0; i < N; i++) {
    lines.push(`${store[i] ?? ''},${region[i]},${color[i]},${x1[i]},${x2[i]},${w[i]},${y[i]}`);
  }
  writeFileSync(csv, `${lines.join('\n')}\n`);
  await db.writeParquet(
    parquet,
    `SELECT store::DOUBLE AS store, region::VARCHAR AS region, color::VARCHAR AS color, x1::DOUBLE AS x1, x2::DOUBLE AS x2, w::DOUBLE AS w, y::DOUBLE AS y FROM read_csv('${csv}', header = true, all_varchar = true)`,
    { rowGroupSize: 300 },
  );
});

afterAll(async () => {
  db.close();
  await pool.destroy();
  await pool1.destroy();
  tmp.cleanup();
});

type Spec = Parameters<typeof fitGroups>[0];

function expectClose(a: LinregModel, b: LinregModel): void {
  expect(a.features).toEqual(b.features);
  expect(a.rows.used).toBe(b.rows.used);
  a.coefficients.forEach((c, j) => {
    const r = b.coefficients[j]?.estimate as number;
    expect(Math.abs(c.estimate - r)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(r)));
    const se = b.coefficients[j]?.stdError as number;
    expect(Math.abs(c.stdError - se)).toBeLessThanOrEqual(1e-10 * (1 + se));
  });
}

function quote(v: string | number): string {
  return typeof v === 'number' ? String(v) : `"${v}"`;
}

/** Every group's model against the `where` fit of its rows. */
async function expectEachGroupIsItsSubset(result: FitGroupsResult, spec: Spec): Promise<void> {
  expect(result.groups.length).toBeGreaterThan(1);
  for (const g of result.groups) {
    const where = Object.entries(g.key)
      .map(([k, v]) => `${k} = ${quote(v)}`)
      .join(' and ');
    const { by: _by, ...alone } = spec as Spec & { by?: unknown };
    const direct = await fitOne({ ...alone, where }, { pool });
    expectClose(g.model, direct.model);
  }
}

describe('fitGroups (by)', () => {
  it('a numeric group column with nulls, Parquet row groups: each group is its subset', async () => {
    const spec: Spec = {
      inputs: [parquet],
      target: 'y',
      features: ['x1', 'x2'],
      by: ['store'],
      batchRows: 128,
    };
    const result = await fitGroups(spec, { pool });
    expect(result.stats.units).toBeGreaterThan(2);
    expect(result.groups.map((g) => g.key)).toEqual([0, 1, 2, 3, 4].map((s) => ({ store: s })));
    await expectEachGroupIsItsSubset(result, spec);
    // A null group value makes the row missing.
    const nulls = store.filter((s) => s === null).length;
    expect(result.stats.rowsDropped).toBe(nulls);
    expect(result.stats.rowsUsed).toBe(N - nulls);
    expect(result.groups.reduce((s, g) => s + g.model.rows.used, 0)).toBe(N - nulls);
    expect(result.skipped).toEqual([]);
  });

  it('the same bits for 1 and 2 workers, on both routes', async () => {
    for (const solver of ['qr', 'normal'] as const) {
      const spec: Spec = {
        inputs: [parquet],
        target: 'y',
        features: ['x1', 'x2'],
        by: ['store', 'region'],
        solver,
        batchRows: 100,
      };
      const one = await fitGroups(spec, { pool: pool1 });
      const two = await fitGroups(spec, { pool });
      expect(two.groups.map((g) => g.key)).toEqual(one.groups.map((g) => g.key));
      two.groups.forEach((g, k) => {
        expect(g.model.coefficients).toEqual(one.groups[k]?.model.coefficients);
        expect(g.factor.r).toEqual(one.groups[k]?.factor.r);
      });
    }
  });

  it('a text group column, and two group columns (CSV): each group is its subset', async () => {
    const text: Spec = { inputs: [csv], target: 'y', features: ['x1', 'x2'], by: ['region'] };
    const byRegion = await fitGroups(text, { pool });
    expect(byRegion.groups.map((g) => g.key.region)).toEqual(['ASIA', 'EU', 'US']);
    await expectEachGroupIsItsSubset(byRegion, text);
    const two: Spec = { ...text, by: ['store', 'region'] };
    const byBoth = await fitGroups(two, { pool });
    expect(byBoth.groups.length).toBe(15);
    expect(byBoth.groups[0]?.key).toEqual({ store: 0, region: 'ASIA' });
    expect(byBoth.groups[1]?.key).toEqual({ store: 0, region: 'EU' });
    await expectEachGroupIsItsSubset(byBoth, two);
  });

  it('a formula with a factor (every level in every group), and a default feature set', async () => {
    const spec: Spec = { inputs: [csv], formula: 'y ~ x1 * color + x2', by: ['store'] };
    const result = await fitGroups(spec, { pool });
    expect(result.groups[0]?.model.features).toContain('colorred');
    await expectEachGroupIsItsSubset(result, spec);
    // The default features leave the group columns out.
    const plain = await fitGroups(
      { inputs: [csv], target: 'y', exclude: ['color', 'region', 'w'], by: ['store'] },
      { pool },
    );
    expect(plain.groups[0]?.model.features).toEqual(['x1', 'x2']);
  });

  it('a group that cannot be fitted is skipped, the others are fitted', async () => {
    const result = await fitGroups(
      { inputs: [csv], target: 'y', features: ['x1', 'x2'], weights: 'w', by: ['store'] },
      { pool },
    );
    expect(result.groups.map((g) => g.key.store)).toEqual([0, 1, 2, 3]);
    expect(result.skipped.map((s) => s.key)).toEqual([{ store: 4 }]);
    expect(result.skipped[0]?.reason).toMatch(/no usable rows/);
  });

  it('more groups than maxGroups is one error naming the columns and the count', async () => {
    await expect(
      fitGroups(
        { inputs: [parquet], target: 'y', features: ['x2'], by: ['x1'], maxGroups: 50 },
        { pool },
      ),
    ).rejects.toThrow(/^by: more than 50 groups of x1 \(raise --max-groups/);
    await expect(
      fitGroups(
        { inputs: [csv], target: 'y', features: ['x1'], by: ['store', 'region'], maxGroups: 14 },
        { pool },
      ),
    ).rejects.toThrow(/more than 14 groups of store,region/);
  });

  it('refuses what needs another pass, SGD and stdin; fit() points to fitGroups', async () => {
    const base = { inputs: [csv], target: 'y', by: ['store'] };
    for (const extra of [
      { solver: 'sgd' as const },
      { se: 'hc1' as const },
      { cluster: ['region'] },
      { diagnostics: true },
      { inputs: ['-'] },
    ]) {
      expect(() => resolveFitSpec({ ...base, ...extra })).toThrow(/one pass over the data/);
    }
    await expect(fitOne(base, { pool })).rejects.toThrow(/fitGroups/);
  });

  it('the groups document round-trips, each model validated', async () => {
    const result = await fitGroups(
      { inputs: [csv], formula: 'y ~ x1 + color', by: ['store', 'region'] },
      { pool },
    );
    const doc = modelGroupsOf(result.by, result.groups);
    const text = modelGroupsToJson(doc);
    const back = parseModelGroups(text, 'groups.json');
    expect(back).toEqual(doc);
    const broken = JSON.parse(text);
    broken.groups[2].model.coefficients = [];
    expect(() => parseModelGroups(JSON.stringify(broken), 'g.json')).toThrow(
      /g\.json: groups\[2\]\.model: coefficients/,
    );
    broken.groups[2].key = { store: 1 };
    expect(() => parseModelGroups(JSON.stringify(broken), 'g.json')).toThrow(/groups\[2\]\.key/);
  });
});
