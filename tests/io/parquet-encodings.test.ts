/**
 * Encodings DuckDB does not write (or not on demand), through files written at
 * test time by hyparquet-writer: data page v2 with BYTE_STREAM_SPLIT,
 * DELTA_BINARY_PACKED over the full 64-bit range, RLE booleans, FLOAT16,
 * DECIMAL in BYTE_ARRAY (the hyparquet fallback), many small pages, and
 * row ranges inside a row group read through the offset index.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalBytes } from '../../packages/io/src/bytes/local-bytes.js';
import { fetchChunk } from '../../packages/io/src/parquet/chunk-plan.js';
import { parquetFormat } from '../../packages/io/src/parquet/index.js';
import { fileMeta } from '../../packages/io/src/parquet/metadata-cache.js';
import type { ColumnBatch, WorkUnit } from '../../packages/io/src/types.js';
import { tempDir } from './support/duckdb.js';
import { parquetWriteFile } from './support/parquet-writer.js';

/** mulberry32: a small seeded PRNG, so the data is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const N = 10_000;
const GROUP = 3000;
const random = prng(20240611);
const doubles: (number | null)[] = [];
const floats: number[] = [];
const int64s: bigint[] = [];
const int32s: number[] = [];
const bools: (boolean | null)[] = [];
const halves: number[] = [];
const decimals: (bigint | null)[] = [];
const lowCard: number[] = [];
const specials = [
  Number.NaN,
  -0,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.MIN_VALUE,
  Number.MAX_VALUE,
];
for (let i = 0; i < N; i++) {
  const r = random();
  doubles.push(
    i % 17 === 0
      ? null
      : i % 101 === 0
        ? (specials[(i / 101) % specials.length] as number)
        : (r - 0.5) * 1e6,
  );
  floats.push(Math.fround((random() - 0.5) * 1e3));
  // Extremes make deltas need all 64 bits; runs of small steps keep narrow miniblocks too.
  int64s.push(
    i % 50 === 0
      ? -(2n ** 63n)
      : i % 50 === 1
        ? 2n ** 63n - 1n
        : BigInt(Math.floor((random() - 0.5) * 2 ** 52)) + BigInt(i),
  );
  int32s.push(
    i % 40 === 0 ? -(2 ** 31) : i % 40 === 1 ? 2 ** 31 - 1 : Math.floor((random() - 0.5) * 2 ** 20),
  );
  bools.push(i % 9 === 0 ? null : random() < 0.3);
  // Halves exactly representable in binary16: k / 1024 for |k| < 2048, plus a subnormal.
  halves.push(i % 333 === 0 ? 2 ** -24 : Math.floor((random() - 0.5) * 4096) / 1024);
  decimals.push(
    i % 11 === 0 ? null : BigInt(Math.floor((random() - 0.5) * 2 ** 50)) * 1000n + BigInt(i),
  );
  lowCard.push([0.5, 1.25, -3, 7][i % 4] as number);
}

describe('parquet read: hyparquet-writer files (page v2, BSS, DELTA, RLE, FLOAT16, BYTE_ARRAY decimals)', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());
  const file = join(tmp.dir, 'encodings.parquet');
  parquetWriteFile({
    filename: file,
    rowGroupSize: GROUP,
    pageSize: 4096,
    columnData: [
      { name: 'dbl', data: doubles, encoding: 'BYTE_STREAM_SPLIT' },
      { name: 'flt', data: Float32Array.from(floats), encoding: 'BYTE_STREAM_SPLIT' },
      { name: 'i64', data: BigInt64Array.from(int64s), encoding: 'DELTA_BINARY_PACKED' },
      { name: 'i32', data: Int32Array.from(int32s), encoding: 'DELTA_BINARY_PACKED' },
      { name: 'bool', data: bools, encoding: 'RLE' },
      { name: 'half', data: halves },
      { name: 'low', data: Float64Array.from(lowCard) },
      { name: 'dec', data: decimals },
    ],
    schema: [
      { name: 'root', num_children: 8 },
      { name: 'dbl', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
      { name: 'flt', type: 'FLOAT', repetition_type: 'REQUIRED' },
      { name: 'i64', type: 'INT64', repetition_type: 'REQUIRED' },
      { name: 'i32', type: 'INT32', repetition_type: 'REQUIRED' },
      { name: 'bool', type: 'BOOLEAN', repetition_type: 'OPTIONAL' },
      {
        name: 'half',
        type: 'FIXED_LEN_BYTE_ARRAY',
        type_length: 2,
        logical_type: { type: 'FLOAT16' },
        repetition_type: 'REQUIRED',
      },
      { name: 'low', type: 'DOUBLE', repetition_type: 'REQUIRED' },
      {
        name: 'dec',
        type: 'BYTE_ARRAY',
        converted_type: 'DECIMAL',
        precision: 20,
        scale: 3,
        logical_type: { type: 'DECIMAL', precision: 20, scale: 3 },
        repetition_type: 'OPTIONAL',
      },
    ],
  });
  const names = ['dbl', 'flt', 'i64', 'i32', 'bool', 'half', 'low', 'dec'];
  const expected: (number | null)[][] = [
    doubles,
    floats,
    int64s.map((v) => Number(v)),
    int32s,
    bools.map((b) => (b === null ? null : b ? 1 : 0)),
    halves,
    lowCard,
    decimals.map((d) => (d === null ? null : Number(d) / 1000)),
  ];

  function check(batch: ColumnBatch, from: number): void {
    batch.columns.forEach((col, j) => {
      const want = expected[j] as (number | null)[];
      const mask = batch.nulls[j];
      for (let i = 0; i < batch.rows; i++) {
        const e = want[from + i];
        const isNull = mask?.[i] === 1;
        if (e === null || e === undefined) {
          if (!isNull)
            throw new Error(`${names[j]} row ${from + i}: expected null, read ${col[i]}`);
        } else if (isNull || !Object.is(col[i], e)) {
          throw new Error(
            `${names[j]} row ${from + i}: expected ${e}, read ${isNull ? 'null' : col[i]}`,
          );
        }
      }
    });
  }

  it('describes the types', async () => {
    const shard = await parquetFormat.describe(file);
    expect(shard.info.rows).toBe(N);
    expect(shard.units.map((u) => u.rowEnd - u.rowStart)).toEqual([3000, 3000, 3000, 1000]);
    expect(shard.columns.map((c) => [c.name, c.sourceType, c.numeric, c.nullable])).toEqual([
      ['dbl', 'DOUBLE', true, true],
      ['flt', 'FLOAT', true, false],
      ['i64', 'INT64', true, false],
      ['i32', 'INT32', true, false],
      ['bool', 'BOOLEAN', true, true],
      ['half', 'FLOAT16', true, false],
      ['low', 'DOUBLE', true, false],
      ['dec', 'DECIMAL(20,3)', true, true],
    ]);
  });

  it('reads every value of every unit exactly, in batches that cross pages', async () => {
    const shard = await parquetFormat.describe(file);
    let row = 0;
    for (const [index, u] of shard.units.entries()) {
      for await (const batch of parquetFormat.read({ ...u, index }, names, { batchRows: 1024 })) {
        expect(batch.rows).toBeLessThanOrEqual(1024);
        check(batch, row);
        row += batch.rows;
      }
    }
    expect(row).toBe(N);
  });

  it('reads a row range inside a row group through the offset index', async () => {
    const shard = await parquetFormat.describe(file);
    const first = shard.units[1] as Omit<WorkUnit, 'index'>;
    const unit: WorkUnit = { ...first, index: 0, rowStart: 1234, rowEnd: 2345, label: 'piece' };
    let row = GROUP + 1234;
    for await (const batch of parquetFormat.read(unit, names, { batchRows: 500 })) {
      check(batch, row);
      row += batch.rows;
    }
    expect(row).toBe(GROUP + 2345);

    // The piece fetched only the pages covering its rows, not the whole chunk.
    const bytes = await LocalBytes.open(file);
    try {
      const meta = await fileMeta(bytes);
      const chunk = meta.metadata.row_groups[1]?.columns[0];
      if (chunk?.meta_data === undefined) throw new Error('no chunk');
      const fetched = await fetchChunk(bytes, chunk, 1234, 2345, GROUP, 'dbl', 'row group 1');
      const total = fetched.segments.reduce((s, b) => s + b.length, 0);
      expect(fetched.firstRow).toBeGreaterThan(0);
      expect(fetched.firstRow).toBeLessThanOrEqual(1234);
      expect(total).toBeLessThan(Number(chunk.meta_data.total_compressed_size));
    } finally {
      await bytes.close();
    }
    expect(statSync(file).size).toBeGreaterThan(0);
  });
});
