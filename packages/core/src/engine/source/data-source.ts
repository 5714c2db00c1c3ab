/**
 * Where a run's rows come from. A source knows its columns (to choose the
 * design from), its units (the merge order), whether it can be read again,
 * and how to run a task message on one of its units. Three kinds:
 *
 * - files (file-source.ts): planned by io, one unit per row group, record
 *   batch or CSV byte range, tasks run in a piscina pool;
 * - a stream (stream-source.ts), e.g. an Arrow IPC stream on stdin: one
 *   unit, read once, in the calling thread;
 * - in-memory columns (memory-source.ts), for tests and library callers that
 *   hold their data: one unit per batch, in the calling thread.
 *
 * Every pass (run/pass.ts) goes through `execute`, so the fit, refinement,
 * SGD and predict do not know which kind they read.
 */
import type { Plan } from '@linreg/io';
import type { Execute } from '../run/run-units.js';
import type { MergeMessage, TaskReply, UnitRef } from '../tasks/protocol.js';

export interface DataSource {
  /** Shards and their columns (a stream or memory source: one shard, no io units). */
  readonly plan: Plan;
  readonly units: readonly UnitRef[];
  /** False for a stream: passes after the first (refinement, SGD epochs) cannot run. */
  readonly rereadable: boolean;
  /** Pool threads running the tasks; 0 when they run in the calling thread. */
  readonly workers: number;
  readonly execute: Execute;
  /**
   * Runs a merge of two units' states on the pool (run/reduce-async.ts), its
   * buffers moved there. Absent when tasks run in the calling thread, where
   * a merge is no cheaper than on the main thread.
   */
  readonly offload?:
    | ((message: MergeMessage, signal: AbortSignal) => Promise<TaskReply>)
    | undefined;
  /**
   * Checks, after each pass, that the data did not change under the run
   * (files: size and modification time as when planned); throws naming the
   * file. Absent for sources that cannot change (memory, a stream read once).
   */
  verify?(): Promise<void>;
  /** Releases the pool (when the source started one). */
  close(): Promise<void>;
}
