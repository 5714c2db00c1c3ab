/**
 * ReadOptions.reuseBatches: a reader may write later batches into the arrays
 * of earlier ones (the caller is done with a batch when it asks for the next).
 * Parquet's fast path then recycles each column's array through the unit and
 * from unit to unit; every batch must still hold exactly the rows a fresh read
 * gives, nulls included.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inArena } from '../../packages/io/src/parquet/fast-path/wasm-arena.js';
import { parquetFormat } from '../../packages/io/src/parquet/index.js';
import type { WorkUnit } from '../../packages/io/src/types.js';
import { parquetWriteFile } from './support/parquet-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'linreg-reuse-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows = 5000;
const file = join(dir, 'reuse.parquet');
const x = Array.from({ length: rows }, (_, i) => Math.sin(i) * 1000);
const y = Array.from({ length: rows }, (_, i) => (i % 11 === 0 ? null : i * 0.5));
parquetWriteFile({
  filename: file,
  rowGroupSize: 2000,
  pageSize: 4096,
  columnData: [
    { name: 'x', data: x, type: 'DOUBLE' },
    { name: 'y', data: y, type: 'DOUBLE' },
  ],
});

/** Every batch of every unit, copied at the time it is yielded, and the arrays as yielded. */
async function readBatches(reuseBatches: boolean) {
  const shard = await parquetFormat.describe(file);
  const copies: { values: number[][]; nulls: (number[] | null)[] }[] = [];
  const arrays: Float64Array[][] = [];
  for (const [index, u] of shard.units.entries()) {
    const unit: WorkUnit = { ...u, index };
    for await (const batch of parquetFormat.read(unit, ['x', 'y'], {
      batchRows: 700,
      reuseBatches,
    })) {
      copies.push({
        values: batch.columns.map((c) => Array.from(c)),
        nulls: batch.nulls.map((m) => (m == null ? null : Array.from(m))),
      });
      arrays.push([...batch.columns]);
    }
  }
  return { copies, arrays };
}

describe('parquet reuseBatches', () => {
  it('gives the same batches as fresh arrays, written into recycled ones', async () => {
    const fresh = await readBatches(false);
    const reused = await readBatches(true);
    expect(reused.copies).toEqual(fresh.copies);
    const flat = reused.copies.flatMap((b) => b.values[0] as number[]);
    expect(flat).toEqual(x);
    // Within a unit (2000 rows, batches of 700) later batches reuse the first one's memory.
    const [first, second] = reused.arrays;
    expect(second?.[0]?.buffer).toBe(first?.[0]?.buffer);
    expect(fresh.arrays[1]?.[0]?.buffer).not.toBe(fresh.arrays[0]?.[0]?.buffer);
    // Recycled arrays live in the snappy decoder's memory (pages decode into them in place);
    // fresh ones are the caller's own.
    expect(reused.arrays.every((b) => b.every((c) => inArena(new Uint8Array(c.buffer))))).toBe(
      true,
    );
    expect(fresh.arrays.some((b) => b.some((c) => inArena(new Uint8Array(c.buffer))))).toBe(false);
  });
});
