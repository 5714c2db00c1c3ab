/**
 * Pass-through reading (raw.ts): CSV fields come out as their text, Arrow and
 * Parquet values as stored; the canonical CSV text of dates, timestamps and
 * decimals; writers round-trip raw columns (see docs/predict-output.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ColumnBatch, openWriter, planInputs, readUnit } from '@linreg/io';
import { afterAll, describe, expect, it } from 'vitest';
import { dateText, decimalText, timestampText } from '../../packages/io/src/raw.js';
import { tempDir } from './support/duckdb.js';

const { dir, cleanup } = tempDir('linreg-raw-keys-');
afterAll(cleanup);

async function readRaw(file: string, columns: string[]): Promise<ColumnBatch[]> {
  const plan = await planInputs([file]);
  const out: ColumnBatch[] = [];
  for (const unit of plan.units) {
    for await (const b of readUnit(unit, columns, {
      batchRows: 2,
      rawAt: columns.map(() => true),
    })) {
      out.push(b);
    }
  }
  return out;
}

describe('canonical text', () => {
  it('dates, timestamps and decimals', () => {
    expect(dateText(0)).toBe('1970-01-01');
    expect(dateText(-1)).toBe('1969-12-31');
    expect(dateText(19723)).toBe('2024-01-01');
    expect(timestampText(-1n, 'us', false)).toBe('1969-12-31T23:59:59.999999');
    expect(timestampText(1704067200123n, 'ms', true)).toBe('2024-01-01T00:00:00.123Z');
    expect(timestampText(5n, 's', false)).toBe('1970-01-01T00:00:05');
    expect(decimalText('-5', 2)).toBe('-0.05');
    expect(decimalText('12345', 2)).toBe('123.45');
    expect(decimalText('0', 3)).toBe('0.000');
  });
});

describe('CSV input: the field text passes through', () => {
  it('keeps 2^53 + 1, leading zeros and text, nulls as nulls, across batches', async () => {
    const file = join(dir, 'in.csv');
    writeFileSync(file, 'id,code,x\n9007199254740993,007,1\n9007199254740995,"a,b",2\n,NA,3\n');
    const batches = await readRaw(file, ['id', 'code']);
    const out = join(dir, 'out.csv');
    const writer = await openWriter(out, ['id', 'code']);
    for (const b of batches) await writer.write(b);
    await writer.close();
    expect(readFileSync(out, 'utf8')).toBe(
      'id,code\n9007199254740993,007\n9007199254740995,"a,b"\n,\n',
    );
  });

  it('the same name can be read as a number and raw in one call', async () => {
    const file = join(dir, 'both.csv');
    writeFileSync(file, 'id,x\n9007199254740993,1.5\n');
    const plan = await planInputs([file]);
    const unit = plan.units[0];
    if (unit === undefined) throw new Error('no unit');
    for await (const b of readUnit(unit, ['x', 'x', 'id'], {
      batchRows: 10,
      rawAt: [false, true, true],
    })) {
      expect(b.columns[0]?.[0]).toBe(1.5);
      expect(b.raw?.[0]).toBeNull();
      expect(b.raw?.[1]?.type.kind).toBe('utf8');
      expect(b.raw?.[2]?.length).toBe(1);
    }
  });
});

describe('writers', () => {
  it('a raw column of another type in a later batch is refused, naming both types', async () => {
    const out = join(dir, 'mixed.csv');
    const writer = await openWriter(out, ['k']);
    const empty = new Float64Array(0);
    await writer.write({
      rows: 1,
      names: ['k'],
      columns: [empty],
      nulls: [null],
      raw: [
        {
          type: { kind: 'int', bits: 64, signed: true },
          length: 1,
          nulls: null,
          bigints: BigInt64Array.of(1n),
        },
      ],
    });
    await expect(
      writer.write({
        rows: 1,
        names: ['k'],
        columns: [empty],
        nulls: [null],
        raw: [
          {
            type: { kind: 'int', bits: 32, signed: true },
            length: 1,
            nulls: null,
            numbers: Float64Array.of(1),
          },
        ],
      }),
    ).rejects.toThrow(/int32 in one input and int64/);
  });
});
