/**
 * Files as a source: io plans the inputs (files, directories, globs) into
 * units, and each task runs in a worker of a piscina pool — the caller's
 * shared pool, left running, or one started at the first task and destroyed
 * by close(). `inThread` runs the same tasks in the calling thread instead (tests
 * compare the two bit for bit); so does a plan of one small unit when no pool
 * or worker file is given (runsInThread).
 */
import {
  cachedFooters,
  type DataFormat,
  IoError,
  type Plan,
  planInputs,
  type RemoteOptions,
  readUnit,
  type SourceStamp,
  stampOf,
  type WorkUnit,
} from '@linreg/io';
import { poolSize, type WorkerPool } from '../pool.js';
import { leasePool, type PoolLease } from '../pool-lease.js';
import type { DataSource } from './data-source.js';
import { inThreadExecute } from './in-thread.js';

export interface FileSourceOptions {
  readonly format?: DataFormat | undefined;
  /** Threads to start (never more than the units); ignored with `pool`. */
  readonly workers: number;
  readonly pool?: WorkerPool | undefined;
  readonly workerFile?: string | undefined;
  /**
   * Run tasks in the calling thread (true) or in worker threads (false);
   * by default in the calling thread for one unit of at most IN_THREAD_BYTES.
   */
  readonly inThread?: boolean | undefined;
  /** Settings of s3:// inputs (endpoint, region). */
  readonly remote?: RemoteOptions | undefined;
}

export async function openFileSource(
  inputs: readonly string[],
  options: FileSourceOptions,
): Promise<DataSource> {
  const plan = await planInputs(inputs, { format: options.format, remote: options.remote });
  const baseline = await statShards(plan);
  // A file that changed between its description and now is already suspect.
  plan.shards.forEach((shard, i) => {
    const now = baseline[i] as FileStamp;
    if (now.size !== shard.bytes) throw changed(shard.file, shard.bytes, now);
  });
  return planSource(plan, options, baseline);
}

/** A file's size and version: modification time, or a remote object's ETag / Last-Modified. */
type FileStamp = SourceStamp;

async function statShards(plan: Plan): Promise<FileStamp[]> {
  return Promise.all(
    plan.shards.map(async (shard) => {
      try {
        return await stampOf(shard.file);
      } catch (error) {
        // A remote store that stops answering is its own error, not a changed file.
        if (error instanceof IoError && error.code !== 'not-found') throw error;
        throw new IoError(
          'changed',
          { file: shard.file },
          'the file disappeared while linreg was reading it',
        );
      }
    }),
  );
}

function changed(file: string, size: number, now: FileStamp): IoError {
  const what =
    now.size === size ? 'it was rewritten' : `its size went from ${size} to ${now.size} bytes`;
  return new IoError(
    'changed',
    { file },
    `the file changed while linreg was reading it (${what}); nothing was written`,
  );
}

/** After a pass: every file as it was planned, or an IoError naming the first that changed. */
function verifier(
  plan: Plan,
  baseline: readonly FileStamp[] | undefined,
): (() => Promise<void>) | undefined {
  if (baseline === undefined) return undefined;
  return async () => {
    const now = await statShards(plan);
    plan.shards.forEach((shard, i) => {
      const was = baseline[i] as FileStamp;
      const is = now[i] as FileStamp;
      if (is.size !== was.size || is.version !== was.version)
        throw changed(shard.file, was.size, is);
    });
  };
}

/**
 * The largest input (bytes of its files) that one unit reads in the calling
 * thread by default. A worker thread costs ~60–100 ms of CPU before it reads
 * anything (Node's start-up of the thread, then the reader's modules), more
 * than reading a unit this small; with one unit there is nothing to overlap.
 * The bits are the same either way; only the `Run:` line says where it ran.
 */
export const IN_THREAD_BYTES = 1 << 20;

function runsInThread(plan: Plan, options: FileSourceOptions): boolean {
  if (options.inThread !== undefined) return options.inThread;
  if (options.pool !== undefined || options.workerFile !== undefined) return false;
  const bytes = plan.shards.reduce((sum, shard) => sum + shard.bytes, 0);
  return plan.units.length === 1 && bytes <= IN_THREAD_BYTES;
}

/**
 * A source over an io plan made by the caller (e.g. with smaller CSV chunks);
 * `baseline` (the files' stamps when planned) makes it check after each pass
 * that they did not change.
 */
export function planSource(
  plan: Plan,
  options: FileSourceOptions,
  baseline?: readonly FileStamp[],
): DataSource {
  const units: readonly WorkUnit[] = plan.units;
  const verify = verifier(plan, baseline);
  if (runsInThread(plan, options)) {
    return {
      plan,
      units,
      rereadable: true,
      workers: 0,
      execute: inThreadExecute(units, readUnit),
      ...(verify === undefined ? {} : { verify }),
      close: async () => {},
    };
  }
  // The pool starts with the first task, so a spec that fails on the plan's columns costs no threads.
  let lease: PoolLease | undefined;
  const shared = options.pool;
  // A pool started here gets the footers this thread parsed while planning.
  const leased = (): PoolLease =>
    (lease ??= leasePool(shared, options.workers, units.length, options.workerFile, () =>
      cachedFooters(plan.shards.map((shard) => shard.file)),
    ));
  return {
    plan,
    units,
    rereadable: true,
    workers: shared?.maxThreads ?? poolSize(options.workers, units.length),
    execute: (message, signal) => {
      const unit = units[message.unit.index] as WorkUnit;
      return leased().run({ ...message, unit }, signal);
    },
    offload: (message, signal) => leased().run(message, signal, [message.left, message.right]),
    ...(verify === undefined ? {} : { verify }),
    close: async () => {
      await lease?.release();
    },
  };
}
