/**
 * The worker-side task of the SGD passes: one message = one unit, one pass.
 * It reads the unit's projected columns through io's readUnit (or an
 * injected reader), drops missing rows with the engine's DesignBatcher,
 * computes the unit's answer (unit-work.ts) and returns it, buffers moved.
 * Errors come back as data (a WorkerFailure), like the engine's own tasks,
 * so the main thread can rebuild the error class with its fields.
 *
 * Registering it: the engine's worker module re-exports it by name,
 *
 *     export { sgdEpochTask } from './sgd/task.js';
 *
 * and the pool runner (pool-runner.ts) calls `pool.run(message, { name: 'sgdEpochTask' })`.
 */
import { type ColumnBatch, readUnit, type WorkUnit } from '@linreg/io';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { flattenError } from '../wire-errors.js';
import type { SgdTaskMessage, SgdTaskReply, SgdUnitOutput } from './protocol.js';
import { collectUnitRows } from './unit-rows.js';
import { runSgdUnit } from './unit-work.js';

export type UnitReader = (
  unit: WorkUnit,
  columns: readonly string[],
  options: { readonly batchRows: number },
) => AsyncIterable<ColumnBatch>;

function buffersOf(output: SgdUnitOutput): ArrayBuffer[] {
  switch (output.kind) {
    case 'statistics':
      return output.exact === undefined ? [output.moments] : [output.moments, output.exact];
    case 'epoch': {
      const r = output.result;
      const buffers = [
        r.average.buffer,
        r.params.theta.buffer,
        r.params.m.buffer,
        r.params.vMax.buffer,
        r.params.v.buffer,
      ];
      if (r.start !== undefined) buffers.push(r.start.gradSum.buffer);
      return buffers as ArrayBuffer[];
    }
    case 'evaluate':
      return output.evaluations.map((e) => e.gradSum.buffer as ArrayBuffer);
  }
}

/** The task with an injected reader (tests, or a reader other than io's). */
export function createSgdEpochTask(
  read: UnitReader,
): (message: SgdTaskMessage) => Promise<SgdTaskReply> {
  return async (message) => {
    try {
      const { unit, design, missing, batchRows, pass } = message;
      const columns = [
        ...design.features,
        design.target,
        ...(design.weights === undefined ? [] : [design.weights]),
      ];
      // Exact for Parquet/Arrow units, an estimate for CSV byte ranges (the buffers grow if needed).
      const sizeHint = unit.rowEnd > unit.rowStart ? unit.rowEnd - unit.rowStart : unit.rowEstimate;
      const rows = await collectUnitRows(
        read(unit, columns, { batchRows }),
        design,
        missing,
        unit,
        Math.min(Math.max(0, sizeHint), 1 << 24),
      );
      const output = runSgdUnit(pass, unit.index, rows.batch, rows);
      return { kind: 'sgd', unit: unit.index, output };
    } catch (error) {
      return { kind: 'failure', unit: message.unit.index, error: flattenError(error) };
    }
  };
}

const run = createSgdEpochTask(readUnit);

/** The piscina task (register by name, see the module comment). Result buffers are moved, not copied. */
export async function sgdEpochTask(message: SgdTaskMessage): Promise<SgdTaskReply> {
  const reply = await run(message);
  if (reply.kind === 'failure') return reply;
  const transferable = { [transferableSymbol]: buffersOf(reply.output), [valueSymbol]: reply };
  return move(transferable as never) as unknown as SgdTaskReply;
}
