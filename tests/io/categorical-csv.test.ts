/**
 * CSV columns read as categories: every CSV column is categorical (numeric
 * ones too); a field's level is its text after unquoting, nothing trimmed;
 * empty fields and NA / null / NULL are null, as for numbers. Quoted commas,
 * doubled quotes and line breaks, CRLF, several units of one file (levels per
 * unit), gzip, and numbers read alongside.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { IoError, planInputs, readUnit, selectColumns } from '@linreg/io';
import { afterAll, describe, expect, it } from 'vitest';
import { type Cell, failure, readCells } from './support/categories.js';
import { tempDir } from './support/duckdb.js';

const tmp = tempDir('linreg-cat-csv-');
afterAll(() => tmp.cleanup());

/** One CSV field as written: quoted when it holds a delimiter, quote or line break. */
function field(text: string, quote = false): string {
  return quote || /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The level (or null) a written field reads as. */
function cell(text: string): string | null {
  const t = text.replace(/^ +| +$/g, '');
  return t === '' || t === 'NA' || t === 'null' || t === 'NULL' ? null : text;
}

const NAMES = [
  'Smith, John',
  'O"Brien',
  ' padded ',
  'ünïcödé',
  '',
  'NA',
  'two\nlines',
  'NULL',
  ' NA ',
  '"',
  'plain',
  '😀',
  'null',
  '   ',
];
const MIXED = ['1', '1.0', 'abc', '-2e3', '', 'NaN', '7', 'x7'];

/** n records of id (a number), name (text) and mixed (numbers and text). */
function records(n: number): { text: string; ids: number[]; names: Cell[]; mixed: Cell[] } {
  const lines = ['id,name,mixed'];
  const ids: number[] = [];
  const names: Cell[] = [];
  const mixed: Cell[] = [];
  for (let i = 0; i < n; i++) {
    const name = NAMES[(i * 5) % NAMES.length] as string;
    const m = MIXED[i % MIXED.length] as string;
    lines.push([String(i), field(name, i % 4 === 0), field(m, i % 6 === 1)].join(','));
    ids.push(i);
    names.push(cell(name));
    mixed.push(cell(m));
  }
  return { text: `${lines.join('\r\n')}\r\n`, ids, names, mixed };
}

describe('CSV columns as categories', () => {
  it('every column is categorical; text columns stay non-numeric', async () => {
    const data = records(40);
    const file = join(tmp.dir, 'info.csv');
    writeFileSync(file, data.text);
    const plan = await planInputs([file]);
    expect(plan.columns.map((c) => [c.name, c.numeric, c.categorical])).toEqual([
      ['id', true, true],
      ['name', false, true],
      ['mixed', true, true],
    ]);
    // The default features are unchanged: numbers only.
    expect(selectColumns(plan, { target: 'id' }).features).toEqual(['mixed']);
  });

  it('quoted commas, doubled quotes, line breaks, empty and NA fields, mixed columns', async () => {
    const data = records(500);
    const file = join(tmp.dir, 'text.csv');
    writeFileSync(file, data.text);
    const plan = await planInputs([file]);
    for (const batchRows of [1, 7, 1000]) {
      const cells = await readCells(
        plan.units,
        ['name', 'mixed', 'id'],
        ['name', 'mixed'],
        batchRows,
      );
      expect(cells).toEqual([data.names, data.mixed, data.ids]);
    }
    // The id column, a number column, read as categories too: its text is its level.
    const [ids] = await readCells(plan.units, ['id'], ['id']);
    expect(ids).toEqual(data.ids.map(String));
  });

  it('several units of one file, each with its own levels', async () => {
    const data = records(3000);
    const file = join(tmp.dir, 'units.csv');
    writeFileSync(file, data.text);
    const plan = await planInputs([file], { csvChunkBytes: 8 << 10 });
    expect(plan.units.length).toBeGreaterThan(3);
    const cells = await readCells(plan.units, ['mixed', 'name'], ['mixed', 'name'], 256);
    expect(cells).toEqual([data.mixed, data.names]);
    const unit = plan.units[1];
    if (unit === undefined) throw new Error('no unit');
    let levels: readonly string[] | null | undefined;
    for await (const b of readUnit(unit, ['name'], { batchRows: 100, categorical: ['name'] })) {
      levels ??= b.levels?.[0];
      expect(b.levels?.[0]).toBe(levels);
    }
    expect(new Set(levels).size).toBe(levels?.length);
    expect(levels?.length).toBeLessThanOrEqual(NAMES.length);
  });

  it('a gzip CSV', async () => {
    const data = records(700);
    const file = join(tmp.dir, 'text.csv.gz');
    writeFileSync(file, gzipSync(data.text));
    const plan = await planInputs([file]);
    expect(plan.units).toHaveLength(1);
    const cells = await readCells(plan.units, ['id', 'name', 'mixed'], ['name', 'mixed'], 64);
    expect(cells).toEqual([data.ids, data.names, data.mixed]);
  });

  it('a TSV file and a last record without a line break', async () => {
    const file = join(tmp.dir, 'text.tsv');
    writeFileSync(file, 'a\tb\n"x\ty"\t1\n\t2\nz z \t3');
    const plan = await planInputs([file]);
    const cells = await readCells(plan.units, ['a', 'b'], ['a']);
    expect(cells).toEqual([
      ['x\ty', null, 'z z '],
      [1, 2, 3],
    ]);
  });

  it('a text column read as numbers is still an error naming its line', async () => {
    const file = join(tmp.dir, 'numbers.csv');
    writeFileSync(file, records(20).text);
    const plan = await planInputs([file]);
    const error = await failure(() => readCells(plan.units, ['name'], []));
    expect(error).toBeInstanceOf(IoError);
    expect((error as IoError).code).toBe('bad-value');
  });
});
