/**
 * A file source runs a plan of one small unit in the calling thread (a worker
 * thread costs more to start than such a unit costs to read): the same bits
 * as through a worker, `workers: 0` in the statistics; more units, a larger
 * unit, or `inThread: false` still use the pool.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fit as fitLinreg } from '@linreg/core';
import { planInputs } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IN_THREAD_BYTES,
  planSource,
} from '../../../../packages/core/src/engine/source/file-source.js';
import { requireBuild, tempDir, WORKER_JS } from '../../../e2e/cli-harness.js';

let root = '';
let small = '';

const bits = (values: readonly number[]): string[] =>
  values.map((v) => Buffer.from(new Float64Array([v]).buffer).toString('hex'));

beforeAll(async () => {
  requireBuild();
  root = await tempDir('in-thread');
  small = join(root, 'small.csv');
  const lines = ['x1,x2,y'];
  for (let i = 0; i < 200; i += 1) lines.push(`${i % 7},${(i * 13) % 11},${(i * 0.37) % 5}`);
  await writeFile(small, `${lines.join('\n')}\n`);
});
afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

describe('a file source of one small unit', () => {
  it('runs in the calling thread by default, with the bits of a worker', async () => {
    const plan = await planInputs([small]);
    expect(plan.units).toHaveLength(1);
    const inThread = planSource(plan, { workers: 2 });
    const pooled = planSource(plan, { workers: 2, inThread: false, workerFile: WORKER_JS });
    expect(inThread.workers).toBe(0);
    expect(pooled.workers).toBe(1);
    try {
      const spec = { target: 'y', refine: 'on' as const };
      const here = await fitLinreg(spec, { source: inThread });
      const there = await fitLinreg(spec, { source: pooled });
      expect(here.stats.workers).toBe(0);
      expect(there.stats.workers).toBe(1);
      const estimates = (r: typeof here) => r.model.coefficients.map((c) => c.estimate);
      expect(bits(estimates(here))).toEqual(bits(estimates(there)));
      expect(here.model.statistics.rss).toBe(there.model.statistics.rss);
    } finally {
      await inThread.close();
      await pooled.close();
    }
  });

  it('uses the pool for several units, a large unit, or a worker file given', async () => {
    const plan = await planInputs([small]);
    const two = { ...plan, units: [...plan.units, ...plan.units] };
    expect(planSource(two, { workers: 2 }).workers).toBe(2);
    const shard = plan.shards[0];
    if (shard === undefined) throw new Error('no shard');
    const large = { ...plan, shards: [{ ...shard, bytes: IN_THREAD_BYTES + 1 }] };
    expect(planSource(large, { workers: 2 }).workers).toBe(1);
    expect(planSource(plan, { workers: 2, workerFile: WORKER_JS }).workers).toBe(1);
  });
});
