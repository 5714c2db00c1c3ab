import { describe, expect, it } from 'vitest';
import type { WorkerPool } from '../../../packages/core/src/engine/pool.js';
import type { WorkerResult, WorkerTask } from '../../../packages/core/src/engine/protocol.js';
import { runUnits } from '../../../packages/core/src/engine/run-units.js';
import { CancelledError, MissingValueError, UnitError } from '../../../packages/core/src/errors.js';

const unit = (index: number) => ({
  index,
  file: `f${index}.parquet`,
  format: 'parquet' as const,
  part: 0,
  byteStart: 0,
  byteEnd: 10,
  rowStart: 0,
  rowEnd: 1,
  rowEstimate: 1,
  label: `f${index}.parquet row group 0`,
});

const task = (index: number): WorkerTask => ({
  kind: 'accumulate',
  unit: unit(index),
  design: { features: ['x'], target: 'y' },
  missing: 'drop',
  batchRows: 10,
  spec: { kind: 'qr', p: 1, intercept: true, weighted: false },
});

/** A fake pool whose tasks finish after a delay chosen per unit (later units may finish first). */
function fakePool(delay: (i: number) => number, outcome?: (i: number) => WorkerResult | Error) {
  let inFlight = 0;
  let maxInFlight = 0;
  const pool = {
    run(t: WorkerTask, opts: { signal: AbortSignal }): Promise<WorkerResult> {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const i = t.unit.index;
      return new Promise((resolve, reject) => {
        const onAbort = (): void => {
          clearTimeout(timer);
          inFlight -= 1;
          reject(new Error('aborted'));
        };
        const timer = setTimeout(() => {
          opts.signal.removeEventListener('abort', onAbort);
          inFlight -= 1;
          const o = outcome?.(i);
          if (o instanceof Error) reject(o);
          else
            resolve(
              o ?? {
                kind: 'state',
                unit: i,
                state: new ArrayBuffer(8),
                rowsRead: 1,
                rowsUsed: 1,
                rowsDropped: 0,
                bytes: 10,
              },
            );
        }, delay(i));
        opts.signal.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
  return { pool: pool as unknown as WorkerPool, maxInFlight: () => maxInFlight };
}

describe('runUnits', () => {
  it('delivers results in unit order and bounds the units in flight', async () => {
    const fake = fakePool((i) => (i % 3 === 0 ? 15 : 1));
    const seen: number[] = [];
    await runUnits(
      fake.pool,
      Array.from({ length: 12 }, (_, i) => task(i)),
      {
        maxInFlight: 4,
        onResult: (i) => {
          seen.push(i);
        },
      },
    );
    expect(seen).toEqual([...Array(12).keys()]);
    expect(fake.maxInFlight()).toBeLessThanOrEqual(4);
    expect(fake.maxInFlight()).toBeGreaterThan(1);
  });

  it('resolves at once with no units', async () => {
    const fake = fakePool(() => 1);
    await expect(
      runUnits(fake.pool, [], { maxInFlight: 2, onResult: () => {} }),
    ).resolves.toBeUndefined();
  });

  it('rebuilds the first worker failure with its fields and stops the rest', async () => {
    const fake = fakePool(
      () => 2,
      (i) =>
        i === 3
          ? {
              kind: 'failure',
              unit: 3,
              error: {
                name: 'MissingValueError',
                message: 'x',
                fields: {
                  file: 'f3.parquet',
                  column: 'x',
                  where: 'row group 0, row 5',
                  problem: 'missing value (NaN)',
                },
              },
            }
          : (undefined as unknown as WorkerResult),
    );
    const seen: number[] = [];
    const run = runUnits(
      fake.pool,
      Array.from({ length: 20 }, (_, i) => task(i)),
      {
        maxInFlight: 2,
        onResult: (i) => {
          seen.push(i);
        },
      },
    );
    await expect(run).rejects.toThrow(MissingValueError);
    await expect(run).rejects.toThrow('f3.parquet: x: row group 0, row 5: missing value (NaN)');
    expect(seen).toEqual([0, 1, 2]);
  });

  it('names the unit when a task is rejected', async () => {
    const fake = fakePool(
      () => 1,
      (i) => (i === 1 ? new Error('worker exited') : (undefined as unknown as WorkerResult)),
    );
    const run = runUnits(fake.pool, [task(0), task(1)], { maxInFlight: 2, onResult: () => {} });
    await expect(run).rejects.toThrow(UnitError);
    await expect(run).rejects.toThrow(
      'f1.parquet: f1.parquet row group 0: worker failed: worker exited',
    );
  });

  it('cancels through the AbortSignal', async () => {
    const fake = fakePool(() => 50);
    const controller = new AbortController();
    const run = runUnits(fake.pool, [task(0), task(1)], {
      maxInFlight: 2,
      signal: controller.signal,
      onResult: () => {},
    });
    setTimeout(() => controller.abort(), 5);
    await expect(run).rejects.toThrow(CancelledError);
  });

  it('fails with an error thrown by the consumer', async () => {
    const fake = fakePool(() => 1);
    const run = runUnits(fake.pool, [task(0), task(1)], {
      maxInFlight: 2,
      onResult: (i) => {
        if (i === 1) throw new RangeError('consumer broke');
      },
    });
    await expect(run).rejects.toThrow('consumer broke');
  });
});
