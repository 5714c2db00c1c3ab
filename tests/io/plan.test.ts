import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDataset, planInputs } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'linreg-plan-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

beforeAll(async () => {
  for (const format of ['csv', 'arrow', 'parquet'] as const) {
    await generateDataset({
      dir: join(dir, format),
      rows: 2500,
      cols: 3,
      shards: 2,
      format,
      seed: 5,
      rowGroupRows: 500,
    });
  }
});

describe('planInputs', () => {
  it('is deterministic: the same files give the same units however they are named', async () => {
    const byDir = await planInputs([dir], { csvChunkBytes: 8192 });
    const again = await planInputs([dir], { csvChunkBytes: 8192 });
    expect(again).toEqual(byDir);
    const byGlob = await planInputs([join(dir, '*/part-*')], { csvChunkBytes: 8192 });
    expect(byGlob).toEqual(byDir);
    const byList = await planInputs(
      byDir.shards.map((s) => s.file),
      { csvChunkBytes: 8192 },
    );
    expect(byList).toEqual(byDir);
  });

  it('numbers units in file order, then part order, with one unit per row group / record batch / byte range', async () => {
    const plan = await planInputs([dir], { csvChunkBytes: 8192 });
    expect(plan.units.map((u) => u.index)).toEqual(plan.units.map((_, i) => i));
    const files = plan.shards.map((s) => s.file);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
      'arrow/part-00000.arrow',
      'arrow/part-00001.arrow',
      'csv/part-00000.csv',
      'csv/part-00001.csv',
      'parquet/part-00000.parquet',
      'parquet/part-00001.parquet',
    ]);
    const fileOrder = plan.units.map((u) => files.indexOf(u.file));
    expect(fileOrder).toEqual([...fileOrder].sort((a, b) => a - b));
    const arrow = plan.units.filter((u) => u.format === 'arrow');
    expect(arrow.map((u) => [u.part, u.rowEstimate])).toEqual([
      [0, 500],
      [1, 500],
      [2, 250],
      [0, 500],
      [1, 500],
      [2, 250],
    ]);
    const csv = plan.units.filter((u) => u.format === 'csv');
    expect(csv.length).toBeGreaterThan(4);
    for (const shard of plan.shards.filter((s) => s.format === 'csv')) {
      const ranges = csv.filter((u) => u.file === shard.file);
      // Ranges tile the data part of the file without gaps or overlaps.
      ranges.slice(1).forEach((u, k) => {
        expect(u.byteStart).toBe(ranges[k]?.byteEnd);
      });
      expect(ranges.at(-1)?.byteEnd).toBe(shard.bytes);
      expect(ranges.reduce((n, u) => n + u.rowEstimate, 0)).toBe(1250);
    }
    expect(plan.columns.map((c) => c.name)).toEqual(['x0', 'x1', 'x2', 'y']);
  });

  it('keeps the plan independent of unrelated options and changes CSV units only with their size', async () => {
    const a = await planInputs([join(dir, 'csv')]);
    const b = await planInputs([join(dir, 'csv')], { format: 'csv' });
    expect(b).toEqual(a);
    expect(a.units).toHaveLength(2);
    const small = await planInputs([join(dir, 'csv')], { csvChunkBytes: 4096 });
    expect(small.units.length).toBeGreaterThan(a.units.length);
  });
});
