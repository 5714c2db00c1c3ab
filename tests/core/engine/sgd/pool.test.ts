/**
 * The SGD passes through real piscina worker threads reading real CSV files:
 * 1 and 2 workers give identical bits, equal to the same task run in-thread.
 * Workers load compiled JavaScript: build first (`npx tsc -b packages/core`,
 * which the root `pnpm test` does).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planInputs } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitSgd } from '../../../../packages/core/src/engine/sgd/fit-sgd.js';
import type { SgdFit } from '../../../../packages/core/src/engine/sgd/sgd-result.js';
import { planSource } from '../../../../packages/core/src/engine/source/file-source.js';
import { createRandom, nextGaussian } from '../../../../packages/core/src/numerics/sgd/index.js';
import { sgdSettings } from './sgd-on.js';

const workerFile = fileURLToPath(
  new URL('../../../../packages/core/dist/engine/worker.js', import.meta.url),
);
const design = { features: ['x1', 'x2', 'x3'], target: 'y' };
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'linreg-sgd-pool-'));
  const rng = createRandom(31);
  for (let f = 0; f < 3; f++) {
    const lines = ['x1,x2,x3,y'];
    for (let i = 0; i < 400; i++) {
      const x = [nextGaussian(rng), 3 + nextGaussian(rng), -1 + 2 * nextGaussian(rng)];
      const y = 0.5 + x[0] - 2 * x[1] + 0.25 * x[2] + 0.3 * nextGaussian(rng);
      // An empty field is a null: that row is dropped.
      lines.push(i % 97 === 5 ? `${x[0]},,${x[2]},${y}` : `${x[0]},${x[1]},${x[2]},${y}`);
    }
    await writeFile(join(dir, `part-${f}.csv`), `${lines.join('\n')}\n`);
  }
});

afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

/** `workers` pool threads, or 0: the same tasks in this thread. */
async function fitWith(workers: number): Promise<SgdFit> {
  // Small CSV chunks: several units per file.
  const plan = await planInputs([dir], { csvChunkBytes: 16_384 });
  expect(plan.units.length).toBeGreaterThan(3);
  const source = planSource(plan, { workers, workerFile, inThread: workers === 0 });
  try {
    return await fitSgd(
      { source, batchRows: 100 },
      { columns: design, missing: 'drop' },
      sgdSettings({ p: 3, batchSize: 8, epochs: 8, tol: 0, seed: 2 }),
    );
  } finally {
    await source.close();
  }
}

describe('SGD through piscina workers', () => {
  it('1 and 2 workers give the bits of the in-thread task', async () => {
    expect(existsSync(workerFile), `${workerFile} is missing: run npx tsc -b packages/core`).toBe(
      true,
    );
    const reference = await fitWith(0);
    expect(reference.rows.dropped).toBe(15);
    for (const threads of [1, 2]) {
      const fit = await fitWith(threads);
      expect(Array.from(fit.coefficients)).toEqual(Array.from(reference.coefficients));
      expect(fit.history).toEqual(reference.history);
    }
    // Small units (~200 rows, 25 steps each) make slow epochs; the answer is still the exact one.
    expect(reference.exact?.relativeError).toBeLessThan(1e-5);
  });
});
