/**
 * Property: whatever hyparquet-writer writes (any length, nulls anywhere, NaN,
 * ±0, infinities, any page and row-group size, PLAIN / BYTE_STREAM_SPLIT /
 * DELTA_BINARY_PACKED, snappy or not), reading it back in any batch size gives
 * the same values and the same nulls. fast-check with a fixed seed.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parquetFormat } from '../../packages/io/src/parquet/index.js';
import { tempDir } from './support/duckdb.js';
import { parquetWriteFile } from './support/parquet-writer.js';

async function readColumn(
  file: string,
  column: string,
  batchRows: number,
): Promise<(number | null)[]> {
  const shard = await parquetFormat.describe(file);
  const out: (number | null)[] = [];
  for (const [index, u] of shard.units.entries()) {
    for await (const b of parquetFormat.read({ ...u, index }, [column], { batchRows })) {
      const values = b.columns[0] as Float64Array;
      const mask = b.nulls[0];
      for (let i = 0; i < b.rows; i++) out.push(mask?.[i] === 1 ? null : (values[i] as number));
    }
  }
  return out;
}

function sameValues(actual: (number | null)[], expected: (number | null)[]): boolean {
  return actual.length === expected.length && actual.every((a, i) => Object.is(a, expected[i]));
}

describe('parquet read property: round trip through hyparquet-writer', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());
  let n = 0;

  const layout = fc.record({
    pageSize: fc.constantFrom(64, 512, 4096, 1 << 20),
    rowGroupSize: fc.integer({ min: 1, max: 2500 }),
    batchRows: fc.integer({ min: 1, max: 3000 }),
    codec: fc.constantFrom('SNAPPY', 'UNCOMPRESSED'),
  });

  it('doubles with nulls, any encoding and layout', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(fc.double(), { freq: 4 }), { maxLength: 2000 }),
        fc.constantFrom('PLAIN', 'BYTE_STREAM_SPLIT'),
        layout,
        async (values, encoding, { pageSize, rowGroupSize, batchRows, codec }) => {
          const file = join(tmp.dir, `d${n++}.parquet`);
          parquetWriteFile({
            filename: file,
            pageSize,
            rowGroupSize,
            codec,
            columnData: [{ name: 'x', data: values, encoding }],
            schema: [
              { name: 'root', num_children: 1 },
              { name: 'x', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
            ],
          });
          expect(sameValues(await readColumn(file, 'x', batchRows), values)).toBe(true);
        },
      ),
      { seed: 424242, numRuns: 30 },
    );
  });

  it('64-bit integers with DELTA_BINARY_PACKED, any layout', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { maxLength: 2000 }),
        fc.boolean(),
        layout,
        async (values, unsigned, { pageSize, rowGroupSize, batchRows, codec }) => {
          const file = join(tmp.dir, `i${n++}.parquet`);
          const stored = unsigned ? values.map((v) => BigInt.asUintN(64, v)) : values;
          parquetWriteFile({
            filename: file,
            pageSize,
            rowGroupSize,
            codec,
            columnData: [{ name: 'k', data: stored, encoding: 'DELTA_BINARY_PACKED' }],
            schema: [
              { name: 'root', num_children: 1 },
              {
                name: 'k',
                type: 'INT64',
                repetition_type: 'REQUIRED',
                ...(unsigned
                  ? { logical_type: { type: 'INTEGER', bitWidth: 64, isSigned: false } }
                  : {}),
              },
            ],
          });
          // The reader rounds each 64-bit integer once to the nearest float64, as Number(bigint) does.
          const expected = stored.map((v) => Number(v));
          expect(sameValues(await readColumn(file, 'k', batchRows), expected)).toBe(true);
        },
      ),
      { seed: 1337, numRuns: 30 },
    );
  });
});
