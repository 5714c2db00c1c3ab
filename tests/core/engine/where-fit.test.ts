/**
 * `where`: a fit over the rows where a condition holds is the fit of that
 * subset written as its own file — numbers, text (Parquet dictionary strings
 * from DuckDB, CSV), nulls under three-valued logic, in-lists, and a formula
 * with a factor whose levels are those of the kept rows. Filtered rows count
 * as read, not as dropped for missing values.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createPool,
  fit as fitFiles,
  type LinregModel,
  scoreFiles,
  type WorkerPool,
} from '@linreg/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild } from '../../e2e/cli-harness.js';
import { DuckDb, tempDir } from '../../io/support/duckdb.js';

const N = 3000;
const REGIONS = ['EU', 'US', 'ASIA'];
const x1 = Array.from({ length: N }, (_, i) => (((i * 37) % 101) - 40) / 10);
const x2 = Array.from({ length: N }, (_, i) => ((i * 53) % 97) / 97);
const x3 = Array.from({ length: N }, (_, i) => (i % 11 === 0 ? null : ((i * 7) % 13) / 3));
const region = Array.from({ length: N }, (_, i) =>
  i % 29 === 0 ? null : (REGIONS[(i * 7) % 3] as string),
);
const y = Array.from(
  { length: N },
  (_, i) =>
    1 +
    0.5 * (x1[i] as number) -
    2 * (x2[i] as number) +
    0.3 * (x3[i] ?? 0) +
    ((i * 7) % 3) * 0.7 +
    ((i * 13) % 17) / 30,
);

interface Row {
  readonly i: number;
}
const rows: Row[] = Array.from({ length: N }, (_, i) => ({ i }));

function csvOf(keep: (i: number) => boolean): string {
  const lines = ['x1,x2,x3,region,y'];
  for (const { i } of rows) {
    if (!keep(i)) continue;
    lines.push(`${x1[i]},${x2[i]},${x3[i] ?? ''},${region[i] ?? ''},${y[i]}`);
  }
  return `${lines.join('\n')}\n`;
}

const tmp = tempDir('linreg-where-');
let pool: WorkerPool;
let db: DuckDb;
const fullCsv = join(tmp.dir, 'full.csv');

beforeAll(async () => {
  requireBuild();
  pool = createPool({ workers: 2 });
  db = await DuckDb.open();
  writeFileSync(
    fullCsv,
    csvOf(() => true),
  );
});

afterAll(async () => {
  db.close();
  await pool.destroy();
  tmp.cleanup();
});

/** The full table as Parquet (text as dictionary strings), and its subset by DuckDB's WHERE. */
async function parquetPair(
  name: string,
  sqlWhere: string,
  rowGroupSize: number,
): Promise<{ full: string; subset: string }> {
  const select = `SELECT x1::DOUBLE AS x1, x2::DOUBLE AS x2, x3::DOUBLE AS x3, region::VARCHAR AS region, y::DOUBLE AS y FROM read_csv('${fullCsv}', header = true, all_varchar = true)`;
  const full = join(tmp.dir, `${name}-full.parquet`);
  const subset = join(tmp.dir, `${name}-subset.parquet`);
  await db.writeParquet(full, select, { rowGroupSize });
  await db.writeParquet(subset, `SELECT * FROM (${select}) WHERE ${sqlWhere}`, { rowGroupSize });
  return { full, subset };
}

type Spec = Parameters<typeof fitFiles>[0];

async function fitOf(spec: Spec): Promise<LinregModel> {
  return (await fitFiles({ workers: 2, ...spec }, { pool })).model;
}

function expectSame(a: LinregModel, b: LinregModel, exact: boolean): void {
  expect(a.features).toEqual(b.features);
  expect(a.rows.used).toBe(b.rows.used);
  expect(a.rows.droppedMissing).toBe(b.rows.droppedMissing);
  a.coefficients.forEach((c, j) => {
    const r = b.coefficients[j]?.estimate as number;
    if (exact) expect(c.estimate).toBe(r);
    else expect(Math.abs(c.estimate - r)).toBeLessThan(1e-12 * (1 + Math.abs(r)));
    expect(Math.abs(c.stdError - (b.coefficients[j]?.stdError as number))).toBeLessThan(
      1e-10 * (1 + c.stdError),
    );
  });
}

describe('where', () => {
  it('numbers, text and nulls on Parquet dictionary strings: bitwise the subset (qr, one unit)', async () => {
    const where = 'region = "EU" and x1 > 0 and not is_null(x3)';
    const { full, subset } = await parquetPair(
      'eu',
      "region = 'EU' AND x1 > 0 AND x3 IS NOT NULL",
      100_000,
    );
    const spec = { target: 'y', features: ['x1', 'x2', 'x3'], solver: 'qr' as const };
    const filtered = await fitOf({ ...spec, inputs: [full], where });
    const direct = await fitOf({ ...spec, inputs: [subset] });
    expect(filtered.rows.used).toBeGreaterThan(100);
    expectSame(filtered, direct, true);
    expect(filtered.where).toBe(where);
    expect(direct.where).toBeUndefined();
    // Filtered rows are read, not dropped for a missing value.
    expect(filtered.rows.read).toBe(N);
    expect(filtered.rows.droppedMissing).toBe(0);
  });

  it('several row groups and workers, and the normal route: to 1e-12', async () => {
    const where = "x1 >= -1 && (region in ('US', 'ASIA') || x2 < 0.5)";
    const { full, subset } = await parquetPair(
      'many',
      "x1 >= -1 AND (region IN ('US', 'ASIA') OR x2 < 0.5)",
      400,
    );
    for (const solver of ['qr', 'normal'] as const) {
      const spec = { target: 'y', features: ['x1', 'x2', 'x3'], solver, batchRows: 150 };
      expectSame(
        await fitOf({ ...spec, inputs: [full], where }),
        await fitOf({ ...spec, inputs: [subset] }),
        false,
      );
    }
  });

  it('three-valued logic: a null in a comparison drops the row from both sides of not', async () => {
    const { full } = await parquetPair('tvl', 'true', 100_000);
    const spec = { target: 'y', features: ['x1', 'x2'] };
    const yes = await fitOf({ ...spec, inputs: [full], where: 'x3 > 1' });
    const no = await fitOf({ ...spec, inputs: [full], where: 'not (x3 > 1)' });
    const nulls = x3.filter((v) => v === null).length;
    expect(yes.rows.used + no.rows.used).toBe(N - nulls);
    const unknown = await fitOf({ ...spec, inputs: [full], where: 'x3 > 1 or x3 is null' });
    expect(unknown.rows.used).toBe(yes.rows.used + nulls);
    // x3 is not a feature here, so its nulls are never missing rows.
    expect(yes.rows.droppedMissing + no.rows.droppedMissing).toBe(0);
  });

  it('filtered rows are never missing rows: missing "error" and the SGD route', async () => {
    const spec = { target: 'y', features: ['x1', 'x3'], inputs: [fullCsv] };
    await expect(fitOf({ ...spec, missing: 'error' })).rejects.toThrow(/missing value/);
    const strict = await fitOf({ ...spec, missing: 'error', where: 'x3 is not null' });
    const dropped = await fitOf(spec);
    expect(strict.rows.droppedMissing).toBe(0);
    expect(dropped.rows.droppedMissing).toBe(x3.filter((v) => v === null).length);
    expect(strict.rows.used).toBe(dropped.rows.used);
    expect(strict.coefficients.map((c) => c.estimate)).toEqual(
      dropped.coefficients.map((c) => c.estimate),
    );
    const sgd = await fitOf({ ...spec, solver: 'sgd', where: 'x3 is not null and x1 < 3' });
    expect(sgd.rows.used).toBe(
      rows.filter(({ i }) => x3[i] !== null && (x1[i] as number) < 3).length,
    );
    expect(sgd.rows.droppedMissing).toBe(0);
  });

  it('CSV text, in-lists, and a formula with a factor: levels are those of the kept rows', async () => {
    const keep = (i: number): boolean =>
      (region[i] === 'EU' || region[i] === 'US') && (x2[i] as number) > 0.2;
    const subset = join(tmp.dir, 'subset.csv');
    writeFileSync(subset, csvOf(keep));
    const spec = { formula: 'y ~ x1 + region + x2:region', solver: 'qr' as const };
    const filtered = await fitOf({
      ...spec,
      inputs: [fullCsv],
      where: 'region IN ("EU", "US") AND x2 > 0.2',
    });
    const direct = await fitOf({ ...spec, inputs: [subset] });
    expect(filtered.features.some((f) => f.includes('ASIA'))).toBe(false);
    expect(filtered.features).toContain('regionUS');
    expectSame(filtered, direct, true);
  });

  it('a default feature set (text as factors) sees only the kept rows', async () => {
    const subset = join(tmp.dir, 'asia.csv');
    writeFileSync(
      subset,
      csvOf((i) => region[i] !== 'ASIA' && region[i] !== null),
    );
    const where = "region != 'ASIA'";
    const filtered = await fitOf({ target: 'y', inputs: [fullCsv], where });
    const direct = await fitOf({ target: 'y', inputs: [subset] });
    expectSame(filtered, direct, false);
  });

  it('score takes the same filter', async () => {
    const where = 'region = "US" and x1 between -2 and 2';
    const subset = join(tmp.dir, 'score.csv');
    writeFileSync(
      subset,
      csvOf((i) => region[i] === 'US' && (x1[i] as number) >= -2 && (x1[i] as number) <= 2),
    );
    const model = await fitOf({ target: 'y', features: ['x1', 'x2'], inputs: [fullCsv] });
    const a = await scoreFiles(model, [fullCsv], { where, workers: 2, pool });
    const b = await scoreFiles(model, [subset], { workers: 2, pool });
    expect(a.n).toBe(b.n);
    expect(a.rowsRead).toBe(N);
    expect(a.rowsFiltered).toBe(N - b.n);
    expect(Math.abs(a.rmse - b.rmse)).toBeLessThan(1e-12);
    expect(Math.abs(a.rSquared - b.rSquared)).toBeLessThan(1e-12);
  });

  it('refuses an unknown column, naming the columns there are, on one line', async () => {
    const run = fitOf({
      target: 'y',
      features: ['x1'],
      inputs: [fullCsv],
      where: 'x1 > 0 and zz < 1',
    });
    await expect(run).rejects.toThrow(
      /^where: 'x1 > 0 and zz < 1': column 12: no column zz in .*full\.csv \(columns: x1, x2, x3, region, y\)$/,
    );
  });

  it('refuses bad grammar before reading, and a text column compared with a number', async () => {
    await expect(
      fitOf({ target: 'y', features: ['x1'], inputs: [fullCsv], where: 'x1 >' }),
    ).rejects.toThrow(/^where: 'x1 >': column 5: expected a value, found the end$/);
    const { full } = await parquetPair('types', 'true', 100_000);
    await expect(
      fitOf({ target: 'y', features: ['x1'], inputs: [full], where: 'region > 1' }),
    ).rejects.toThrow(/column 1: column region is text: compare it with a string/);
  });
});
