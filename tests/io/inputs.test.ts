import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IoError, resolveInputs } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globToRegExp } from '../../packages/io/src/glob.js';

const root = mkdtempSync(join(tmpdir(), 'linreg-inputs-'));
afterAll(() => rm(root, { recursive: true, force: true }));

const files = [
  'data/b.csv',
  'data/a.csv',
  'data/sub/z.csv',
  'data/sub/deeper/c.tsv',
  'data/B.csv',
  'data/.hidden.csv',
  'data/_SUCCESS',
  'data/_tmp/x.csv',
  'data/readme.md',
  'other/q.csv',
];

beforeAll(() => {
  for (const f of files) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), 'a,b\n1,2\n');
  }
});

const rel = (list: readonly { file: string }[]): string[] =>
  list.map((r) => r.file.slice(root.length + 1));

describe('resolveInputs', () => {
  it('expands a directory recursively to its data files, sorted by code unit, skipping . and _ entries', async () => {
    expect(rel(await resolveInputs([join(root, 'data')]))).toEqual([
      'data/B.csv',
      'data/a.csv',
      'data/b.csv',
      'data/sub/deeper/c.tsv',
      'data/sub/z.csv',
    ]);
  });

  it('expands globs (*, **, ?, classes) sorted, and keeps input order across inputs without duplicates', async () => {
    expect(rel(await resolveInputs([join(root, 'data/*.csv')]))).toEqual([
      'data/B.csv',
      'data/a.csv',
      'data/b.csv',
    ]);
    expect(rel(await resolveInputs([join(root, 'data/**/*.csv')]))).toEqual([
      'data/B.csv',
      'data/a.csv',
      'data/b.csv',
      'data/sub/z.csv',
    ]);
    expect(rel(await resolveInputs([join(root, 'data/[ab].csv')]))).toEqual([
      'data/a.csv',
      'data/b.csv',
    ]);
    const mixed = await resolveInputs([
      join(root, 'other/q.csv'),
      join(root, 'data/?.csv'),
      join(root, 'data/a.csv'),
    ]);
    expect(rel(mixed)).toEqual(['other/q.csv', 'data/B.csv', 'data/a.csv', 'data/b.csv']);
    expect(mixed.every((r) => r.format === 'csv' && r.bytes === 8)).toBe(true);
  });

  it('compiles globs into anchored expressions', () => {
    expect(globToRegExp('**/*.parquet').test('a/b/c.parquet')).toBe(true);
    expect(globToRegExp('**/*.parquet').test('c.parquet')).toBe(true);
    expect(globToRegExp('*.parquet').test('a/c.parquet')).toBe(false);
    expect(globToRegExp('part-[!0]?.csv').test('part-12.csv')).toBe(true);
    expect(globToRegExp('part-[!0]?.csv').test('part-02.csv')).toBe(false);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });

  it('reports a glob without matches, a missing file and stdin as IoErrors naming the input', async () => {
    const pattern = join(root, 'data/*.parquet');
    await expect(resolveInputs([pattern])).rejects.toMatchObject({
      code: 'not-found',
      file: pattern,
    });
    const missing = join(root, 'nope.csv');
    await expect(resolveInputs([missing])).rejects.toMatchObject({
      code: 'not-found',
      file: missing,
    });
    await expect(resolveInputs(['-'])).rejects.toBeInstanceOf(IoError);
    await expect(resolveInputs([])).rejects.toBeInstanceOf(IoError);
  });

  it('detects the format from magic bytes before the extension, and honours an override', async () => {
    const odd = join(root, 'odd.dat');
    writeFileSync(odd, 'x,y\n1,2\n');
    await expect(resolveInputs([odd])).rejects.toMatchObject({ code: 'unsupported', file: odd });
    expect((await resolveInputs([odd], { format: 'csv' }))[0]?.format).toBe('csv');
    const stream = join(root, 'no-extension');
    writeFileSync(stream, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x10, 0, 0, 0]));
    expect((await resolveInputs([stream]))[0]).toMatchObject({
      format: 'arrow',
      kind: 'arrow-stream',
    });
    const gz = join(root, 'packed.bin');
    writeFileSync(gz, Buffer.from([0x1f, 0x8b, 8, 0]));
    expect((await resolveInputs([gz]))[0]).toMatchObject({ format: 'csv', kind: 'csv-gzip' });
    const disguised = join(root, 'really-parquet.csv');
    writeFileSync(disguised, Buffer.from('PAR1....PAR1'));
    expect((await resolveInputs([disguised]))[0]?.format).toBe('parquet');
  });
});
