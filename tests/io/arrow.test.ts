import { mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Plan, WorkUnit } from '@linreg/io';
import {
  type ColumnBatch,
  IoError,
  openStream,
  planInputs,
  readStream,
  readUnit,
} from '@linreg/io';
import {
  Bool,
  type Data,
  Decimal,
  Float16,
  Float64,
  Int64,
  makeData,
  makeVector,
  RecordBatch,
  Table,
  tableToIPC,
  Uint64,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'linreg-arrow-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Rows 0..n-1 of every numeric type, with nulls, NaN and 64-bit values beyond 2^53. */
function makeBatch(offset: number, n: number): RecordBatch {
  const f64 = Array.from({ length: n }, (_, i) =>
    i % 5 === 1 ? null : i % 7 === 3 ? Number.NaN : offset + i + 0.5,
  );
  const big = BigInt64Array.from(
    { length: n },
    (_, i) => 2n ** 56n * BigInt(offset + i - 30) + 987654321987n * BigInt(i) + 1n,
  );
  const ubig = BigUint64Array.from({ length: n }, (_, i) => 2n ** 63n + BigInt(offset + i));
  // Decimal(scale 2): unscaled value (offset + i) * 125 - 1000, as 128-bit two's complement.
  const dec = new Uint32Array(4 * n);
  for (let i = 0; i < n; i += 1) {
    const v = BigInt.asUintN(128, BigInt((offset + i) * 125 - 1000));
    for (let k = 0; k < 4; k += 1) dec[4 * i + k] = Number((v >> BigInt(32 * k)) & 0xffffffffn);
  }
  const half = Uint16Array.from(
    { length: n },
    (_, i) => [0x3c00, 0xc000, 0x7c00, 0x0001, 0x3555][i % 5] as number,
  );
  return new RecordBatch({
    f64: vectorFromArray(f64, new Float64()).data[0] as Data,
    f32: makeVector(Float32Array.from({ length: n }, (_, i) => (offset + i) / 4)).data[0] as Data,
    i8: makeVector(Int8Array.from({ length: n }, (_, i) => ((offset + i) % 200) - 100))
      .data[0] as Data,
    u32: makeVector(Uint32Array.from({ length: n }, (_, i) => 4294967295 - i)).data[0] as Data,
    i64: makeVector(makeData({ type: new Int64(), data: big, length: n })).data[0] as Data,
    u64: makeVector(makeData({ type: new Uint64(), data: ubig, length: n })).data[0] as Data,
    bool: vectorFromArray(
      Array.from({ length: n }, (_, i) => i % 3 === 0),
      new Bool(),
    ).data[0] as Data,
    dec: makeVector(makeData({ type: new Decimal(2, 20, 128), data: dec, length: n }))
      .data[0] as Data,
    f16: makeVector(makeData({ type: new Float16(), data: half, length: n })).data[0] as Data,
    name: vectorFromArray(
      Array.from({ length: n }, (_, i) => `row ${i}`),
      new Utf8(),
    ).data[0] as Data,
  });
}

const NUMERIC = ['f64', 'f32', 'i8', 'u32', 'i64', 'u64', 'bool', 'dec', 'f16'];

function expected(offset: number, n: number): { values: number[][]; nulls: number[] } {
  const values = NUMERIC.map(() => [] as number[]);
  const nulls: number[] = [];
  const halves = [1, -2, Number.POSITIVE_INFINITY, 2 ** -24, 0.333251953125];
  for (let i = 0; i < n; i += 1) {
    const row = [
      i % 5 === 1 ? 0 : i % 7 === 3 ? Number.NaN : offset + i + 0.5,
      (offset + i) / 4,
      ((offset + i) % 200) - 100,
      4294967295 - i,
      Number(2n ** 56n * BigInt(offset + i - 30) + 987654321987n * BigInt(i) + 1n),
      Number(2n ** 63n + BigInt(offset + i)),
      i % 3 === 0 ? 1 : 0,
      ((offset + i) * 125 - 1000) / 100,
      halves[i % 5] as number,
    ];
    row.forEach((v, j) => {
      values[j]?.push(v);
    });
    nulls.push(i % 5 === 1 ? 1 : 0);
  }
  return { values, nulls };
}

function gather(batches: readonly ColumnBatch[]): { values: number[][]; nulls: number[] } {
  const values = NUMERIC.map(() => [] as number[]);
  const nulls: number[] = [];
  for (const b of batches) {
    for (let i = 0; i < b.rows; i += 1) {
      NUMERIC.forEach((_, j) => {
        // A null slot's value is unspecified; compare 0 there.
        const isNull = b.nulls[j]?.[i] === 1;
        values[j]?.push(isNull ? 0 : (b.columns[j]?.[i] as number));
      });
      nulls.push(b.nulls[0]?.[i] ?? 0);
    }
  }
  return { values, nulls };
}

function writeTable(name: string, batches: RecordBatch[], format: 'file' | 'stream'): string {
  const file = join(dir, name);
  writeFileSync(file, tableToIPC(new Table(batches), format));
  return file;
}

describe('Arrow IPC', () => {
  it('plans one unit per record batch with exact row counts and reads every numeric type', async () => {
    const file = writeTable('types.arrow', [makeBatch(0, 37), makeBatch(37, 20)], 'file');
    const plan = await planInputs([file]);
    expect(plan.units.map((u) => [u.part, u.rowEstimate])).toEqual([
      [0, 37],
      [1, 20],
    ]);
    expect(plan.shards[0]?.rows).toBe(57);
    expect(plan.shards[0]?.rowsExact).toBe(true);
    expect(plan.columns.find((c) => c.name === 'name')?.numeric).toBe(false);
    expect(plan.columns.filter((c) => c.numeric).map((c) => c.name)).toEqual(NUMERIC);
    const batches: ColumnBatch[] = [];
    for (const unit of plan.units) {
      for await (const b of readUnit(unit, NUMERIC, { batchRows: 16 })) {
        expect(b.rows).toBeLessThanOrEqual(16);
        batches.push(b);
      }
    }
    const got = gather(batches);
    const want0 = expected(0, 37);
    const want1 = expected(37, 20);
    expect(got.nulls).toEqual([...want0.nulls, ...want1.nulls]);
    NUMERIC.forEach((name, j) => {
      expect({ name, v: got.values[j] }).toEqual({
        name,
        v: [...(want0.values[j] ?? []), ...(want1.values[j] ?? [])],
      });
    });
  });

  it('reads a stream file as one unit, and a stream from a byte source', async () => {
    const file = writeTable('s.arrows', [makeBatch(0, 10), makeBatch(10, 10)], 'stream');
    const plan = await planInputs([file]);
    expect(plan.units).toHaveLength(1);
    const fromFile: ColumnBatch[] = [];
    for await (const b of readUnit(firstUnit(plan), NUMERIC, { batchRows: 1000 })) fromFile.push(b);
    const want = expected(0, 10);
    const want2 = expected(10, 10);
    expect(gather(fromFile).values[4]).toEqual([
      ...(want.values[4] ?? []),
      ...(want2.values[4] ?? []),
    ]);

    const bytes = tableToIPC(new Table([makeBatch(0, 10), makeBatch(10, 10)]), 'stream');
    const fromStdin: ColumnBatch[] = [];
    for await (const b of readStream(
      Readable.from([bytes.subarray(0, 100), bytes.subarray(100)]),
      NUMERIC,
      { batchRows: 3 },
    )) {
      fromStdin.push(b);
    }
    expect(gather(fromStdin)).toEqual(gather(fromFile));
    const opened = await openStream(Readable.from([bytes]));
    expect(opened.columns.map((c) => c.name)).toContain('dec');
  });

  it('returns Float64 columns without copying', async () => {
    const file = writeTable(
      'zero.arrow',
      [new RecordBatch({ a: makeVector(new Float64Array([1, 2, 3, 4])).data[0] as Data })],
      'file',
    );
    const plan = await planInputs([file]);
    const batches: ColumnBatch[] = [];
    for await (const b of readUnit(firstUnit(plan), ['a'], { batchRows: 2 })) batches.push(b);
    expect(batches.map((b) => Array.from(b.columns[0] ?? []))).toEqual([
      [1, 2],
      [3, 4],
    ]);
    // Both slices view one underlying buffer: zero-copy.
    expect(batches[0]?.columns[0]?.buffer).toBe(batches[1]?.columns[0]?.buffer);
  });

  it('rejects a non-numeric column with an IoError naming file and column', async () => {
    const file = writeTable('text.arrow', [makeBatch(0, 3)], 'file');
    const plan = await planInputs([file]);
    const error = await (async () => {
      for await (const _ of readUnit(firstUnit(plan), ['name'], { batchRows: 10 })) void _;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IoError);
    expect((error as IoError).file).toBe(file);
    expect((error as IoError).column).toBe('name');
  });
});

function firstUnit(plan: Plan): WorkUnit {
  const unit = plan.units[0];
  if (unit === undefined) throw new Error('the plan has no units');
  return unit;
}
