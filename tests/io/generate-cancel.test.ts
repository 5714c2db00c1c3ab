/**
 * `generateDataset` under a cancelled signal (linreg gen and SIGINT): it
 * stops between blocks, removes every shard it wrote and the one it was
 * writing, and throws CancelledError — never a smaller data set left behind.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancelledError } from '@linreg/errors';
import { generateDataset } from '@linreg/io';
import { afterAll, describe, expect, it } from 'vitest';

const root = mkdtempSync(join(tmpdir(), 'linreg-gen-cancel-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('generateDataset cancelled', () => {
  it.each(['parquet', 'csv'] as const)('leaves no file behind (%s)', async (format) => {
    const dir = join(root, format);
    const controller = new AbortController();
    let blocks = 0;
    // Abort once a few blocks are written: the first shard is complete by then.
    const timer = setInterval(() => {
      blocks += 1;
      if (blocks === 3) controller.abort('SIGINT');
    }, 1);
    try {
      await expect(
        generateDataset({
          dir,
          rows: 400_000,
          cols: 4,
          shards: 8,
          format,
          seed: 1,
          rowGroupRows: 5000,
          signal: controller.signal,
        }),
      ).rejects.toBeInstanceOf(CancelledError);
    } finally {
      clearInterval(timer);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an already aborted signal writes nothing', async () => {
    const dir = join(root, 'early');
    const controller = new AbortController();
    controller.abort();
    await expect(
      generateDataset({
        dir,
        rows: 1000,
        cols: 2,
        shards: 2,
        format: 'csv',
        seed: 1,
        signal: controller.signal,
      }),
    ).rejects.toBeInstanceOf(CancelledError);
    expect(readdirSync(dir)).toEqual([]);
  });
});
