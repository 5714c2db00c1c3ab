/**
 * Compressed pages of PLAIN doubles with nothing else in them (REQUIRED v1
 * pages, v2 pages without nulls) wait compressed until a batch asks for
 * them: a batch slice that takes the whole page gets it decompressed straight
 * into its array, any other slice through the page buffer. Every way of
 * slicing must give exactly the page's values, and a corrupt body must fail
 * naming its page, as any other page does. Pages are built by hand (Thrift
 * compact headers) and compressed by two real snappy encoders, one that
 * compresses doubles to short elements (the WASM decoder's pages) and one
 * that leaves them as literals (the JS decoder's).
 */
import { IoError } from '@linreg/errors';
import { describe, expect, it } from 'vitest';
import { snappyCompressor } from '../../packages/io/node_modules/hysnappy/js/index.js';
import { ChunkCursor } from '../../packages/io/src/parquet/fast-path/chunk-cursor.js';
import { DOUBLE, struct, varint } from './support/thrift-compact.js';

const hysnappy = snappyCompressor();
// hyparquet-writer is a dependency of @linreg/io, not of the root: load by path.
const writerSnappy = '../../packages/io/node_modules/hyparquet-writer/src/snappy.js';
const { snappyCompress: writerCompress } = (await import(writerSnappy)) as {
  snappyCompress: (input: Uint8Array) => Uint8Array;
};
const compressors: [string, (input: Uint8Array) => Uint8Array][] = [
  ['hyparquet-writer', writerCompress],
  ['hysnappy', (input) => hysnappy(input)],
];

const bytesOf = (values: readonly number[]) => new Uint8Array(new Float64Array(values).buffer);

/** A v1 data page of PLAIN doubles of a REQUIRED column, snappy-compressed. */
function pageV1(values: readonly number[], compress: (b: Uint8Array) => Uint8Array): number[] {
  const plain = bytesOf(values);
  const body = compress(plain);
  const header = struct([
    [1, 0],
    [2, plain.length],
    [3, body.length],
    [
      5,
      struct([
        [1, values.length],
        [2, 0],
        [3, 3],
        [4, 3],
      ]),
    ],
  ]);
  return [...header, ...body];
}

/** A v2 data page of an OPTIONAL double column (RLE levels, then the compressed values). */
function pageV2(values: readonly (number | null)[], compress: (b: Uint8Array) => Uint8Array) {
  const n = values.length;
  // Definition levels, bit width 1: one bit-packed run of ceil(n / 8) groups of 8.
  const groups = Math.ceil(n / 8);
  const levels = [...varint((groups << 1) | 1), ...new Uint8Array(groups)];
  values.forEach((v, i) => {
    if (v !== null) levels[levels.length - groups + (i >>> 3)] |= 1 << (i & 7);
  });
  const present = values.filter((v): v is number => v !== null);
  const plain = bytesOf(present);
  const body = compress(plain);
  const nulls = n - present.length;
  const header = struct([
    [1, 3],
    [2, levels.length + plain.length],
    [3, levels.length + body.length],
    [
      8,
      struct([
        [1, n],
        [2, nulls],
        [3, n],
        [4, 0],
        [5, levels.length],
        [6, 0],
      ]),
    ],
  ]);
  return [...header, ...levels, ...body];
}

function cursor(chunk: number[], rows: number, maxDef: number, skipRows = 0): ChunkCursor {
  const segments = [Uint8Array.from(chunk)];
  return new ChunkCursor({ segments, firstRow: 0, skipRows }, DOUBLE, maxDef, 'SNAPPY', {
    file: 'hand.parquet',
    column: 'x',
    rowGroup: 0,
    groupRows: rows,
  });
}

/** Read `rows` rows in slices of `slice`, each at an offset inside a larger array. */
function readSliced(c: ChunkCursor, rows: number, slice: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let done = 0; done < rows; done += slice) {
    const n = Math.min(slice, rows - done);
    const values = new Float64Array(n + 3).fill(-7);
    const mask = new Uint8Array(n + 3);
    c.next(values, mask, 3, n);
    for (let i = 0; i < n; i++) out.push(mask[3 + i] === 1 ? null : (values[3 + i] as number));
    expect(values[0]).toBe(-7); // nothing written before the slice
  }
  return out;
}

// Doubles whose high bytes repeat (they compress to short elements) and noise-like ones.
const a = Array.from({ length: 700 }, (_, i) => Math.round(Math.sin(i) * 1000) / 8);
const b = Array.from({ length: 300 }, (_, i) => Math.sin(i * 7.1) * 1e-3 + i);

describe('deferred PLAIN double pages', () => {
  for (const [name, compress] of compressors) {
    it(`v1 REQUIRED pages (${name}): whole pages, pieces, and a skipped start read the same values`, () => {
      const chunk = [...pageV1(a, compress), ...pageV1(b, compress)];
      const all = [...a, ...b];
      expect(readSliced(cursor(chunk, 1000, 0), 1000, 700)).toEqual(all.slice(0, 1000));
      expect(readSliced(cursor(chunk, 1000, 0), 1000, 1000)).toEqual(all);
      expect(readSliced(cursor(chunk, 1000, 0), 1000, 333)).toEqual(all);
      expect(readSliced(cursor(chunk, 1000, 0, 650), 350, 50)).toEqual(all.slice(650));
    });

    it(`v2 pages (${name}): without nulls deferred, with nulls decoded as before`, () => {
      const withNulls = b.map((v, i) => (i % 13 === 5 ? null : v));
      const chunk = [...pageV2(a, compress), ...pageV2(withNulls, compress)];
      const all = [...a, ...withNulls];
      expect(readSliced(cursor(chunk, 1000, 1), 1000, 700)).toEqual(all);
      expect(readSliced(cursor(chunk, 1000, 1), 1000, 256)).toEqual(all);
      expect(readSliced(cursor(chunk, 1000, 1, 10), 990, 690)).toEqual(all.slice(10));
    });
  }

  it('a corrupt deferred body fails naming its page, whole or in pieces', () => {
    const good = pageV1(a, writerCompress);
    const bad = pageV1(b, writerCompress);
    // Claim one more byte than the stream holds: the snappy length header disagrees.
    const corrupt = Uint8Array.from([...good, ...bad]);
    const bodyAt = good.length + bad.length - writerCompress(bytesOf(b)).length;
    corrupt[bodyAt] = (corrupt[bodyAt] as number) ^ 1;
    for (const slice of [700, 300]) {
      const c = cursor([...corrupt], 1000, 0);
      let caught: unknown;
      try {
        readSliced(c, 1000, slice);
      } catch (e: unknown) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(IoError);
      expect(caught).toMatchObject({ code: 'corrupt', column: 'x', where: 'row group 0 page 1' });
      expect(String((caught as Error).message)).toMatch(/snappy/);
    }
  });
});
