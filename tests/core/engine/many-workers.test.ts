/**
 * Many workers: with 2 tasks in flight per worker, `-j 7` and more put more
 * than Node's default 10 abort listeners on a pass's signal; that is by
 * design, so no MaxListenersExceededWarning may be printed.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fit as fitFiles } from '@linreg/core';
import { generateDataset } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild, tempDir } from '../../e2e/cli-harness.js';

let dir = '';

beforeAll(async () => {
  requireBuild();
  dir = await tempDir('many-workers-');
  await generateDataset({
    dir: join(dir, 'd'),
    rows: 20_000,
    cols: 3,
    shards: 16,
    format: 'csv',
    seed: 3,
  });
});

afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

describe('a fit on 7 and 12 workers', () => {
  it('prints no MaxListenersExceededWarning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(`${w.name}: ${w.message}`);
    };
    process.on('warning', onWarning);
    try {
      for (const workers of [7, 12]) {
        const { model } = await fitFiles({
          inputs: [join(dir, 'd')],
          target: 'y',
          workers,
          se: 'hc1',
        });
        expect(model.rows.used).toBe(20_000);
      }
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.includes('MaxListeners'))).toEqual([]);
  });
});
