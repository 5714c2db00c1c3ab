/**
 * Running task messages in the calling thread (stream and in-memory sources,
 * and file sources asked to run in-thread): the same task table as the
 * workers, through a reader that stops at the next batch once the run is
 * cancelled.
 */

import { CancelledError } from '@linreg/errors';
import type { ColumnBatch } from '@linreg/io';
import type { Execute } from '../run/run-units.js';
import type { UnitRef } from '../tasks/protocol.js';
import { runTask, type UnitReader } from '../tasks/run-task.js';

async function* untilAborted(
  batches: AsyncIterable<ColumnBatch>,
  signal: AbortSignal,
): AsyncGenerator<ColumnBatch> {
  for await (const batch of batches) {
    if (signal.aborted) throw new CancelledError();
    yield batch;
  }
}

export function inThreadExecute<U extends UnitRef>(
  units: readonly U[],
  reader: UnitReader<U>,
): Execute {
  return async (message, signal) => {
    const unit = units[message.unit.index];
    if (unit === undefined) throw new RangeError(`no unit ${message.unit.index} in this source`);
    const read: UnitReader<U> = (u, columns, options) =>
      untilAborted(reader(u, columns, options), signal);
    const { reply } = await runTask({ ...message, unit }, read);
    return reply;
  };
}
