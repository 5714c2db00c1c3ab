/**
 * Hive partition columns: `key=value` directories between the inputs' common
 * root and a file become constant columns after the file's own, numeric when
 * every shard's value is an integer, else text read as categories; URL
 * decoding, null partitions, a file column that overrides a key, shards
 * without a key, globs and file lists, and the three formats.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  IoError,
  type Plan,
  planInputs,
  readUnit,
  resolveInputs,
  selectColumns,
  type WorkUnit,
} from '@linreg/io';
import { Float64, RecordBatch, Table, tableToIPC, vectorFromArray } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cell, failure, readCells } from './support/categories.js';
import { DuckDb, tempDir } from './support/duckdb.js';

const tmp = tempDir('linreg-hive-');
let db: DuckDb;
let root: string;

/** Rows of each file: x = 0..n-1, y = 2x + offset. */
async function parquet(dir: string, n: number, offset: number, extra = ''): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'part-0.parquet');
  await db.writeParquet(
    file,
    `SELECT i::DOUBLE AS x, (2 * i + ${offset})::DOUBLE AS y${extra} FROM range(${n}) t(i)`,
  );
  return file;
}

function csv(dir: string, n: number, offset: number): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'part-0.csv');
  const lines = ['x,y', ...Array.from({ length: n }, (_, i) => `${i},${2 * i + offset}`)];
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function arrow(dir: string, n: number, offset: number): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'part-0.arrow');
  const batch = new RecordBatch({
    x: vectorFromArray(
      Array.from({ length: n }, (_, i) => i),
      new Float64(),
    ).data[0],
    y: vectorFromArray(
      Array.from({ length: n }, (_, i) => 2 * i + offset),
      new Float64(),
    ).data[0],
  } as never);
  writeFileSync(file, tableToIPC(new Table([batch]), 'file'));
  return file;
}

/** The files of the tree and their partition values, in path order ('/' sorts before letters). */
const tree: { dir: string; rows: number; year: number; region: string | null }[] = [
  { dir: 'year=2023/region=EU', rows: 5, year: 2023, region: 'EU' },
  { dir: 'year=2023/region=US%20West', rows: 7, year: 2023, region: 'US West' },
  { dir: 'year=2024/region=', rows: 2, year: 2024, region: null },
  { dir: 'year=2024/region=EU', rows: 4, year: 2024, region: 'EU' },
  { dir: 'year=2024/region=__HIVE_DEFAULT_PARTITION__', rows: 3, year: 2024, region: null },
];

beforeAll(async () => {
  db = await DuckDb.open();
  root = join(tmp.dir, 'data');
  // One format per file: the partition columns do not depend on it.
  const [a, b, c, d, e] = tree.map((t) => join(root, t.dir));
  await parquet(a as string, 5, 0);
  csv(b as string, 7, 1);
  csv(c as string, 2, 4);
  arrow(d as string, 4, 2);
  await parquet(e as string, 3, 3);
});
afterAll(() => {
  db.close();
  tmp.cleanup();
});

/** The cells expected for columns x, year, region over the whole tree (in plan order). */
function expected(): Cell[][] {
  const x: Cell[] = [];
  const year: Cell[] = [];
  const region: Cell[] = [];
  for (const t of tree) {
    for (let i = 0; i < t.rows; i++) {
      x.push(i);
      year.push(t.year);
      region.push(t.region);
    }
  }
  return [x, year, region];
}

describe('hive partition columns', () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planInputs([root]);
  });

  it('types the keys across shards and lists them after the file columns', () => {
    expect(plan.shards.map((s) => s.partitions)).toEqual(
      tree.map((t) => ({ year: String(t.year), region: t.region })),
    );
    expect(plan.columns.map((c) => [c.name, c.sourceType, c.numeric, c.categorical])).toEqual([
      ['x', 'DOUBLE|number|Float64', true, undefined],
      ['y', 'DOUBLE|number|Float64', true, undefined],
      ['year', 'partition', true, undefined],
      ['region', 'partition text', false, true],
    ]);
    const region = plan.columns.find((c) => c.name === 'region');
    expect(region?.nullable).toBe(true);
    expect(plan.shards[0]?.columns?.map((c) => c.name)).toEqual(['x', 'y', 'year', 'region']);
    expect(plan.units.every((u) => u.partitionValues !== undefined)).toBe(true);
    // Units stay plain data.
    expect(structuredClone(plan.units)).toEqual(plan.units);
  });

  it('reads them as constant columns: numbers, categories, nulls', async () => {
    for (const batchRows of [1, 3, 100]) {
      const cells = await readCells(plan.units, ['x', 'year', 'region'], ['region'], batchRows);
      expect(cells).toEqual(expected());
    }
    // Only partition columns: still one row per row of the file.
    const [year] = await readCells(plan.units, ['year'], []);
    expect(year).toEqual(expected()[1]);
    // The one level of a unit is the same array in every batch.
    const unit = plan.units[1] as WorkUnit;
    const lists = new Set<unknown>();
    for await (const b of readUnit(unit, ['region', 'x'], {
      batchRows: 2,
      categorical: ['region'],
    })) {
      lists.add(b.levels?.[0]);
      expect(b.levels?.[1]).toBeNull();
      expect(Array.from(b.columns[0] as Float64Array)).toEqual(new Array(b.rows).fill(0));
    }
    expect([...lists]).toEqual([['US West']]);
  });

  it('selectColumns: never a default feature; text only as a category; integers not as one', async () => {
    expect(selectColumns(plan, { target: 'y' }).features).toEqual(['x']);
    expect(
      selectColumns(plan, {
        target: 'y',
        features: ['x', 'year', 'region'],
        categorical: ['region'],
      }),
    ).toMatchObject({ columns: ['x', 'year', 'region', 'y'], categorical: ['region'] });
    const text = await failure(async () =>
      selectColumns(plan, { target: 'y', features: ['region'] }),
    );
    expect(text).toBeInstanceOf(IoError);
    expect(text.message).toMatch(/region: type partition text is not numeric$/);
    const integer = await failure(async () =>
      selectColumns(plan, { target: 'y', features: ['year'], categorical: ['year'] }),
    );
    expect(integer.message).toMatch(/year: type partition cannot be read as a category$/);
    // Read directly, a text value asked as a number is refused too, naming file and column.
    const unit = plan.units[0] as WorkUnit;
    const direct = await failure(() => readCells([unit], ['region'], []));
    expect(direct).toBeInstanceOf(IoError);
    expect(direct.message).toBe(
      `${unit.file}: region: ${unit.label}: partition value "EU" is not an integer`,
    );
  });

  it('a value that is not an integer in one shard makes the key text everywhere', async () => {
    const dir = join(tmp.dir, 'mixed');
    await parquet(join(dir, 'year=2024'), 2, 0);
    await parquet(join(dir, 'year=latest'), 3, 0);
    await parquet(join(dir, 'year=-7'), 1, 0);
    const mixed = await planInputs([dir]);
    expect(mixed.columns.find((c) => c.name === 'year')).toMatchObject({
      sourceType: 'partition text',
      numeric: false,
      categorical: true,
    });
    const [year] = await readCells(mixed.units, ['year'], ['year']);
    expect(year).toEqual(['-7', '2024', '2024', 'latest', 'latest', 'latest']);
    const signed = join(tmp.dir, 'signed');
    await parquet(join(signed, 'k=%2B5'), 1, 0);
    await parquet(join(signed, 'k=-12'), 1, 0);
    const numbers = await planInputs([signed]);
    expect(await readCells(numbers.units, ['k'], [])).toEqual([[5, -12]]);
  });

  it("the file's own column wins over a partition key of its name", async () => {
    const dir = join(tmp.dir, 'override');
    await parquet(join(dir, 'year=2023'), 3, 0, ', (1990 + i)::BIGINT AS year');
    await parquet(join(dir, 'year=2024'), 2, 0);
    const over = await planInputs([dir]);
    expect(over.shards[0]?.partitions).toBeUndefined();
    expect(over.shards[0]?.columns?.map((c) => c.name)).toEqual(['x', 'y', 'year']);
    expect(over.units[0]?.partitionValues).toBeUndefined();
    expect(over.columns.find((c) => c.name === 'year')).toMatchObject({
      sourceType: 'INT64|partition',
      numeric: true,
    });
    const [year] = await readCells(over.units, ['year'], []);
    expect(year).toEqual([1990, 1991, 1992, 2024, 2024]);
  });

  it('a shard without a key leaves it out of the common columns', async () => {
    const dir = join(tmp.dir, 'partial');
    await parquet(join(dir, 'year=2023'), 2, 0);
    await parquet(join(dir, 'flat'), 2, 0);
    const partial = await planInputs([dir]);
    expect(partial.columns.map((c) => c.name)).toEqual(['x', 'y']);
    const error = await failure(async () =>
      selectColumns(partial, { target: 'y', features: ['year'] }),
    );
    expect(error).toBeInstanceOf(IoError);
    expect((error as IoError).code).toBe('missing-column');
    expect((error as IoError).file).toBe(join(dir, 'flat', 'part-0.parquet'));
  });

  it('globs and file lists use the common root of the inputs', async () => {
    const glob = await resolveInputs([join(root, 'year=*', 'region=*', '*.parquet')]);
    expect(glob.map((f) => f.partitions)).toEqual([
      { year: '2023', region: 'EU' },
      { year: '2024', region: null },
    ]);
    const files = tree.map((t) => join(root, t.dir));
    const listed = await resolveInputs([
      join(files[0] as string, 'part-0.parquet'),
      join(files[3] as string, 'part-0.arrow'),
    ]);
    expect(listed.map((f) => f.partitions)).toEqual([
      { year: '2023', region: 'EU' },
      { year: '2024', region: 'EU' },
    ]);
    // A single file, or a directory named key=value itself, is its own root: no partitions.
    const single = await resolveInputs([join(files[0] as string, 'part-0.parquet')]);
    expect(single[0]?.partitions).toBeUndefined();
    const inside = await resolveInputs([join(root, 'year=2023')]);
    expect(inside.map((f) => f.partitions)).toEqual([{ region: 'EU' }, { region: 'US West' }]);
  });
});
