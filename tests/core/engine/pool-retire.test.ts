/**
 * A fit's own pool (leasePool) starts its threads with the first tasks and
 * ends them after RETIRE_IDLE_MS idle, so workers that wait through a wide
 * fit's merges and solve do not keep their decoded row group and module
 * memory; the next pass starts new threads and gets the same answer. A
 * shared pool (createPool) keeps its threads.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPool } from '@linreg/core';
import { generateDataset, type WorkUnit } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leasePool, RETIRE_IDLE_MS } from '../../../packages/core/src/engine/pool-lease.js';
import { openFileSource } from '../../../packages/core/src/engine/source/file-source.js';
import type { TaskMessage, TaskReply } from '../../../packages/core/src/engine/tasks/protocol.js';
import { requireBuild, tempDir } from '../../e2e/cli-harness.js';

let root = '';
let data = '';
beforeAll(async () => {
  requireBuild();
  root = await tempDir('pool-retire');
  data = join(root, 'data');
  await generateDataset({
    dir: data,
    rows: 4000,
    cols: 3,
    shards: 1,
    format: 'parquet',
    seed: 5,
    rowGroupRows: 1000,
  });
});
afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

/** Accumulate messages (the fit's first pass, `qr`) for every unit of the data. */
async function accumulateMessages(): Promise<TaskMessage<string, unknown, WorkUnit>[]> {
  const source = await openFileSource([data], { workers: 2, inThread: false });
  await source.close();
  return (source.plan.units as readonly WorkUnit[]).map((unit) => ({
    kind: 'accumulate',
    unit,
    batchRows: 256,
    args: {
      read: { columns: { features: ['x0', 'x1', 'x2'], target: 'y' }, missing: 'drop' },
      spec: { kind: 'qr', p: 3, intercept: true, weighted: false },
    },
  }));
}

/** The replies' factors, for comparing two passes bit for bit. */
function factors(replies: readonly TaskReply[]): Float64Array[] {
  return replies.map((reply) => {
    if (!reply.ok) throw new Error(`task failed: ${reply.error.message}`);
    return new Float64Array((reply.output as { data: Float64Array }).data);
  });
}

describe("a fit's own pool", () => {
  it('starts threads with its tasks, ends them after RETIRE_IDLE_MS idle, and starts new ones for the next pass', async () => {
    const messages = await accumulateMessages();
    expect(messages.length).toBe(4);
    const lease = leasePool(undefined, 2, messages.length, undefined);
    const run = (m: TaskMessage<string, unknown, WorkUnit>) =>
      lease.run(m, new AbortController().signal);
    try {
      expect(lease.workers).toBe(2);
      expect(lease.threads).toBe(0);
      const first = await Promise.all(messages.map(run));
      expect(lease.threads).toBe(2);
      // Idle, but not yet for RETIRE_IDLE_MS: the threads stay.
      await sleep(RETIRE_IDLE_MS / 4);
      expect(lease.threads).toBe(2);
      await sleep(RETIRE_IDLE_MS + 500);
      expect(lease.threads).toBe(0);
      const second = await Promise.all(messages.map(run));
      expect(lease.threads).toBe(2);
      expect(factors(second)).toEqual(factors(first));
    } finally {
      await lease.release();
    }
  }, 30_000);

  it('leaves a shared pool from createPool() with all its threads while idle', async () => {
    const pool = createPool({ workers: 2 });
    try {
      expect(pool.threads.length).toBe(2);
      await sleep(RETIRE_IDLE_MS + 1_000);
      expect(pool.threads.length).toBe(2);
    } finally {
      await pool.destroy();
    }
  }, 30_000);
});
