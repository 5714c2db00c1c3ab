/**
 * The shape of one kind of task: how it turns one unit's rows into an output.
 * A kind is a small module exporting `task: TaskKind<Args, Output>`; the
 * table (table.ts) names every kind, and the worker and the in-thread runner
 * both run a message through that table, so a kind is written once.
 */
import type { ColumnBatch } from '@linreg/io';
import type { RowCounts, UnitRef } from './protocol.js';

export interface TaskInput {
  readonly unit: UnitRef;
  /**
   * The unit's `columns`, in that order, as batches (once per call; a stream
   * source allows one call); those named in `categorical` arrive as level
   * codes with their level lists (io's categorical reading).
   */
  read(
    columns: readonly string[],
    categorical?: readonly string[],
    /** Parallel to `columns`: true to read that column as pass-through values (ColumnBatch.raw). */
    rawAt?: readonly boolean[],
    /**
     * The task keeps no array of a batch once it asks for the next: the reader
     * may recycle them (io's ReadOptions.reuseBatches).
     */
    reuseBatches?: boolean,
  ): AsyncIterable<ColumnBatch>;
}

export interface TaskResult<O> {
  readonly output: O;
  readonly rows: RowCounts;
}

export interface TaskKind<A, O> {
  run(input: TaskInput, args: A): Promise<TaskResult<O>>;
  /** The output's buffers that may be moved to the main thread instead of copied. */
  transfer(output: O): ArrayBuffer[];
}
