import { mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DataFormat, generateDataset, planInputs, readUnit, Xoshiro128 } from '@linreg/io';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'linreg-gen-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Every value of every column (nulls as null), row-major. */
async function rowsOf(
  files: readonly string[],
  names: readonly string[],
): Promise<(number | null)[][]> {
  const plan = await planInputs(files);
  const rows: (number | null)[][] = [];
  for (const unit of plan.units) {
    for await (const b of readUnit(unit, names, { batchRows: 4096 })) {
      for (let i = 0; i < b.rows; i += 1) {
        rows.push(
          names.map((_, j) => (b.nulls[j]?.[i] === 1 ? null : (b.columns[j]?.[i] as number))),
        );
      }
    }
  }
  return rows;
}

describe('generateDataset', () => {
  it('is reproducible by seed, byte for byte', async () => {
    const a = await generateDataset({
      dir: join(dir, 'a'),
      rows: 500,
      cols: 4,
      shards: 2,
      format: 'csv',
      seed: 11,
    });
    const b = await generateDataset({
      dir: join(dir, 'b'),
      rows: 500,
      cols: 4,
      shards: 2,
      format: 'csv',
      seed: 11,
    });
    const c = await generateDataset({
      dir: join(dir, 'c'),
      rows: 500,
      cols: 4,
      shards: 2,
      format: 'csv',
      seed: 12,
    });
    expect(a.files.map((f) => readFileSync(f))).toEqual(b.files.map((f) => readFileSync(f)));
    expect(readFileSync(a.files[0] as string)).not.toEqual(readFileSync(c.files[0] as string));
    expect(a.coefficients).toEqual(b.coefficients);
    expect(a.names).toEqual(['x0', 'x1', 'x2', 'x3', 'y']);
  });

  it('gives the same rows for any shard count and format', async () => {
    const base = { rows: 1234, cols: 3, seed: 99, missing: 0.05, rowGroupRows: 200 };
    const reference = await generateDataset({
      ...base,
      dir: join(dir, 'ref'),
      shards: 1,
      format: 'parquet',
    });
    const want = await rowsOf(reference.files, reference.names);
    expect(want).toHaveLength(1234);
    for (const [format, shards] of [
      ['csv', 5],
      ['arrow', 3],
      ['parquet', 4],
    ] as [DataFormat, number][]) {
      const g = await generateDataset({
        ...base,
        dir: join(dir, `${format}-${shards}`),
        shards,
        format,
      });
      expect(g.files).toHaveLength(shards);
      expect(await rowsOf(g.files, g.names)).toEqual(want);
    }
  });

  it('satisfies y = b + Xβ exactly without noise, and x_last = x0 + 1 when collinear', async () => {
    const g = await generateDataset({
      dir: join(dir, 'exact'),
      rows: 300,
      cols: 4,
      shards: 1,
      format: 'arrow',
      seed: 3,
      noise: 0,
      collinear: true,
      intercept: -2,
    });
    expect(g.intercept).toBe(-2);
    for (const row of await rowsOf(g.files, g.names)) {
      const [x0, x1, x2, x3, y] = row as number[];
      expect(x3).toBe((x0 as number) + 1);
      // Same summation order as the generator: b, then β_j·x_j for j = 0, 1, ….
      const fit = [x0, x1, x2, x3].reduce(
        (s: number, x, j) => s + (g.coefficients[j] as number) * (x as number),
        -2,
      );
      expect(y).toBe(fit);
    }
  });

  it('makes about the requested fraction of feature cells missing, half null and half NaN, never y', async () => {
    const g = await generateDataset({
      dir: join(dir, 'holes'),
      rows: 4000,
      cols: 2,
      shards: 1,
      format: 'csv',
      seed: 8,
      missing: 0.1,
    });
    const rows = await rowsOf(g.files, g.names);
    const cells = rows.flatMap((r) => r.slice(0, 2));
    const nulls = cells.filter((v) => v === null).length / cells.length;
    const nans = cells.filter((v) => Number.isNaN(v)).length / cells.length;
    expect(nulls).toBeGreaterThan(0.04);
    expect(nulls).toBeLessThan(0.06);
    expect(nans).toBeGreaterThan(0.04);
    expect(nans).toBeLessThan(0.06);
    expect(rows.every((r) => typeof r[2] === 'number' && !Number.isNaN(r[2]))).toBe(true);
  });

  it('rounds to the requested decimals', async () => {
    const g = await generateDataset({
      dir: join(dir, 'dec'),
      rows: 50,
      cols: 2,
      shards: 1,
      format: 'csv',
      seed: 1,
      decimals: 3,
    });
    const text = readFileSync(g.files[0] as string, 'utf8');
    expect(text.split('\n')[1]).toMatch(/^-?\d+(\.\d{1,3})?,-?\d+(\.\d{1,3})?,-?\d+(\.\d{1,3})?$/);
  });
});

describe('Xoshiro128', () => {
  it('repeats its stream for a seed and draws plausible normals', () => {
    const a = new Xoshiro128(1);
    const b = new Xoshiro128(1);
    const xs = Array.from({ length: 20000 }, () => a.nextGaussian());
    expect(Array.from({ length: 20000 }, () => b.nextGaussian())).toEqual(xs);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    const u = new Xoshiro128(2);
    for (let i = 0; i < 1000; i += 1) {
      const v = u.nextFloat();
      expect(v >= 0 && v < 1).toBe(true);
    }
  });
});
