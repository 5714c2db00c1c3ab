/**
 * The three kinds of source feed the same passes: a fit of the same rows split
 * into the same units gives the same bits whether they come from Parquet files
 * through the pool, from memory in this thread, or (one unit) from an Arrow
 * stream — and a source read once refuses what needs a second read.
 */
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fit as fitLinreg, type MemoryBatch, memorySource } from '@linreg/core';
import { generateDataset, openWriter, planInputs, readUnit } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAll, requireBuild, tempDir } from '../../../e2e/cli-harness.js';

const NAMES = ['x0', 'x1', 'x2', 'y'];
let root = '';
let data = '';
/** The files' rows, one memory batch per row group, in plan order. */
let batches: MemoryBatch[] = [];

beforeAll(async () => {
  requireBuild();
  root = await tempDir('sources');
  data = join(root, 'data');
  await generateDataset({
    dir: data,
    rows: 3000,
    cols: 3,
    shards: 2,
    format: 'parquet',
    seed: 21,
    rowGroupRows: 400,
  });
  const plan = await planInputs([data]);
  batches = [];
  for (const unit of plan.units) {
    const columns = NAMES.map(() => [] as number[]);
    for await (const b of readUnit(unit, NAMES, { batchRows: 1000 })) {
      b.columns.forEach((c, j) => {
        columns[j]?.push(...c.subarray(0, b.rows));
      });
    }
    batches.push(Object.fromEntries(NAMES.map((n, j) => [n, Float64Array.from(columns[j] ?? [])])));
  }
});
afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

const bits = (values: readonly number[]): string[] =>
  values.map((v) => Buffer.from(new Float64Array([v]).buffer).toString('hex'));

describe('data sources', () => {
  for (const solver of ['qr', 'normal', 'sgd'] as const) {
    it(`${solver}: files through 2 workers and memory in this thread give the same bits`, async () => {
      // Refinement (a second pass) for the exact solvers; epochs and a seed for sgd.
      const spec =
        solver === 'sgd'
          ? { target: 'y', solver, epochs: 5, seed: 1 }
          : { target: 'y', solver, refine: 'on' as const };
      const files = await fitLinreg({ ...spec, inputs: [data], workers: 2 });
      const source = memorySource(batches);
      const memory = await fitLinreg(spec, { source });
      expect(files.stats.workers).toBe(2);
      expect(memory.stats.workers).toBe(0);
      expect(memory.stats.units).toBe(files.stats.units);
      expect(memory.stats.rowsRead).toBe(3000);
      const estimates = (r: typeof files) => r.model.coefficients.map((c) => c.estimate);
      expect(bits(estimates(memory))).toEqual(bits(estimates(files)));
      expect(memory.model.statistics.rss).toBe(files.model.statistics.rss);
    });
  }

  it('a stream is read once: one unit in this thread, no refinement pass, no sgd', async () => {
    const all = await readAll([data], NAMES);
    const file = join(root, 'all.arrows');
    const writer = await openWriter(file, NAMES, { format: 'arrow' });
    await writer.write({ rows: 3000, names: NAMES, columns: all, nulls: NAMES.map(() => null) });
    await writer.close();
    const streamed = await fitLinreg(
      { inputs: ['-'], target: 'y', refine: 'on' },
      { stdin: createReadStream(file) },
    );
    expect(streamed.stats).toMatchObject({ units: 1, workers: 0, rowsRead: 3000, passes: 1 });
    expect(streamed.model.warnings.join('\n')).toMatch(/refinement skipped: .*read only once/);
    const one = await fitLinreg(
      { target: 'y' },
      {
        source: memorySource([
          Object.fromEntries(NAMES.map((n, j) => [n, all[j] as Float64Array])),
        ]),
      },
    );
    expect(bits(streamed.model.coefficients.map((c) => c.estimate))).toEqual(
      bits(one.model.coefficients.map((c) => c.estimate)),
    );
    await expect(
      fitLinreg({ inputs: ['-'], target: 'y', solver: 'sgd' }, { stdin: createReadStream(file) }),
    ).rejects.toThrow(/stdin can be read only once/);
  });

  it('memory columns of different lengths, or a missing column, are refused naming them', async () => {
    expect(() =>
      memorySource([{ x: new Float64Array(3), y: new Float64Array(4) }], 'rows.js'),
    ).toThrow(/rows\.js: batch 0: columns have different lengths \(3, 4\)/);
    const source = memorySource([
      { x: new Float64Array([1, 2, 3]), y: new Float64Array([1, 2, 4]) },
    ]);
    await expect(fitLinreg({ target: 'y', features: ['z'] }, { source })).rejects.toThrow(/z/);
  });

  it('needs inputs unless a source is given', async () => {
    await expect(fitLinreg({ target: 'y' })).rejects.toThrow(/inputs/);
  });
});
