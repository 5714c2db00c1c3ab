/**
 * A merge of two unit states in a worker (protocol.ts MergeMessage): both are
 * opened and checked as the main thread would (header, checksum, spec), merged
 * by the same code, and the result's buffer moved back. Errors come back as
 * data, as a unit task's do.
 */
import type { MergeMessage } from './protocol.js';
import { failedTask, type RanTask } from './run-task.js';

const NO_ROWS = { rowsRead: 0, rowsUsed: 0, rowsDropped: 0, bytes: 0 } as const;

export async function runMerge(message: MergeMessage): Promise<RanTask> {
  try {
    // Loaded on first use, as the task table's kinds are.
    const { deserializeAccumulator, mergeAccumulators, serializeAccumulator } = await import(
      '../../numerics/accumulate/index.js'
    );
    const merged = mergeAccumulators(
      deserializeAccumulator(message.left),
      deserializeAccumulator(message.right),
    );
    const output = serializeAccumulator(merged);
    return {
      reply: { ok: true, unit: message.first, counts: NO_ROWS, output },
      transfer: [output],
    };
  } catch (error) {
    return failedTask(message.first, error);
  }
}
