/**
 * The piscina worker: one message = one task on one unit of a file source,
 * or a merge of two units' states (tasks/merge-task.ts). It reads the unit
 * through io and runs the message's kind from the task table
 * (tasks/table.ts); output buffers are moved, not copied. Memory per
 * task: one batch of `batchRows` rows of the read columns plus the kind's
 * state (SGD kinds hold their unit's rows).
 */
import { workerData } from 'node:worker_threads';
// The narrow entry, not the package's: every worker thread compiles what it
// imports, and the package entry brings the writers, the generator, planning
// and every format reader (see @linreg/io's read-unit.ts).
import { readUnit, seedFooters } from '@linreg/io/read-unit';
import type { PoolMessage } from './pool.js';
import { runMerge } from './tasks/merge-task.js';
import { isMergeMessage, type TaskReply } from './tasks/protocol.js';
import { runTask } from './tasks/run-task.js';
import { bootFooters } from './worker-boot.js';
// Not `piscina`'s move(): see worker-move.ts.
import { movable } from './worker-move.js';

// piscina hands its `workerData` option to each thread as worker_threads' own.
seedFooters(bootFooters(workerData));

export default async function worker(message: PoolMessage): Promise<TaskReply> {
  const { reply, transfer } = isMergeMessage(message)
    ? await runMerge(message)
    : await runTask(message, readUnit);
  return transfer.length === 0 ? reply : movable(reply, transfer);
}
