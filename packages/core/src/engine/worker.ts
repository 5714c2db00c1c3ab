/**
 * The piscina worker: one task = one work unit. It reads the unit's projected
 * columns through io, applies the missing-value policy, feeds an accumulator
 * (or a refinement state, or the model's predictor) batch by batch, and
 * returns the result with its buffers moved, not copied.
 *
 * Memory per task: one batch of `batchRows` rows of the used columns, plus
 * the k x k state. Errors are returned as data (see protocol.ts).
 */
import { type ColumnBatch, readUnit } from '@linreg/io';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import {
  createAccumulator,
  serializeAccumulator,
  updateAccumulator,
} from '../numerics/accumulate/index.js';
import {
  createRefineState,
  serializeRefineState,
  updateRefineState,
} from '../numerics/refine/index.js';
import { DesignBatcher } from './design-batch.js';
import type {
  AccumulateTask,
  RefineTask,
  StateResult,
  WorkerFailure,
  WorkerResult,
  WorkerTask,
} from './protocol.js';
import type { SgdTaskMessage, SgdTaskReply } from './sgd/protocol.js';
import { flattenError } from './wire-errors.js';

/**
 * SGD passes run as a second named task of the same worker (see sgd/task.ts),
 * loaded on first use so the exact fits never depend on the SGD modules.
 */
export async function sgdEpochTask(message: SgdTaskMessage): Promise<SgdTaskReply> {
  const { sgdEpochTask: task } = await import('./sgd/task.js');
  return task(message);
}

/** Wrap a result so piscina transfers `buffers` instead of cloning them. */
function moved(result: WorkerResult, buffers: ArrayBuffer[]): WorkerResult {
  const transferable = { [transferableSymbol]: buffers, [valueSymbol]: result };
  return move(transferable as never) as unknown as WorkerResult;
}

interface Sink {
  update(design: Parameters<typeof updateAccumulator>[1], firstRow: number): void;
  serialize(): ArrayBuffer;
}

function sinkFor(task: AccumulateTask | RefineTask): Sink {
  if (task.kind === 'accumulate') {
    const state = createAccumulator(task.spec);
    return {
      update: (design, firstRow) => updateAccumulator(state, design, firstRow),
      serialize: () => serializeAccumulator(state),
    };
  }
  const state = createRefineState(task.spec, task.beta);
  return {
    update: (design) => updateRefineState(state, design),
    serialize: () => serializeRefineState(state),
  };
}

async function accumulate(task: AccumulateTask | RefineTask): Promise<WorkerResult> {
  const batcher = new DesignBatcher(task.design, task.missing, task.unit);
  const sink = sinkFor(task);
  let rowsRead = 0;
  let rowsDropped = 0;
  const batches: AsyncIterable<ColumnBatch> = readUnit(task.unit, batcher.columns, {
    batchRows: task.batchRows,
  });
  for await (const batch of batches) {
    const { design, dropped } = batcher.toDesign(batch, rowsRead);
    if (design.rows > 0) sink.update(design, rowsRead);
    rowsRead += batch.rows;
    rowsDropped += dropped;
  }
  const state = sink.serialize();
  const result: StateResult = {
    kind: 'state',
    unit: task.unit.index,
    state,
    rowsRead,
    rowsUsed: rowsRead - rowsDropped,
    rowsDropped,
    bytes: Math.max(0, task.unit.byteEnd - task.unit.byteStart),
  };
  return moved(result, [state]);
}

export default async function runTask(task: WorkerTask): Promise<WorkerResult> {
  try {
    if (task.kind === 'predict') {
      // Loaded on first use: prediction pulls in the t distribution (@stdlib,
      // ~200 ms of CPU), which the accumulate/refine tasks of a fit never need.
      const { predictUnit } = await import('./predict-unit.js');
      const result = await predictUnit(task);
      return moved(
        result,
        result.columns.map((c) => c.buffer as ArrayBuffer),
      );
    }
    return await accumulate(task);
  } catch (error) {
    const failure: WorkerFailure = {
      kind: 'failure',
      unit: task.unit.index,
      error: flattenError(error),
    };
    return failure;
  }
}
