/**
 * `linreg merge` reads each state file's states only when the merge reaches
 * it (DeferredPartial), in unit order and one file at a time, so it holds the
 * merge tree's stack instead of every file's states; the model is bitwise the
 * one of the files read up front, and of `fit`.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { computePartial, fit as fitLinreg, mergePartials } from '@linreg/core';
import { generateDataset } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NamedPartial } from '../../../packages/core/src/engine/rounds/merge.js';
import { requireBuild, tempDir } from '../../e2e/cli-harness.js';

const PARTS = 5;
let root = '';
let data = '';

beforeAll(async () => {
  requireBuild();
  root = await tempDir('merge-deferred');
  data = join(root, 'data');
  await generateDataset({
    dir: data,
    rows: 3300,
    cols: 6,
    shards: 1,
    format: 'parquet',
    seed: 9,
    rowGroupRows: 300,
  });
});
afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

const bits = (values: readonly number[]): string =>
  Buffer.from(Float64Array.from(values).buffer).toString('hex');

describe('merge with deferred states', () => {
  it('reads the files one at a time in unit order and gives the bits of fit', async () => {
    const spec = { inputs: [data], target: 'y', refine: 'off' as const, workers: 2 };
    const files = [];
    for (let i = 0; i < PARTS; i++) {
      files.push(await computePartial(spec, { part: { index: i, count: PARTS } }));
    }
    const log: string[] = [];
    let reading = 0;
    // Handed over in reverse order: the merge orders them by their unit range.
    const deferred: NamedPartial[] = files
      .map((file, i) => ({
        name: `part-${i}.lrstate`,
        file: {
          header: file.header,
          states: async () => {
            reading += 1;
            expect(reading).toBe(1);
            log.push(`read ${i}`);
            await new Promise((resolve) => setTimeout(resolve, 5));
            reading -= 1;
            return file.states;
          },
        },
      }))
      .reverse();
    const merged = await mergePartials(deferred);
    expect(log).toEqual([...Array(PARTS).keys()].map((i) => `read ${i}`));
    const eager = await mergePartials(files.map((file, i) => ({ name: `p${i}`, file })));
    if (!merged.done || !eager.done) throw new Error('the fit needs no further round');
    const whole = await fitLinreg(spec);
    const estimates = (m: typeof whole.model) => m.coefficients.map((c) => c.estimate);
    expect(bits(estimates(merged.result.model))).toBe(bits(estimates(eager.result.model)));
    expect(bits(estimates(merged.result.model))).toBe(bits(estimates(whole.model)));
    expect(merged.result.model.statistics.rss).toBe(whole.model.statistics.rss);
  });
});
