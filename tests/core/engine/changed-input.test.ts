/**
 * A file that changes while it is read (truncated, rewritten) gave rows that
 * are not the data's: after each pass the files' sizes and modification
 * times are checked against the plan's, and a change is a one-line IoError
 * naming the file — never a fit of half the rows with exit 0.
 */
import { appendFileSync, truncateSync, utimesSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fit as fitFiles } from '@linreg/core';
import { IoError } from '@linreg/errors';
import { generateDataset } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild, tempDir } from '../../e2e/cli-harness.js';

let dir = '';

beforeAll(async () => {
  requireBuild();
  dir = await tempDir('changed-input-');
});

afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

async function dataset(name: string): Promise<string> {
  const d = join(dir, name);
  await generateDataset({ dir: d, rows: 4000, cols: 2, shards: 2, format: 'csv', seed: 5 });
  return d;
}

describe('a file changed during the run', () => {
  it.each([
    ['truncated', (file: string) => truncateSync(file, 100)],
    ['appended to', (file: string) => appendFileSync(file, '1,2,3\n')],
    [
      'touched (same size, new mtime)',
      (file: string) => utimesSync(file, new Date(), new Date(Date.now() + 5000)),
    ],
  ])('%s during the read pass is an IoError naming it', async (_what, change) => {
    const d = await dataset(`d-${_what.split(' ')[0]}`);
    const file = join(d, 'part-00001.csv');
    let done = false;
    const run = fitFiles(
      { inputs: [d], target: 'y', workers: 1 },
      {
        onProgress: (p) => {
          if (!done && p.phase === 'read' && p.unitsDone >= 1) {
            done = true;
            change(file);
          }
        },
      },
    );
    await expect(run).rejects.toBeInstanceOf(IoError);
    // A truncation can also meet a unit still being read (it is in flight beside the
    // first): the reader then names the file's early end instead of the check after the pass.
    const message = (await run.catch((error: unknown) => error)) as Error;
    expect(message.message.startsWith(`${file}: `)).toBe(true);
    const changed = 'the file changed while linreg was reading it';
    if (_what === 'truncated') {
      expect(message.message).toMatch(new RegExp(`${changed}|file ended \\d+ bytes early`));
    } else {
      expect(message.message).toContain(changed);
    }
  });

  it('a file left alone passes every pass (refinement and the residual pass included)', async () => {
    const d = await dataset('still');
    const { model, stats } = await fitFiles({
      inputs: [d],
      target: 'y',
      refine: 'on',
      se: 'hc3',
      workers: 2,
    });
    expect(model.rows.used).toBe(4000);
    expect(stats.passes).toBeGreaterThanOrEqual(3);
  });
});
