/**
 * One pass over every unit of a plan through the pool: a task per unit, the
 * returned states decoded and merged in unit order by the fixed tree
 * (reduce.ts), row counts summed, progress reported per unit.
 */
import type { WorkUnit } from '@linreg/io';
import type { WorkerPool } from './pool.js';
import { type Phase, type Progress, ProgressTracker } from './progress.js';
import type { AccumulateTask, RefineTask, StateResult } from './protocol.js';
import { UnitOrderReducer } from './reduce.js';
import { runUnits } from './run-units.js';

/** Units in flight per worker: one running, one queued so a worker never idles between tasks. */
export const UNITS_IN_FLIGHT_PER_WORKER = 2;

export const bytesOf = (units: readonly WorkUnit[]): number =>
  units.reduce((s, u) => s + Math.max(0, u.byteEnd - u.byteStart), 0);

export interface PassOptions<S> {
  readonly pool: WorkerPool;
  readonly workers: number;
  readonly units: readonly WorkUnit[];
  readonly makeTask: (unit: WorkUnit) => AccumulateTask | RefineTask;
  readonly decode: (buffer: ArrayBuffer) => S;
  readonly merge: (left: S, right: S) => S;
  readonly phase: Phase;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((p: Progress) => void) | undefined;
}

export interface PassResult<S> {
  readonly state: S | undefined;
  readonly rowsRead: number;
  readonly rowsUsed: number;
  readonly rowsDropped: number;
  readonly bytes: number;
}

/** One pass over every unit: states merged in unit order by the fixed tree. */
export async function runPass<S>(o: PassOptions<S>): Promise<PassResult<S>> {
  const reducer = new UnitOrderReducer<S>(o.merge);
  const progress = new ProgressTracker(o.phase, o.units.length, bytesOf(o.units), o.onProgress);
  let rowsRead = 0;
  let rowsUsed = 0;
  let rowsDropped = 0;
  let bytes = 0;
  await runUnits(o.pool, o.units.map(o.makeTask), {
    maxInFlight: o.workers * UNITS_IN_FLIGHT_PER_WORKER,
    signal: o.signal,
    onResult: (index, result) => {
      const r = result as StateResult;
      reducer.add(index, o.decode(r.state));
      rowsRead += r.rowsRead;
      rowsUsed += r.rowsUsed;
      rowsDropped += r.rowsDropped;
      bytes += r.bytes;
      progress.unitDone(r.rowsRead, r.bytes);
    },
  });
  return { state: reducer.finish(o.units.length), rowsRead, rowsUsed, rowsDropped, bytes };
}
