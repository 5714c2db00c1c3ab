/**
 * Categorical columns in the plan: commonColumns carries `categorical` only
 * when every shard can read the column as a category, selectColumns checks
 * categorical requests against every shard (naming the shard's file) and
 * returns them in projection order, and the default features stay numeric.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ColumnInfo,
  commonColumns,
  IoError,
  planInputs,
  readUnit,
  selectColumns,
} from '@linreg/io';
import { afterAll, describe, expect, it } from 'vitest';
import { failure } from './support/categories.js';
import { DuckDb, tempDir } from './support/duckdb.js';

const tmp = tempDir('linreg-cat-schema-');
afterAll(() => tmp.cleanup());

const col = (name: string, sourceType: string, numeric: boolean, categorical?: boolean) => ({
  name,
  sourceType,
  numeric,
  nullable: false,
  ...(categorical === undefined ? {} : { categorical }),
});

describe('categorical columns in the plan', () => {
  it('commonColumns: categorical only when categorical in every shard', () => {
    const merged = commonColumns([
      [
        col('a', 'UTF8', false, true),
        col('b', 'BOOLEAN', true, true),
        col('c', 'text', false, true),
      ],
      [col('a', 'Utf8', false, true), col('b', 'INT64', true), col('c', 'number', true, true)],
    ]);
    expect(merged).toEqual([
      { name: 'a', sourceType: 'UTF8|Utf8', numeric: false, nullable: false, categorical: true },
      { name: 'b', sourceType: 'BOOLEAN|INT64', numeric: true, nullable: false },
      { name: 'c', sourceType: 'text|number', numeric: false, nullable: false, categorical: true },
    ]);
    expect((merged[1] as ColumnInfo).categorical).toBeUndefined();
  });

  it('selectColumns checks every shard and names the one that cannot', async () => {
    const csv = join(tmp.dir, 'a.csv');
    writeFileSync(csv, 'y,x,g\n1,2,a\n2,3,b\n');
    const parquet = join(tmp.dir, 'b.parquet');
    const db = await DuckDb.open();
    try {
      await db.writeParquet(parquet, `SELECT 3.0 AS y, 4.0 AS x, 7 AS g`);
    } finally {
      db.close();
    }
    const plan = await planInputs([csv, parquet]);
    // g is text in the CSV and INT32 in the Parquet file: not categorical in common.
    expect(plan.columns.find((c) => c.name === 'g')?.categorical).toBeUndefined();
    const error = await failure(async () =>
      selectColumns(plan, { target: 'y', features: ['x', 'g'], categorical: ['g'] }),
    );
    expect(error).toBeInstanceOf(IoError);
    expect((error as IoError).code).toBe('unsupported');
    expect(error.message).toBe(`${parquet}: g: type INT32 cannot be read as a category`);
    // x is a number in both, but a CSV column is categorical and DOUBLE is not.
    const x = await failure(async () =>
      selectColumns(plan, { target: 'y', features: ['x'], categorical: ['x'] }),
    );
    expect(x.message).toBe(`${parquet}: x: type DECIMAL(2,1) cannot be read as a category`);
  });

  it('categorical names must be features or extra columns, never the target or weights', async () => {
    const file = join(tmp.dir, 'c.csv');
    writeFileSync(file, 'y,w,x,g,h,id\n1,1,2,a,u,9\n2,1,3,b,v,8\n');
    const plan = await planInputs([file]);
    expect(
      selectColumns(plan, {
        target: 'y',
        weights: 'w',
        features: ['g', 'x'],
        extra: ['id', 'h'],
        categorical: ['h', 'g'],
      }),
    ).toEqual({
      columns: ['g', 'x', 'y', 'w', 'id', 'h'],
      features: ['g', 'x'],
      target: 'y',
      weights: 'w',
      extra: ['id', 'h'],
      categorical: ['g', 'h'],
    });
    // Without categorical names the projection is exactly as before (no `categorical` key).
    expect('categorical' in selectColumns(plan, { target: 'y', features: ['x'] })).toBe(false);
    expect(
      selectColumns(plan, { target: 'y', features: ['x'], categorical: [] }).categorical,
    ).toEqual([]);
    for (const [request, message] of [
      [{ target: 'y', features: ['x'], categorical: ['y'] }, 'is the target and cannot be read'],
      [{ target: 'y', weights: 'w', features: ['x'], categorical: ['w'] }, 'is the weights'],
      [{ target: 'y', features: ['x'], categorical: ['g'] }, 'neither a feature nor an extra'],
      [{ target: 'y', categorical: ['g'] }, 'neither a feature nor an extra'],
    ] as const) {
      const error = await failure(async () => selectColumns(plan, request));
      expect(error).toBeInstanceOf(IoError);
      expect(error.message).toContain(message);
    }
    // The default features are the numeric columns, as before.
    expect(selectColumns(plan, { target: 'y', weights: 'w' }).features).toEqual(['x', 'id']);
  });

  it('ReadOptions.categorical ignores names that are not read', async () => {
    const file = join(tmp.dir, 'd.csv');
    writeFileSync(file, 'y,g\n1,a\n2,b\n');
    const plan = await planInputs([file]);
    const unit = plan.units[0];
    if (unit === undefined) throw new Error('no unit');
    for await (const b of readUnit(unit, ['y'], { batchRows: 10, categorical: ['g'] })) {
      expect(b.levels).toBeUndefined();
      expect(Array.from(b.columns[0] as Float64Array)).toEqual([1, 2]);
    }
  });
});
