/**
 * Run one task message against a reader of the unit's columns — in a pool
 * worker (worker.ts, reader = io's readUnit) or in the calling thread (the
 * stream and in-memory sources). Errors are returned as data (protocol.ts),
 * never thrown, so both places report failures the same way.
 */
import { flattenError } from '@linreg/errors';
import type { ColumnBatch } from '@linreg/io';
import { type TaskMessage, type TaskReply, type UnitRef, unitBytes } from './protocol.js';
import { isTaskKindName, loadTaskKind } from './table.js';

export type UnitReader<U extends UnitRef = UnitRef> = (
  unit: U,
  columns: readonly string[],
  options: ReaderOptions,
) => AsyncIterable<ColumnBatch>;

export interface ReaderOptions {
  readonly batchRows: number;
  /** Columns read as categories (codes and level lists). */
  readonly categorical?: readonly string[] | undefined;
  /** The task is done with a batch when it asks for the next (io's ReadOptions.reuseBatches). */
  readonly reuseBatches?: boolean | undefined;
}

export interface RanTask {
  readonly reply: TaskReply;
  /** Buffers of the reply that may be moved rather than copied. */
  readonly transfer: ArrayBuffer[];
}

export async function runTask<U extends UnitRef>(
  message: TaskMessage<string, unknown, U>,
  reader: UnitReader<U>,
): Promise<RanTask> {
  const { unit } = message;
  try {
    if (!isTaskKindName(message.kind)) throw new TypeError(`unknown task kind ${message.kind}`);
    const kind = await loadTaskKind(message.kind);
    const input = {
      unit,
      read: (
        columns: readonly string[],
        categorical?: readonly string[],
        rawAt?: readonly boolean[],
        reuseBatches?: boolean,
      ) =>
        reader(unit, columns, {
          batchRows: message.batchRows,
          ...(categorical === undefined || categorical.length === 0 ? {} : { categorical }),
          ...(rawAt?.includes(true) === true ? { rawAt } : {}),
          ...(reuseBatches === true ? { reuseBatches } : {}),
        }),
    };
    const { output, rows } = await kind.run(input, message.args);
    return {
      reply: { ok: true, unit: unit.index, counts: { ...rows, bytes: unitBytes(unit) }, output },
      transfer: kind.transfer(output),
    };
  } catch (error) {
    return failedTask(unit.index, error);
  }
}

/** A task's failure as data (never thrown across the thread boundary). */
export function failedTask(unit: number, error: unknown): RanTask {
  return { reply: { ok: false, unit, error: flattenError(error) }, transfer: [] };
}
