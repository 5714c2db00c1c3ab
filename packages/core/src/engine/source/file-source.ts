/**
 * Files as a source: io plans the inputs (files, directories, globs) into
 * units, and each task runs in a worker of a piscina pool — the caller's
 * shared pool, left running, or one started at the first task and destroyed
 * by close(). `inThread` runs the same tasks in the calling thread instead (tests
 * compare the two bit for bit).
 */
import { type DataFormat, type Plan, planInputs, readUnit, type WorkUnit } from '@linreg/io';
import { leasePool, type PoolLease, poolSize, type WorkerPool } from '../pool.js';
import type { DataSource } from './data-source.js';
import { inThreadExecute } from './in-thread.js';

export interface FileSourceOptions {
  readonly format?: DataFormat | undefined;
  /** Threads to start (never more than the units); ignored with `pool`. */
  readonly workers: number;
  readonly pool?: WorkerPool | undefined;
  readonly workerFile?: string | undefined;
  /** Run tasks in the calling thread (no pool). */
  readonly inThread?: boolean | undefined;
}

export async function openFileSource(
  inputs: readonly string[],
  options: FileSourceOptions,
): Promise<DataSource> {
  return planSource(await planInputs(inputs, { format: options.format }), options);
}

/** A source over an io plan made by the caller (e.g. with smaller CSV chunks). */
export function planSource(plan: Plan, options: FileSourceOptions): DataSource {
  const units: readonly WorkUnit[] = plan.units;
  if (options.inThread === true) {
    return {
      plan,
      units,
      rereadable: true,
      workers: 0,
      execute: inThreadExecute(units, readUnit),
      close: async () => {},
    };
  }
  // The pool starts with the first task, so a spec that fails on the plan's columns costs no threads.
  let lease: PoolLease | undefined;
  const shared = options.pool;
  return {
    plan,
    units,
    rereadable: true,
    workers: shared?.maxThreads ?? poolSize(options.workers, units.length),
    execute: (message, signal) => {
      lease ??= leasePool(shared, options.workers, units.length, options.workerFile);
      const unit = units[message.unit.index] as WorkUnit;
      return lease.pool.run({ ...message, unit }, { signal });
    },
    close: async () => {
      await lease?.release();
    },
  };
}
