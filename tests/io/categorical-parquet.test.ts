/**
 * Parquet text and boolean columns read as categories (codes plus levels):
 * DuckDB files (v1 dictionary pages, PLAIN byte arrays, v2 pages with
 * DELTA_LENGTH_BYTE_ARRAY through the hyparquet fallback, every codec),
 * hyparquet-writer files (many small v2 pages, a row range read through the
 * offset index), hand-built chunks (a dictionary that gives way to PLAIN
 * pages, invalid UTF-8, a byte-order mark), and the errors: a column that is
 * not categorical, a dictionary index past the dictionary.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IoError, type Plan, planInputs, readUnit, selectColumns } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBytes } from '../../packages/io/src/bytes/local-bytes.js';
import { LevelTable } from '../../packages/io/src/categorical.js';
import { ChunkCursor } from '../../packages/io/src/parquet/fast-path/chunk-cursor.js';
import {
  emptyPageHeader,
  readPageHeader,
} from '../../packages/io/src/parquet/fast-path/page-header.js';
import { CompactReader } from '../../packages/io/src/parquet/fast-path/thrift-compact.js';
import { BYTE_ARRAY_KIND } from '../../packages/io/src/parquet/fast-path/value-kind.js';
import { fileMeta } from '../../packages/io/src/parquet/metadata-cache.js';
import { type Cell, failure, readCells } from './support/categories.js';
import { type DuckCompression, DuckDb, tempDir } from './support/duckdb.js';
import { parquetWriteFile } from './support/parquet-writer.js';
import { struct, varint } from './support/thrift-compact.js';

const tmp = tempDir('linreg-cat-parquet-');
let db: DuckDb;
beforeAll(async () => {
  db = await DuckDb.open();
});
afterAll(() => {
  db.close();
  tmp.cleanup();
});

const N = 10_000;
/** Low-cardinality text with nulls, empty text, spaces, non-ASCII, a BOM, a comma and a quote. */
const SELECT = `SELECT
  CASE WHEN i % 11 = 0 THEN NULL
       ELSE (['alpha', 'beta', ' gamma ', '', 'délta', '😀 emoji', chr(65279) || 'bom', 'with,comma', 'x"q'])[1 + (i * 7) % 9]
  END AS s,
  CASE WHEN i % 13 = 0 THEN NULL ELSE 'u' || (i * 7919 % 100003) END AS u,
  CASE WHEN i % 5 = 0 THEN NULL ELSE i % 3 = 0 END AS b,
  i::DOUBLE AS x
FROM range(${N}) t(i)`;

/**
 * DuckDB's reading of the columns as text (booleans as TRUE/FALSE), in file
 * order. The text travels as hex: the DuckDB client's own decoding drops a
 * leading byte-order mark, which the reader keeps.
 */
async function duckText(
  file: string,
  columns: readonly string[],
  booleans: readonly string[] = ['b'],
): Promise<Cell[][]> {
  const list = columns
    .map((c) =>
      booleans.includes(c) ? `hex(upper(${c}::VARCHAR)) AS ${c}` : `hex(${c}::VARCHAR) AS ${c}`,
    )
    .join(', ');
  const reader = await db.connection.runAndReadAll(
    `SELECT ${list} FROM read_parquet('${file.replaceAll("'", "''")}')`,
  );
  const rows = reader.getRows();
  return columns.map((_, j) =>
    rows.map((row) =>
      row[j] === null ? null : Buffer.from(String(row[j]), 'hex').toString('utf8'),
    ),
  );
}

/** The encodings of each column chunk of a file, by column name (union over row groups). */
async function encodings(file: string): Promise<Record<string, string[]>> {
  const bytes = await LocalBytes.open(file);
  try {
    const { metadata } = await fileMeta(bytes);
    const out: Record<string, string[]> = {};
    for (const group of metadata.row_groups) {
      for (const chunk of group.columns) {
        const meta = chunk.meta_data;
        if (meta === undefined) continue;
        const name = meta.path_in_schema[0] as string;
        out[name] = [...new Set([...(out[name] ?? []), ...meta.encodings])];
      }
    }
    return out;
  } finally {
    await bytes.close();
  }
}

/** Data pages of one column chunk (page headers walked). */
async function dataPages(file: string, group: number, column: number): Promise<number> {
  const bytes = await LocalBytes.open(file);
  try {
    const { metadata } = await fileMeta(bytes);
    const meta = metadata.row_groups[group]?.columns[column]?.meta_data;
    if (meta === undefined) throw new Error('no chunk');
    const start = Number(meta.dictionary_page_offset ?? meta.data_page_offset);
    const chunk = await bytes.read(start, start + Number(meta.total_compressed_size), 'test', 'c');
    let pos = 0;
    let pages = 0;
    while (pos < chunk.length) {
      const reader = new CompactReader(chunk, pos);
      const header = readPageHeader(reader, emptyPageHeader());
      if (header.type === 0 || header.type === 3) pages += 1;
      pos = reader.pos + header.compressedSize;
    }
    return pages;
  } finally {
    await bytes.close();
  }
}

describe('Parquet text as categories (DuckDB files)', () => {
  const codecs: DuckCompression[] = ['snappy', 'gzip', 'zstd', 'uncompressed'];
  for (const compression of codecs) {
    it(`dictionary and PLAIN text with nulls over several row groups (${compression})`, async () => {
      const file = join(tmp.dir, `text-${compression}.parquet`);
      await db.writeParquet(file, SELECT, { compression, rowGroupSize: 3000 });
      const found = await encodings(file);
      expect(found.s).toContain('PLAIN_DICTIONARY');
      expect(found.u).toEqual(['PLAIN']);
      const plan = await planInputs([file]);
      expect(plan.units.length).toBeGreaterThan(1);
      const cells = await readCells(plan.units, ['s', 'u', 'b', 'x'], ['s', 'u', 'b'], 700);
      const want = await duckText(file, ['s', 'u', 'b']);
      expect(cells.slice(0, 3)).toEqual(want);
      expect(cells[3]).toEqual(Array.from({ length: N }, (_, i) => i));
    });
  }

  it('marks text and booleans categorical, numbers not', async () => {
    const file = join(tmp.dir, 'info.parquet');
    await db.writeParquet(file, SELECT);
    const plan = await planInputs([file]);
    const info = Object.fromEntries(plan.columns.map((c) => [c.name, c]));
    expect(info.s).toMatchObject({ sourceType: 'UTF8', numeric: false, categorical: true });
    expect(info.b).toMatchObject({ sourceType: 'BOOLEAN', numeric: true, categorical: true });
    expect(info.x?.categorical).toBeUndefined();
    // The same boolean column still reads as 0/1 numbers when not asked as a category.
    const [numbers] = await readCells(plan.units, ['b'], []);
    expect(numbers?.slice(0, 7)).toEqual([null, 0, 0, 1, 0, null, 1]);
  });

  it('v2 pages: RLE_DICTIONARY on the fast path, DELTA_LENGTH_BYTE_ARRAY through the fallback', async () => {
    const file = join(tmp.dir, 'v2.parquet');
    await db.writeParquet(file, SELECT, { version: 'v2', rowGroupSize: 3000 });
    const found = await encodings(file);
    expect(found.s).toContain('RLE_DICTIONARY');
    expect(found.u).toContain('DELTA_LENGTH_BYTE_ARRAY');
    const plan = await planInputs([file]);
    const cells = await readCells(plan.units, ['u', 's', 'b'], ['u', 's', 'b'], 999);
    expect(cells).toEqual(await duckText(file, ['u', 's', 'b']));
  });

  it('levels hold only values the unit uses, one list per unit', async () => {
    const file = join(tmp.dir, 'levels.parquet');
    await db.writeParquet(
      file,
      `SELECT CASE WHEN i < 4096 THEN 'first' || (i % 3) ELSE 'second' || (i % 2) END AS s FROM range(8192) t(i)`,
      { rowGroupSize: 4096 },
    );
    const plan = await planInputs([file]);
    expect(plan.units).toHaveLength(2);
    const lists: (readonly string[])[] = [];
    for (const unit of plan.units) {
      for await (const b of readUnit(unit, ['s'], { batchRows: 1000, categorical: ['s'] })) {
        const levels = b.levels?.[0];
        if (levels === undefined || levels === null) throw new Error('no levels');
        if (!lists.includes(levels)) lists.push(levels);
      }
    }
    expect(lists.map((l) => [...l].sort())).toEqual([
      ['first0', 'first1', 'first2'],
      ['second0', 'second1'],
    ]);
  });
});

describe('Parquet text as categories (hyparquet-writer: many v2 pages, offset index)', () => {
  const rows = 6000;
  const group = 3000;
  const low: (string | null)[] = [];
  const high: (string | null)[] = [];
  const bools: (boolean | null)[] = [];
  for (let i = 0; i < rows; i++) {
    low.push(i % 7 === 0 ? null : (['north', 'south', 'east', 'west', 'ünïcödé'][i % 5] as string));
    high.push(i % 9 === 0 ? null : `id-${(i * 7919) % 100003}`);
    bools.push(i % 4 === 0 ? null : i % 3 === 1);
  }
  const file = join(tmp.dir, 'pages.parquet');
  const text = (name: string) => ({
    name,
    type: 'BYTE_ARRAY' as const,
    converted_type: 'UTF8' as const,
    logical_type: { type: 'STRING' as const },
    repetition_type: 'OPTIONAL' as const,
  });
  parquetWriteFile({
    filename: file,
    rowGroupSize: group,
    pageSize: 512,
    columnData: [
      { name: 'low', data: low },
      { name: 'high', data: high, encoding: 'PLAIN' },
      { name: 'flag', data: bools },
    ],
    schema: [
      { name: 'root', num_children: 3 },
      text('low'),
      text('high'),
      { name: 'flag', type: 'BOOLEAN', repetition_type: 'OPTIONAL' },
    ],
  });
  const boolText = bools.map((b) => (b === null ? null : b ? 'TRUE' : 'FALSE'));

  it('reads every page of dictionary and PLAIN chunks', async () => {
    expect(await dataPages(file, 0, 0)).toBeGreaterThan(3);
    expect(await dataPages(file, 0, 1)).toBeGreaterThan(3);
    const found = await encodings(file);
    expect(found.low).toContain('RLE_DICTIONARY');
    expect(found.high).not.toContain('RLE_DICTIONARY');
    const plan = await planInputs([file]);
    const cells = await readCells(
      plan.units,
      ['low', 'high', 'flag'],
      ['low', 'high', 'flag'],
      333,
    );
    expect(cells).toEqual([low, high, boolText]);
    expect(cells).toEqual(await duckText(file, ['low', 'high', 'flag'], ['flag']));
  });

  it('reads a row range inside a row group (pages skipped through the offset index)', async () => {
    const plan = await planInputs([file]);
    const second = plan.units[1];
    if (second === undefined) throw new Error('no unit');
    const piece = { ...second, rowStart: 1234, rowEnd: 2345, label: 'piece' };
    const cells = await readCells([piece], ['high', 'low'], ['high', 'low'], 100);
    expect(cells).toEqual([
      high.slice(group + 1234, group + 2345),
      low.slice(group + 1234, group + 2345),
    ]);
  });
});

// ------------------------------------------------------------------ hand-built chunks

const le32 = (n: number): number[] => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24];
/** PLAIN byte arrays: each a 4-byte length and its bytes. */
const byteArrays = (values: readonly number[][]): number[] =>
  values.flatMap((v) => [...le32(v.length), ...v]);
const utf8 = (s: string): number[] => [...new TextEncoder().encode(s)];

/** Definition levels of a flat optional column (1 = present), v1 layout: length, then bit-packed runs. */
function levels(present: readonly boolean[]): number[] {
  const groups = Math.ceil(present.length / 8);
  const bits = new Array<number>(groups).fill(0);
  present.forEach((p, i) => {
    if (p) bits[i >>> 3] = (bits[i >>> 3] as number) | (1 << (i & 7));
  });
  const hybrid = [...varint((groups << 1) | 1), ...bits];
  return [...le32(hybrid.length), ...hybrid];
}

function page(header: number[], body: number[]): number[] {
  return [...header, ...body];
}
function dictionaryPage(entries: readonly number[][]): number[] {
  const body = byteArrays(entries);
  const h = struct([
    [1, 2],
    [2, body.length],
    [3, body.length],
    [
      7,
      struct([
        [1, entries.length],
        [2, 0],
      ]),
    ],
  ]);
  return page(h, body);
}
/** A v1 data page of an optional column: levels, then `values` (already encoded) with `encoding`. */
function dataPage(present: readonly boolean[], encoding: number, values: number[]): number[] {
  const body = [...levels(present), ...values];
  const h = struct([
    [1, 0],
    [2, body.length],
    [3, body.length],
    [
      5,
      struct([
        [1, present.length],
        [2, encoding],
        [3, 3],
        [4, 3],
      ]),
    ],
  ]);
  return page(h, body);
}
/** Dictionary indices: bit width 8, each index a run of one. */
const indices = (values: readonly number[]): number[] => [8, ...values.flatMap((v) => [2, v])];

function cursor(chunk: number[], rows: number, table: LevelTable): ChunkCursor {
  return new ChunkCursor(
    { segments: [Uint8Array.from(chunk)], firstRow: 0, skipRows: 0 },
    BYTE_ARRAY_KIND,
    1,
    'UNCOMPRESSED',
    { file: 'hand.parquet', column: 's', rowGroup: 0, groupRows: rows },
    undefined,
    table,
  );
}

function readAll(c: ChunkCursor, rows: number, table: LevelTable, step: number): (string | null)[] {
  const out: (string | null)[] = [];
  for (let at = 0; at < rows; at += step) {
    const n = Math.min(step, rows - at);
    const codes = new Float64Array(n);
    const mask = new Uint8Array(n);
    c.next(codes, mask, 0, n);
    for (let i = 0; i < n; i++) {
      if (mask[i] === 1) {
        expect(codes[i]).toBe(0);
        out.push(null);
      } else out.push(table.levels[codes[i] as number] as string);
    }
  }
  return out;
}

describe('Parquet text on hand-built chunks', () => {
  it('a dictionary that gives way to PLAIN pages, nulls, invalid UTF-8 and a BOM', () => {
    const dict = [utf8('red'), [0x61, 0xff, 0x62], utf8('\uFEFFbom'), []];
    const first = [true, false, true, true, true, false, true, true, true];
    const firstIdx = [0, 1, 2, 3, 0, 1, 0];
    const second = [true, true, false, true, true];
    const plain = [utf8('red'), [0xfe], utf8('green'), [0xff]];
    const chunk = [
      ...dictionaryPage(dict),
      ...dataPage(first, 8, indices(firstIdx)),
      ...dataPage(second, 0, byteArrays(plain)),
    ];
    const rows = first.length + second.length;
    for (const step of [1, 4, rows]) {
      const table = new LevelTable();
      const got = readAll(cursor(chunk, rows, table), rows, table, step);
      expect(got).toEqual([
        'red',
        null,
        'a\uFFFDb',
        '\uFEFFbom',
        '',
        null,
        'red',
        'a\uFFFDb',
        'red',
        'red',
        '\uFFFD',
        null,
        'green',
        '\uFFFD',
      ]);
      // Two invalid byte sequences that decode alike share a level; unused entries are absent.
      expect([...table.levels].sort()).toEqual(
        ['', 'a\uFFFDb', 'green', 'red', '\uFEFFbom', '\uFFFD'].sort(),
      );
    }
  });

  it('a dictionary index past the dictionary is corrupt, naming file, column, row group and page', () => {
    const chunk = [
      ...dictionaryPage([utf8('a'), utf8('b'), utf8('c')]),
      ...dataPage([true, true, true], 8, indices([0, 5, 1])),
    ];
    const table = new LevelTable();
    let caught: unknown;
    try {
      readAll(cursor(chunk, 3, table), 3, table, 3);
    } catch (e: unknown) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(IoError);
    expect(caught).toMatchObject({
      code: 'corrupt',
      file: 'hand.parquet',
      column: 's',
      where: 'row group 0 page 1',
    });
    expect(String((caught as Error).message)).toMatch(/dictionary index 5 out of range.* 3 values/);
  });

  it('byte arrays that overrun their page are corrupt', () => {
    const lying = [...le32(1000), ...utf8('short')];
    const table = new LevelTable();
    expect(() => readAll(cursor(dataPage([true], 0, lying), 1, table), 1, table, 1)).toThrow(
      /byte array 0 of 1000 bytes past end of page/,
    );
    const dict = [...dictionaryPage([utf8('a')])];
    // Claim two entries in a dictionary page that holds one.
    dict[dict.indexOf(0x15, 6) + 1] = 4;
    const t2 = new LevelTable();
    const c = cursor([...dict, ...dataPage([true], 8, indices([0]))], 1, t2);
    expect(() => readAll(c, 1, t2, 1)).toThrow(IoError);
  });
});

// ------------------------------------------------------------------ errors and cost

describe('Parquet categorical errors', () => {
  let file: string;
  let plan: Plan;
  beforeAll(async () => {
    file = join(tmp.dir, 'errors.parquet');
    await db.writeParquet(file, SELECT);
    plan = await planInputs([file]);
  });

  it('a numeric column asked as a category: one line naming file and column', async () => {
    const unit = plan.units[0];
    if (unit === undefined) throw new Error('no unit');
    const error = await failure(() => readCells([unit], ['s', 'x'], ['s', 'x']));
    expect(error).toBeInstanceOf(IoError);
    expect((error as IoError).code).toBe('unsupported');
    expect(error.message).toBe(
      `${file}: x: ${unit.label}: type DOUBLE cannot be read as a category`,
    );
    expect(error.message).not.toContain('\n');
    // The planner's check says the same before any unit is read.
    const planned = await failure(async () =>
      selectColumns(plan, { target: 'x', features: ['s', 'u'], categorical: ['s', 'u', 'b'] }),
    );
    expect(planned.message).toContain('neither a feature nor an extra column');
    const numeric = await failure(async () =>
      selectColumns(plan, { target: 'b', features: ['s', 'x'], categorical: ['s', 'x'] }),
    );
    expect(numeric).toBeInstanceOf(IoError);
    expect(numeric.message).toBe(`${file}: x: type DOUBLE cannot be read as a category`);
    expect(
      selectColumns(plan, { target: 'x', features: ['s', 'b'], categorical: ['b', 's'] }),
    ).toMatchObject({ columns: ['s', 'b', 'x'], categorical: ['s', 'b'] });
  });

  it('a corrupted dictionary index in a file is an IoError naming file, column and row group', async () => {
    const clean = join(tmp.dir, 'dict-clean.parquet');
    await db.writeParquet(
      clean,
      `SELECT CASE WHEN (i // 100) % 2 = 0 THEN 'a' ELSE 'b' END AS s FROM range(1000) t(i)`,
      { compression: 'uncompressed' },
    );
    const bytes = readFileSync(clean);
    // An RLE run of 100 indices equal to 1: header varint(200) = c8 01, value 01. Make it 7.
    let at = -1;
    for (let i = 0; i + 2 < bytes.length; i++) {
      if (bytes[i] === 0xc8 && bytes[i + 1] === 0x01 && bytes[i + 2] === 0x01) {
        at = i + 2;
        break;
      }
    }
    expect(at).toBeGreaterThan(0);
    const damaged = Uint8Array.from(bytes);
    damaged[at] = 7;
    const broken = join(tmp.dir, 'dict-broken.parquet');
    writeFileSync(broken, damaged);
    const units = (await planInputs([broken])).units;
    const error = await failure(() => readCells(units, ['s'], ['s']));
    expect(error).toBeInstanceOf(IoError);
    expect(error).toMatchObject({ code: 'corrupt', file: broken, column: 's' });
    expect((error as IoError).where).toMatch(/^row group 0 page \d+$/);
    expect(error.message).toMatch(/dictionary index 7 out of range for a dictionary of 2 values/);
  });

  it('a 1M-row dictionary-encoded text column reads in time comparable to a numeric one', async () => {
    const big = join(tmp.dir, 'million.parquet');
    await db.writeParquet(
      big,
      `SELECT 'level ' || (i * 7 % 50) AS s, (i * 0.37)::DOUBLE AS x FROM range(1000000) t(i)`,
      { rowGroupSize: 250_000 },
    );
    const units = (await planInputs([big])).units;
    const time = async (column: string, categorical: readonly string[]): Promise<number> => {
      let rows = 0;
      let levels = 0;
      const start = performance.now();
      for (const unit of units) {
        for await (const b of readUnit(unit, [column], { batchRows: 65_536, categorical })) {
          rows += b.rows;
          levels = Math.max(levels, b.levels?.[0]?.length ?? 0);
        }
      }
      const ms = performance.now() - start;
      expect(rows).toBe(1_000_000);
      if (categorical.length > 0) expect(levels).toBe(50);
      return ms;
    };
    await time('x', []);
    await time('s', ['s']);
    const numeric = Math.min(await time('x', []), await time('x', []));
    const text = Math.min(await time('s', ['s']), await time('s', ['s']));
    console.log(
      `1M rows: numeric ${numeric.toFixed(1)} ms, dictionary text ${text.toFixed(1)} ms, ratio ${(text / numeric).toFixed(2)}`,
    );
  });
});
