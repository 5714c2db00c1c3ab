/**
 * The span stream of a unit's whole chunks (span-stream.ts): every column
 * gets exactly its bytes of the file; spans are read in the order columns
 * are first needed, never more than the read-ahead allows beyond the one
 * asked for; a span whose columns are all done goes back to the buffer pool
 * and serves a later read; a failed read is reported by the column that
 * needs it, not as an unhandled rejection.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ByteSource } from '../../packages/io/src/bytes/byte-source.js';
import { openBytes } from '../../packages/io/src/bytes/open-bytes.js';
import { BufferLease } from '../../packages/io/src/parquet/buffer-pool.js';
import type { ByteRange } from '../../packages/io/src/parquet/chunk-spans.js';
import { inArena } from '../../packages/io/src/parquet/fast-path/wasm-arena.js';
import { SpanStream } from '../../packages/io/src/parquet/span-stream.js';

const dir = mkdtempSync(join(tmpdir(), 'linreg-span-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file of `size` bytes whose byte i is a hash of i, so any misplaced range shows. */
function fileOf(size: number): { path: string; data: Uint8Array } {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = (Math.imul(i + 1, 2654435761) >>> 13) & 0xff;
  const path = join(dir, `f-${size}.bin`);
  writeFileSync(path, data);
  return { path, data };
}

/** The real local byte source, recording each read's range in the order issued. */
function recording(source: ByteSource, reads: ByteRange[]): ByteSource {
  return {
    file: source.file,
    size: source.size,
    version: source.version,
    read(start, end, where, column, allocate) {
      reads.push({ start, end });
      return source.read(start, end, where, column, allocate);
    },
    close: () => source.close(),
  };
}

/** `count` chunks of `size` bytes back to back from `from` (a row group's column chunks). */
const chunks = (count: number, size: number, from = 0): ByteRange[] =>
  Array.from({ length: count }, (_, j) => ({ start: from + j * size, end: from + (j + 1) * size }));

describe('SpanStream', () => {
  it('gives every column its bytes, reading spans as they are needed plus the read-ahead', async () => {
    const { path, data } = fileOf(400_000);
    const source = await openBytes(path);
    const reads: ByteRange[] = [];
    const lease = new BufferLease();
    const ranges = chunks(30, 10_000, 1_000);
    const names = ranges.map((_, j) => `x${j}`);
    // Spans of 4 chunks (40,000 bytes); one span read ahead of the one in use.
    const stream = new SpanStream(recording(source, reads), ranges, names, 'row group 0', lease, {
      maxSpan: 40_000,
      aheadBytes: 40_000,
    });
    try {
      const first = await stream.bytesOf(0);
      expect([...first]).toEqual([...data.subarray(1_000, 11_000)]);
      expect(reads).toEqual([
        { start: 1_000, end: 41_000 },
        { start: 41_000, end: 81_000 },
      ]);
      for (let j = 0; j < ranges.length; j++) {
        const r = ranges[j] as ByteRange;
        const got = await stream.bytesOf(j);
        expect(Buffer.from(got).equals(Buffer.from(data.subarray(r.start, r.end)))).toBe(true);
        // Never more than the span in use and one ahead have been read.
        const needed = Math.floor(j / 4) + 1;
        expect(reads.length).toBeLessThanOrEqual(Math.min(needed + 1, 8));
      }
      expect(reads.length).toBe(8);
    } finally {
      await stream.settle();
      lease.release();
      await source.close();
    }
  });

  // The same memory: one buffer of the free lists, or one region of the decoder's arena.
  const same = (x: Uint8Array, y: Uint8Array): boolean =>
    x.buffer === y.buffer && x.byteOffset === y.byteOffset;

  it.each([
    ['the free lists', false],
    ["the decoder's arena", true],
  ])(
    'gives a span back (%s) once all its columns are done, for the next read to reuse',
    async (_, arena) => {
      const { path } = fileOf(200_000);
      const source = await openBytes(path);
      const lease = new BufferLease(arena);
      const ranges = chunks(8, 20_000);
      const stream = new SpanStream(source, ranges, [...'abcdefgh'], 'row group 0', lease, {
        maxSpan: 40_000,
        aheadBytes: 0,
      });
      try {
        const a = await stream.bytesOf(0);
        await stream.bytesOf(1);
        stream.done(0);
        // One column of the span is still open: its buffer is not free yet.
        const other = lease.take(40_000);
        expect(same(other, a)).toBe(false);
        stream.done(1);
        // The span's buffer is back: the next span's read lands in it.
        const c = await stream.bytesOf(2);
        expect(same(c, a)).toBe(true);
        expect(inArena(c)).toBe(arena);
      } finally {
        await stream.settle();
        lease.release();
        await source.close();
      }
    },
  );

  it('reports a failed read ahead at the column that needs it, and nothing before', async () => {
    const { path } = fileOf(50_000);
    const source = await openBytes(path);
    const lease = new BufferLease();
    // The third chunk runs past the end of the file: its read fails when started ahead.
    const ranges: (ByteRange | null)[] = [
      { start: 0, end: 20_000 },
      { start: 20_000, end: 40_000 },
      { start: 40_000, end: 60_000 },
    ];
    const stream = new SpanStream(source, ranges, ['a', 'b', 'c'], 'row group 0', lease, {
      maxSpan: 20_000,
      aheadBytes: 40_000,
    });
    try {
      await expect(stream.bytesOf(0)).resolves.toHaveLength(20_000);
      await expect(stream.bytesOf(1)).resolves.toHaveLength(20_000);
      await expect(stream.bytesOf(2)).rejects.toThrow(/c/);
    } finally {
      await stream.settle();
      lease.release();
      await source.close();
    }
  });

  it('leaves out columns read otherwise', async () => {
    const { path } = fileOf(10_000);
    const source = await openBytes(path);
    const lease = new BufferLease();
    const stream = new SpanStream(
      source,
      [null, { start: 0, end: 100 }, null],
      ['a', 'b', 'c'],
      'row group 0',
      lease,
    );
    try {
      expect([0, 1, 2].map((j) => stream.has(j))).toEqual([false, true, false]);
      await expect(stream.bytesOf(0)).rejects.toThrow(RangeError);
      expect(await stream.bytesOf(1)).toHaveLength(100);
    } finally {
      await stream.settle();
      lease.release();
      await source.close();
    }
  });
});
