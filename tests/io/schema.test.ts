import { mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commonColumns, IoError, planInputs, selectColumns } from '@linreg/io';
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
