/**
 * The piscina pool that runs work units. Workers always load compiled
 * JavaScript, preferring a bundle: core's own (dist/worker-bundle/worker.js,
 * bundle-worker.mjs), or the CLI's, whose chunks hold this module beside its
 * worker; else the compiled modules (dist/engine/worker.js). When this module
 * runs from the TypeScript sources (vitest, tsx) the same files are looked up
 * in the package's dist/.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { SpecError } from '@linreg/errors';
import type { FooterSeed, WorkUnit } from '@linreg/io';
import { Piscina } from 'piscina';
import type { MergeMessage, TaskMessage, TaskReply } from './tasks/protocol.js';
import { workerBoot } from './worker-boot.js';

export interface PoolOptions {
  /** Number of worker threads (default: os.availableParallelism()). */
  readonly workers?: number | undefined;
  /** Absolute path of the compiled worker module (default: resolved next to this module or in dist/). */
  readonly workerFile?: string | undefined;
  /** Parquet footers already parsed, given to every worker as it starts (worker-boot.ts). */
  readonly footers?: readonly FooterSeed[] | undefined;
}

/** What a pool worker runs: a task on one unit, or a merge of two units' states. */
export type PoolMessage = TaskMessage<string, unknown, WorkUnit> | MergeMessage;

/** The pool's worker module (worker.ts) answers every task kind through one reply format. */
export type WorkerPool = Piscina<PoolMessage, TaskReply>;

export function defaultWorkers(): number {
  return availableParallelism();
}

/**
 * The worker module, first found of: core's worker bundle (from dist/engine/),
 * a `worker.js` beside this module (the CLI bundle's, or dist/engine's own),
 * then, from the sources, dist's bundle and dist's compiled worker.
 */
export function resolveWorkerFile(): string {
  const candidates = [
    '../worker-bundle/worker.js',
    './worker.js',
    '../../dist/worker-bundle/worker.js',
    '../../dist/engine/worker.js',
  ].map((path) => fileURLToPath(new URL(path, import.meta.url)));
  const found = candidates.find((file) => existsSync(file));
  if (found !== undefined) return found;
  throw new SpecError(
    'worker',
    `compiled worker not found at ${candidates.join(', ')}; run \`pnpm build\` first`,
  );
}

export function validateWorkers(workers: number | undefined): number {
  if (workers === undefined) return defaultWorkers();
  if (!Number.isInteger(workers) || workers < 1 || workers > 1024) {
    throw new SpecError('workers', `must be an integer between 1 and 1024, got ${workers}`);
  }
  return workers;
}

/** Threads to start for `units` units: never more than the units (extra threads only cost start-up). */
export function poolSize(requested: number, units: number): number {
  return Math.max(1, Math.min(requested, units));
}

export function createPool(options: PoolOptions = {}): WorkerPool {
  const threads = validateWorkers(options.workers);
  const pool = new Piscina<PoolMessage, TaskReply>({
    filename: options.workerFile ?? resolveWorkerFile(),
    minThreads: threads,
    maxThreads: threads,
    // Tasks are few and large (one per unit); idle workers can live for the whole run.
    idleTimeout: 60_000,
    workerData: workerBoot(options.footers ?? []),
  });
  // When a run fails, its other tasks are aborted; a worker may already have posted
  // its answer, which piscina then reports as an 'error' event ("Unexpected message
  // from Worker"). Without a listener that event would crash the process; the
  // answer belongs to a cancelled task and the run has already failed with the
  // first error, so it is dropped. Task failures still reject their own run.
  pool.on('error', () => {});
  return pool;
}
