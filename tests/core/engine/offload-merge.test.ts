/**
 * Merges off the main thread: a TSQR fit whose factor has from
 * OFFLOAD_MERGE_MIN_COLUMNS to OFFLOAD_MERGE_MAX_COLUMNS columns merges its
 * units' states on the pool's workers (run/offload-merge.ts), by the same
 * tree as the main thread, so the bits are those of a fit read in the calling
 * thread; narrower and wider fits, the Gram route and one-worker pools merge
 * on the main thread. A merge that fails is
 * named by the units it spans.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createPool, fit as fitLinreg } from '@linreg/core';
import { CancelledError } from '@linreg/errors';
import { generateDataset, planInputs } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OFFLOAD_MERGE_MAX_COLUMNS,
  OFFLOAD_MERGE_MIN_COLUMNS,
} from '../../../packages/core/src/engine/exact/fit-exact.js';
import { offloadedMerges } from '../../../packages/core/src/engine/run/offload-merge.js';
import type { DataSource } from '../../../packages/core/src/engine/source/data-source.js';
import { planSource } from '../../../packages/core/src/engine/source/file-source.js';
import { requireBuild, tempDir, WORKER_JS } from '../../e2e/cli-harness.js';

const UNITS = 6;
/** Features of the wide data: a factor of p + 2 ≥ OFFLOAD_MERGE_MIN_COLUMNS columns. */
const WIDE = OFFLOAD_MERGE_MIN_COLUMNS;
let root = '';
let wide = '';
let narrow = '';
let widest = '';

const bits = (values: ArrayLike<number>): string =>
  Buffer.from(Float64Array.from(values).buffer).toString('hex');

beforeAll(async () => {
  requireBuild();
  root = await tempDir('offload-merge');
  wide = join(root, 'wide');
  narrow = join(root, 'narrow');
  const common = { shards: 1, format: 'parquet' as const, rowGroupRows: 400, seed: 7 };
  await generateDataset({ ...common, dir: wide, rows: 400 * UNITS, cols: WIDE });
  await generateDataset({ ...common, dir: narrow, rows: 400 * UNITS, cols: 8 });
  // k = p + 2 > OFFLOAD_MERGE_MAX_COLUMNS, full rank in 3 units.
  widest = join(root, 'widest');
  const rows = Math.ceil((OFFLOAD_MERGE_MAX_COLUMNS + 200) / 3);
  await generateDataset({
    ...common,
    dir: widest,
    rows: 3 * rows,
    cols: OFFLOAD_MERGE_MAX_COLUMNS,
    rowGroupRows: rows,
  });
});
afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

/** The fit through a shared pool of `workers` threads, and the tasks the pool ran for it. */
async function pooledFit(dir: string, workers: number, solver: 'qr' | 'normal' = 'qr') {
  const pool = createPool({ workers, workerFile: WORKER_JS });
  try {
    const result = await fitLinreg({ inputs: [dir], target: 'y', solver, refine: 'off' }, { pool });
    return { result, tasks: pool.completed };
  } finally {
    await pool.destroy();
  }
}

async function inThreadFit(dir: string, solver: 'qr' | 'normal' = 'qr') {
  const source = planSource(await planInputs([dir]), { workers: 1, inThread: true });
  try {
    return await fitLinreg({ target: 'y', solver, refine: 'off' }, { source });
  } finally {
    await source.close();
  }
}

const estimates = (r: Awaited<ReturnType<typeof inThreadFit>>): number[] =>
  r.model.coefficients.map((c) => c.estimate);

describe('merges on the pool', () => {
  it('merge a wide TSQR fit on the workers, with the bits of the calling thread', async () => {
    const { result, tasks } = await pooledFit(wide, 2);
    expect(result.stats.units).toBe(UNITS);
    // One task per unit, and the UNITS − 1 merges of the tree.
    expect(tasks).toBe(2 * UNITS - 1);
    const here = await inThreadFit(wide);
    expect(bits(estimates(result))).toBe(bits(estimates(here)));
    expect(bits(result.factor?.r ?? [])).toBe(bits(here.factor?.r ?? []));
    expect(result.model.statistics.rss).toBe(here.model.statistics.rss);
  });

  it('stop with the run when it is cancelled while merges run, and leave the pool usable', async () => {
    const pool = createPool({ workers: 2, workerFile: WORKER_JS });
    try {
      const controller = new AbortController();
      const spec = { inputs: [wide], target: 'y', solver: 'qr' as const, refine: 'off' as const };
      const run = fitLinreg(spec, {
        pool,
        signal: controller.signal,
        // After the second unit the first merge has been sent to the pool.
        onProgress: (p) => {
          if (p.phase === 'read' && p.unitsDone >= 2) controller.abort();
        },
      });
      await expect(run).rejects.toBeInstanceOf(CancelledError);
      const again = await fitLinreg(spec, { pool });
      const here = await inThreadFit(wide);
      expect(bits(estimates(again))).toBe(bits(estimates(here)));
    } finally {
      await pool.destroy();
    }
  });

  it('stay on the main thread for a factor wider than OFFLOAD_MERGE_MAX_COLUMNS', async () => {
    expect((await pooledFit(widest, 2)).tasks).toBe(3);
  }, 60_000);

  it('stay on the main thread for a narrow factor, the Gram route and one worker', async () => {
    expect((await pooledFit(narrow, 2)).tasks).toBe(UNITS);
    expect((await pooledFit(wide, 2, 'normal')).tasks).toBe(UNITS);
    const one = await pooledFit(wide, 1);
    expect(one.tasks).toBe(UNITS);
    expect(bits(estimates(one.result))).toBe(bits(estimates(await inThreadFit(wide))));
  });
});

describe('offloadedMerges', () => {
  const sourceOf = (offload: DataSource['offload'], workers = 2): DataSource => ({
    plan: { shards: [], columns: [], units: [] } as unknown as DataSource['plan'],
    units: [0, 1, 2].map((index) => ({
      index,
      file: 'data.parquet',
      label: `data.parquet row group ${index}`,
      byteStart: 0,
      byteEnd: 0,
      rowEstimate: 10,
    })),
    rereadable: true,
    workers,
    execute: () => Promise.reject(new Error('no units here')),
    offload,
    close: async () => {},
  });

  it('is absent without a pool or with one worker', () => {
    expect(offloadedMerges(sourceOf(undefined), undefined, 'accumulator')).toBeUndefined();
    const oneWorker = sourceOf(async () => ({}) as never, 1);
    expect(offloadedMerges(oneWorker, undefined, 'accumulator')).toBeUndefined();
  });

  it('names the units of a merge that failed in the worker, or whose worker died', async () => {
    const failed = offloadedMerges(
      sourceOf(async (m) => ({
        ok: false,
        unit: m.first,
        error: { name: 'Error', message: 'spec mismatch', registered: false, fields: {} },
      })),
      undefined,
      'accumulator',
    );
    await expect(failed?.merge(new ArrayBuffer(8), new ArrayBuffer(8), 1, 2)).rejects.toThrow(
      'data.parquet: the merge of data.parquet row group 1 to data.parquet row group 2: Error: spec mismatch',
    );
    const died = offloadedMerges(
      sourceOf(() => Promise.reject(new Error('worker exited'))),
      undefined,
      'accumulator',
    );
    await expect(died?.merge(new ArrayBuffer(8), new ArrayBuffer(8), 0, 1)).rejects.toThrow(
      'worker failed: worker exited',
    );
  });
});
