import { CancelledError, flattenError, MissingValueError, UnitError } from '@linreg/errors';
import { describe, expect, it } from 'vitest';
import { type Execute, runUnits } from '../../../../packages/core/src/engine/run/run-units.js';
import type {
  TaskMessage,
  TaskReply,
} from '../../../../packages/core/src/engine/tasks/protocol.js';

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

const task = (index: number): TaskMessage => ({
  kind: 'accumulate',
  unit: unit(index),
  batchRows: 10,
  args: {
    read: { columns: { features: ['x'], target: 'y' }, missing: 'drop' },
    spec: { kind: 'qr', p: 1, intercept: true, weighted: false },
  },
});

/** A fake pool whose tasks finish after a delay chosen per unit (later units may finish first). */
function fakePool(delay: (i: number) => number, outcome?: (i: number) => TaskReply | Error) {
  let inFlight = 0;
  let maxInFlight = 0;
  const pool = {
    run(t: TaskMessage, signal: AbortSignal): Promise<TaskReply> {
      const opts = { signal };
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
                ok: true,
                unit: i,
                output: new ArrayBuffer(8),
                counts: { rowsRead: 1, rowsUsed: 1, rowsDropped: 0, bytes: 10 },
              },
            );
        }, delay(i));
        opts.signal.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
  const execute: Execute = (message, signal) => pool.run(message, signal);
  return { pool: execute, maxInFlight: () => maxInFlight };
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
              ok: false,
              unit: 3,
              // As a worker sends it: flattened, then structured-cloned.
              error: structuredClone(
                flattenError(
                  new MissingValueError(
                    'f3.parquet',
                    'x',
                    'row group 0, row 5',
                    'missing value (NaN)',
                  ),
                ),
              ),
            }
          : (undefined as unknown as TaskReply),
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

  it('reports the lowest failing unit, whichever fails first', async () => {
    const failure = (i: number): TaskReply => ({
      ok: false,
      unit: i,
      error: structuredClone(
        flattenError(new MissingValueError(`f${i}.parquet`, 'x', 'row 1', 'missing value (NaN)')),
      ),
    });
    // Unit 4 fails after 1 ms, unit 1 after 30 ms: the run still names unit 1.
    const fake = fakePool(
      (i) => (i === 1 ? 30 : 1),
      (i) => (i === 1 || i === 4 ? failure(i) : (undefined as unknown as TaskReply)),
    );
    const seen: number[] = [];
    const run = runUnits(
      fake.pool,
      Array.from({ length: 8 }, (_, i) => task(i)),
      {
        maxInFlight: 4,
        onResult: (i) => {
          seen.push(i);
        },
      },
    );
    await expect(run).rejects.toThrow('f1.parquet: x: row 1: missing value (NaN)');
    expect(seen).toEqual([0]);
  });

  it('reports a rejected earlier unit before a later failed one', async () => {
    const fake = fakePool(
      (i) => (i === 0 ? 20 : 1),
      (i) =>
        i === 0
          ? new Error('worker exited')
          : i === 2
            ? {
                ok: false,
                unit: 2,
                error: structuredClone(
                  flattenError(new MissingValueError('f2.parquet', 'x', 'row 1', 'missing')),
                ),
              }
            : (undefined as unknown as TaskReply),
    );
    const run = runUnits(
      fake.pool,
      Array.from({ length: 4 }, (_, i) => task(i)),
      { maxInFlight: 4, onResult: () => {} },
    );
    await expect(run).rejects.toThrow(
      'f0.parquet: f0.parquet row group 0: worker failed: worker exited',
    );
  });

  it('names the unit when a task is rejected', async () => {
    const fake = fakePool(
      () => 1,
      (i) => (i === 1 ? new Error('worker exited') : (undefined as unknown as TaskReply)),
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
