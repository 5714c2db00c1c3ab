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
import { planInputs, readUnit } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../../../packages/core/src/engine/pool.js';
import { fitSgd } from '../../../../packages/core/src/engine/sgd/fit-sgd.js';
import { poolSgdRunner } from '../../../../packages/core/src/engine/sgd/pool-runner.js';
import type { SgdTaskMessage } from '../../../../packages/core/src/engine/sgd/protocol.js';
import type { SgdFit } from '../../../../packages/core/src/engine/sgd/sgd-result.js';
import { createSgdEpochTask } from '../../../../packages/core/src/engine/sgd/task.js';
import { createRandom, nextGaussian } from '../../../../packages/core/src/numerics/sgd/index.js';

const taskFile = fileURLToPath(
  new URL('../../../../packages/core/dist/engine/sgd/task.js', import.meta.url),
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

async function fitWith(
  run: (m: SgdTaskMessage, o: { signal: AbortSignal }) => Promise<unknown>,
): Promise<SgdFit> {
  // Small CSV chunks: several units per file.
  const plan = await planInputs([dir], { csvChunkBytes: 16_384 });
  expect(plan.units.length).toBeGreaterThan(3);
  const runner = poolSgdRunner(run, { units: plan.units, design, missing: 'drop', batchRows: 100 });
  return fitSgd(runner, { p: 3, batchSize: 8, epochs: 8, tol: 0, seed: 2 });
}

describe('SGD through piscina workers', () => {
  it('1 and 2 workers give the bits of the in-thread task', async () => {
    expect(existsSync(taskFile), `${taskFile} is missing: run npx tsc -b packages/core`).toBe(true);
    const inThread = createSgdEpochTask(readUnit);
    const reference = await fitWith((m) => inThread(m));
    expect(reference.rows.dropped).toBe(15);
    for (const threads of [1, 2]) {
      // The engine's pool, pointed at the SGD task module (the engine's worker re-exports it too).
      const pool = createPool({ workers: threads, workerFile: taskFile });
      try {
        const fit = await fitWith((m, o) =>
          pool.run(m as never, { name: 'sgdEpochTask', signal: o.signal }),
        );
        expect(Array.from(fit.coefficients)).toEqual(Array.from(reference.coefficients));
        expect(fit.history).toEqual(reference.history);
      } finally {
        await pool.destroy();
      }
    }
    // Small units (~200 rows, 25 steps each) make slow epochs; the answer is still the exact one.
    expect(reference.exact?.relativeError).toBeLessThan(1e-5);
  });
});
