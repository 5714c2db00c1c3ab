/**
 * The fast path's page decoder on hand-built column chunks: page headers in
 * Thrift compact encoding written here, so CRC checks and malformed headers
 * can be tested without a writer that produces them (DuckDB stores no CRC).
 */
import { crc32 } from 'node:zlib';
import { IoError } from '@linreg/errors';
import { describe, expect, it } from 'vitest';
import { ChunkCursor } from '../../packages/io/src/parquet/fast-path/chunk-cursor.js';
import { pagesSupported } from '../../packages/io/src/parquet/fast-path/page-scan.js';
import { DOUBLE, struct } from './support/thrift-compact.js';

/** One v1 data page of PLAIN doubles (REQUIRED column: no levels), with an optional CRC. */
function doublePage(values: number[], crc: 'right' | 'wrong' | 'none'): Uint8Array {
  const body = new Uint8Array(new Float64Array(values).buffer);
  const sum = crc32(body) | 0; // thrift i32
  const fields: [number, number | number[]][] = [
    [1, 0],
    [2, body.length],
    [3, body.length],
  ];
  if (crc !== 'none') fields.push([4, crc === 'right' ? sum : sum ^ 1]);
  fields.push([
    5,
    struct([
      [1, values.length],
      [2, 0],
      [3, 3],
      [4, 3],
    ]),
  ]);
  return Uint8Array.from([...struct(fields), ...body]);
}

/**
 * One v1 data page of an OPTIONAL double column with deprecated BIT_PACKED
 * definition levels (MSB first, no length prefix), as old parquet-mr wrote.
 */
function bitPackedLevelsPage(values: (number | null)[]): Uint8Array {
  const levels = new Uint8Array(Math.ceil(values.length / 8));
  values.forEach((v, i) => {
    if (v !== null) levels[i >>> 3] = (levels[i >>> 3] as number) | (0x80 >>> (i & 7));
  });
  const present = values.filter((v): v is number => v !== null);
  const body = Uint8Array.from([...levels, ...new Uint8Array(new Float64Array(present).buffer)]);
  const header = struct([
    [1, 0],
    [2, body.length],
    [3, body.length],
    [
      5,
      struct([
        [1, values.length],
        [2, 0],
        [3, 4],
        [4, 4],
      ]),
    ],
  ]);
  return Uint8Array.from([...header, ...body]);
}

function cursorOver(segments: Uint8Array[], rows: number, maxDef = 0): ChunkCursor {
  return new ChunkCursor({ segments, firstRow: 0, skipRows: 0 }, DOUBLE, maxDef, 'UNCOMPRESSED', {
    file: 'hand.parquet',
    column: 'x',
    rowGroup: 0,
    groupRows: rows,
  });
}

function readRows(cursor: ChunkCursor, rows: number): Float64Array {
  const out = new Float64Array(rows);
  cursor.next(out, new Uint8Array(rows), 0, rows);
  return out;
}

describe('parquet fast path on hand-built pages', () => {
  it('reads pages with and without a CRC, across page boundaries', () => {
    const a = doublePage([1.5, -2, Number.NaN], 'right');
    const b = doublePage([4, 5], 'none');
    const chunk = Uint8Array.from([...a, ...b]);
    expect(Array.from(readRows(cursorOver([chunk], 5), 5))).toEqual([1.5, -2, Number.NaN, 4, 5]);
  });

  it('reads deprecated BIT_PACKED definition levels', () => {
    const values = [1, null, 3, null, null, 6, 7, 8, 9, null, 11];
    const cursor = cursorOver([bitPackedLevelsPage(values)], values.length, 1);
    const out = new Float64Array(values.length);
    const mask = new Uint8Array(values.length);
    expect(cursor.next(out, mask, 0, values.length)).toBe(4);
    expect(Array.from(mask)).toEqual(values.map((v) => (v === null ? 1 : 0)));
    expect(Array.from(out).filter((_, i) => mask[i] === 0)).toEqual(
      values.filter((v) => v !== null),
    );
  });

  it('a page whose encoding the fast path lacks sends the chunk to the fallback', () => {
    const good = doublePage([1, 2], 'none');
    // The same page relabelled DELTA_BYTE_ARRAY (7), which no double column can use.
    const odd = Uint8Array.from(good);
    const encodingAt = odd.indexOf(0x15, 8); // field 2 of DataPageHeader: delta 1, type i32
    expect(odd[encodingAt + 1]).toBe(0);
    odd[encodingAt + 1] = 14; // zigzag(7)
    const chunk = (pages: Uint8Array[]) => ({ segments: pages, firstRow: 0, skipRows: 0 });
    expect(pagesSupported(chunk([good, good]), DOUBLE, 0)).toBe(true);
    expect(pagesSupported(chunk([good, odd]), DOUBLE, 0)).toBe(false);
  });

  it('a CRC that does not match its page is corrupt', () => {
    let caught: unknown;
    try {
      readRows(cursorOver([doublePage([1, 2, 3], 'wrong')], 3), 3);
    } catch (e: unknown) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(IoError);
    expect(caught).toMatchObject({
      code: 'corrupt',
      file: 'hand.parquet',
      column: 'x',
      where: 'row group 0 page 0',
    });
    expect(String((caught as Error).message)).toContain('CRC');
  });

  it('a chunk that ends early, or a page claiming more rows than the group has, is corrupt', () => {
    expect(() => readRows(cursorOver([doublePage([1, 2], 'none')], 3), 3)).toThrow(
      /ends after row 2 of 3/,
    );
    expect(() => readRows(cursorOver([doublePage([1, 2, 3, 4], 'none')], 3), 3)).toThrow(
      /claims 4 rows/,
    );
    const cut = doublePage([1, 2, 3], 'none').subarray(0, 20);
    expect(() => readRows(cursorOver([cut], 3), 3)).toThrow(IoError);
  });
});
