/**
 * ColumnInfo.nullCount: Parquet states it in the footer (the column chunks'
 * null_count statistics), summed over row groups and shards; Arrow and CSV
 * leave it unknown, and so does a plan where any shard does not know it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planInputs } from '@linreg/io';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBytes } from '../../packages/io/src/bytes/local-bytes.js';
import { parquetFormat } from '../../packages/io/src/parquet/index.js';
import { fileMeta } from '../../packages/io/src/parquet/metadata-cache.js';
import { DuckDb, tempDir } from './support/duckdb.js';

describe('column null counts', () => {
  let db: DuckDb;
  const tmp = tempDir('linreg-nulls-');
  let a = '';
  let b = '';
  beforeAll(async () => {
    db = await DuckDb.open();
    a = await db.writeParquet(
      join(tmp.dir, 'a.parquet'),
      `SELECT CASE WHEN i % 7 = 0 THEN NULL ELSE i::DOUBLE END AS x,
              CASE WHEN i % 3 = 0 THEN NULL ELSE 'v' END AS s,
              i::DOUBLE AS y, [i] AS l
       FROM range(10000) t(i)`,
      { rowGroupSize: 2048 },
    );
    b = await db.writeParquet(
      join(tmp.dir, 'b.parquet'),
      `SELECT CASE WHEN i % 5 = 0 THEN NULL ELSE i::DOUBLE END AS x,
              'v' AS s, i::DOUBLE AS y, [i] AS l
       FROM range(3000) t(i)`,
    );
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  it('Parquet: the footer statistics summed over row groups', async () => {
    const bytes = await LocalBytes.open(a);
    try {
      expect((await fileMeta(bytes)).metadata.row_groups.length).toBeGreaterThan(1);
    } finally {
      await bytes.close();
    }
    const shard = await parquetFormat.describe(a);
    const byName = Object.fromEntries(shard.columns.map((c) => [c.name, c.nullCount]));
    // i in [0, 10000): ⌈10000/7⌉ multiples of 7, ⌈10000/3⌉ of 3.
    expect(byName).toEqual({ x: 1429, s: 3334, y: 0, l: undefined });
  });

  it('summed over shards in the plan', async () => {
    const plan = await planInputs([a, b]);
    const byName = Object.fromEntries(plan.columns.map((c) => [c.name, c.nullCount]));
    expect(byName).toEqual({ x: 1429 + 600, s: 3334, y: 0, l: undefined });
  });

  it('unknown for Arrow IPC and CSV', async () => {
    const arrow = join(tmp.dir, 'c.arrow');
    writeFileSync(arrow, tableToIPC(tableFromArrays({ x: Float64Array.from([1, 2, 3]) }), 'file'));
    const csv = join(tmp.dir, 'd.csv');
    writeFileSync(csv, 'x,y\n1,\n2,3\n');
    for (const file of [arrow, csv]) {
      const plan = await planInputs([file]);
      expect(plan.columns.length).toBeGreaterThan(0);
      for (const column of plan.columns) expect(column.nullCount).toBeUndefined();
    }
  });
});
