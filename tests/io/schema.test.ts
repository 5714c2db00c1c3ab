import { mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { columnsByName, commonColumns, IoError, planInputs, selectColumns } from '@linreg/io';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'linreg-schema-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

function csv(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('selectColumns', () => {
  it('defaults features to every numeric column but the target, weights and excluded ones', async () => {
    const file = csv('a.csv', 'id,x1,name,x2,w,y\n1,2,a,3,1,5\n2,3,b,4,2,6\n');
    const plan = await planInputs([file]);
    expect(selectColumns(plan, { target: 'y' })).toEqual({
      columns: ['id', 'x1', 'x2', 'w', 'y'],
      features: ['id', 'x1', 'x2', 'w'],
      target: 'y',
      weights: undefined,
      extra: [],
    });
    const p = selectColumns(plan, {
      target: 'y',
      weights: 'w',
      exclude: ['id'],
      extra: ['id', 'x1'],
    });
    expect(p.features).toEqual(['x1', 'x2']);
    expect(p.columns).toEqual(['x1', 'x2', 'y', 'w', 'id']);
    expect(p.extra).toEqual(['id']);
  });

  it('names the shard, column and type when a requested column is missing or not numeric', async () => {
    const a = csv('s1.csv', 'x,y,t\n1,2,a\n');
    const b = csv('s2.csv', 'x,t,z\n1,b,3\n');
    const c = csv('s3.csv', 'x,y,t\n1,oops,a\n');
    const ab = await planInputs([a, b]);
    expect(ab.columns.map((col) => col.name)).toEqual(['x', 't']);
    const missing = (() => {
      try {
        return selectColumns(ab, { target: 'y' });
      } catch (error) {
        return error;
      }
    })();
    expect(missing).toBeInstanceOf(IoError);
    expect(missing).toMatchObject({ code: 'missing-column', file: b, column: 'y' });
    expect(() => selectColumns(ab, { target: 'x', features: ['t'] })).toThrow(
      /t: type text is not numeric/,
    );
    const ac = await planInputs([a, c]);
    expect(() => selectColumns(ac, { target: 'y', features: ['x'] })).toThrow(IoError);
    try {
      selectColumns(ac, { target: 'y', features: ['x'] });
    } catch (error) {
      expect(error).toMatchObject({ code: 'non-numeric', file: c, column: 'y' });
    }
  });

  it('rejects a target listed as a feature and unknown excluded columns', async () => {
    const plan = await planInputs([csv('b.csv', 'x,y\n1,2\n')]);
    expect(() => selectColumns(plan, { target: 'y', features: ['x', 'y'] })).toThrow(IoError);
    expect(() => selectColumns(plan, { target: 'y', exclude: ['nope'] })).toThrow(
      /nope: no such column/,
    );
  });

  it('merges column lists: common columns in first-shard order, numeric only if numeric everywhere', () => {
    const col = (name: string, numeric: boolean, sourceType = numeric ? 'DOUBLE' : 'utf8') => ({
      name,
      numeric,
      sourceType,
      nullable: false,
    });
    expect(
      commonColumns([
        [col('a', true), col('b', true), col('c', true)],
        [col('c', true, 'INT64'), col('b', false), col('a', true)],
      ]),
    ).toEqual([
      { name: 'a', numeric: true, sourceType: 'DOUBLE', nullable: false },
      { name: 'b', numeric: false, sourceType: 'DOUBLE|utf8', nullable: false },
      { name: 'c', numeric: true, sourceType: 'DOUBLE|INT64', nullable: false },
    ]);
  });
});

describe('columnsByName', () => {
  it("gives each name's first column, one map per column list", async () => {
    const plan = await planInputs([csv('byname.csv', 'b,a,c\n1,2,3\n')]);
    const names = columnsByName(plan.columns);
    expect([...names.keys()]).toEqual(['b', 'a', 'c']);
    for (const column of plan.columns) expect(names.get(column.name)).toBe(column);
    expect(names.get('y')).toBeUndefined();
    expect(columnsByName(plan.columns)).toBe(names);
    // A repeated name resolves to its first column, as a scan from the start finds it.
    const [b, a] = plan.columns;
    const twice = columnsByName([
      b,
      a,
      { ...(a as (typeof plan.columns)[number]), numeric: false },
    ]);
    expect(twice.get('a')).toBe(a);
  });

  it('selects a wide projection by name (p = 3,000) with the order and checks of a small one', async () => {
    const p = 3000;
    const header = [...Array.from({ length: p }, (_, j) => `x${j}`), 'y'].join(',');
    const row = Array.from({ length: p + 1 }, (_, j) => String(j)).join(',');
    const plan = await planInputs([csv('wide.csv', `${header}\n${row}\n`)]);
    const reversed = Array.from({ length: p }, (_, j) => `x${p - 1 - j}`);
    const projection = selectColumns(plan, { target: 'y', features: reversed });
    expect(projection.features).toEqual(reversed);
    expect(projection.columns).toEqual([...reversed, 'y']);
    expect(() => selectColumns(plan, { target: 'y', features: [...reversed, 'x3000'] })).toThrow(
      /x3000: no such column/,
    );
  });
});
