/**
 * One pass over every unit of a source: a task message per unit, run by the
 * one scheduler (run-units.ts), outputs handed over in unit order, row counts
 * summed, progress reported per unit. `reducePass` merges states by the
 * fixed tree (reduce.ts); `collectPass` keeps every unit's (small) output.
 * Exact fits, refinement, SGD and predict are all passes of this kind.
 */
import type { DataSource } from '../source/data-source.js';
import type { TaskMessage, UnitCounts, UnitRef } from '../tasks/protocol.js';
import type { ArgsOf, OutputOf, TaskKindName } from '../tasks/table.js';
import type { OffloadedMerge } from './offload-merge.js';
import { type Phase, type Progress, ProgressTracker } from './progress.js';
import { UnitOrderReducer } from './reduce.js';
import { AsyncUnitOrderReducer } from './reduce-async.js';
import { runUnits } from './run-units.js';

/** Units in flight per worker: one running, one queued so a worker never idles between tasks. */
export const UNITS_IN_FLIGHT_PER_WORKER = 2;

/** What every pass of one run shares: where the data comes from, and the caller's controls. */
export interface PassContext {
  readonly source: DataSource;
  readonly batchRows: number;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((p: Progress) => void) | undefined;
  /**
   * Takes over every `reducePass` of the run (engine/rounds/: a partial state
   * computes one pass over a slice of the units, a merge replays passes from
   * files, an update merges a kept state with the new rows' state).
   */
  readonly reduceHook?: ReduceHook | undefined;
  /**
   * Why the rows cannot be read again at a later β even though the source
   * could be (an update, which holds only the new rows): refinement is then
   * skipped with this note, as for stdin.
   */
  readonly noReread?: string | undefined;
}

/** Whether a pass at a later β (refinement) may read the rows again. */
export function canReread(ctx: PassContext): boolean {
  return ctx.source.rereadable && ctx.noReread === undefined;
}

/** What a reduce pass yields: the merged state (undefined with no units) and the rows read. */
export interface ReduceResult<S> {
  readonly state: S | undefined;
  readonly counts: PassCounts;
}

/** One `reducePass` call as a hook sees it. */
export interface ReduceCall<S> {
  readonly kind: TaskKindName;
  readonly merge: (left: S, right: S) => S;
  /** The pass as reducePass runs it without a hook: every unit, merged by the fixed tree. */
  readonly run: () => Promise<ReduceResult<S>>;
  /** The pass over `units` only (a slice of the plan's), each unit's decoded state handed over in order. */
  readonly runOver: (
    units: readonly UnitRef[],
    onState: (unit: UnitRef, state: S) => void,
  ) => Promise<PassCounts>;
}

export type ReduceHook = <S>(call: ReduceCall<S>) => Promise<ReduceResult<S>>;

export interface PassRequest<K extends TaskKindName> {
  readonly kind: K;
  readonly args: ArgsOf<K>;
  readonly phase: Phase;
  /** Shown with the progress: which pass of the phase this is (`epoch 3 of 20`). */
  readonly label?: string | undefined;
}

/** Rows and bytes of a whole pass. */
export type PassCounts = UnitCounts;

const zeroCounts = (): { -readonly [K in keyof PassCounts]: number } => ({
  rowsRead: 0,
  rowsUsed: 0,
  rowsDropped: 0,
  bytes: 0,
});

/** Runs `request` on every unit; `onOutput` sees the outputs in unit order. */
export async function runPass<K extends TaskKindName>(
  ctx: PassContext,
  request: PassRequest<K>,
  onOutput: (index: number, output: OutputOf<K>, counts: UnitCounts) => void | Promise<void>,
): Promise<PassCounts> {
  const { source } = ctx;
  const units = source.units;
  const bytesTotal = units.reduce((s, u) => s + Math.max(0, u.byteEnd - u.byteStart), 0);
  const progress = new ProgressTracker(
    request.phase,
    units.length,
    bytesTotal,
    ctx.onProgress,
    request.label,
  );
  const totals = zeroCounts();
  const messages: TaskMessage[] = units.map((unit) => ({
    kind: request.kind,
    unit,
    batchRows: ctx.batchRows,
    args: request.args,
  }));
  await runUnits(source.execute, messages, {
    maxInFlight: Math.max(1, source.workers) * UNITS_IN_FLIGHT_PER_WORKER,
    signal: ctx.signal,
    onResult: async (index, result) => {
      const c = result.counts;
      await onOutput(index, result.output as OutputOf<K>, c);
      totals.rowsRead += c.rowsRead;
      totals.rowsUsed += c.rowsUsed;
      totals.rowsDropped += c.rowsDropped;
      totals.bytes += c.bytes;
      progress.unitDone(c.rowsRead, c.bytes);
    },
  });
  // A file truncated or rewritten during the pass gave rows that are not the data's.
  await source.verify?.();
  return totals;
}

/**
 * A pass whose unit outputs are decoded and merged in unit order by the fixed
 * tree — on this thread, or with `offloaded` on the pool, the outputs merged
 * as they are and only the root decoded (the same tree, so the same bits).
 */
export async function reducePass<K extends TaskKindName, S>(
  ctx: PassContext,
  request: PassRequest<K>,
  decode: (output: OutputOf<K>) => S,
  merge: (left: S, right: S) => S,
  offloaded?: OffloadedMerge<OutputOf<K>>,
): Promise<ReduceResult<S>> {
  const run = async (): Promise<ReduceResult<S>> => {
    if (offloaded !== undefined) {
      const reducer = new AsyncUnitOrderReducer<OutputOf<K>>(offloaded.merge);
      const counts = await runPass(ctx, request, (index, output) => {
        reducer.add(index, output);
        // Units wait while the pool's merges run, so the states held stay bounded.
        return reducer.whenBelow(offloaded.concurrency);
      });
      const root = await reducer.finish(ctx.source.units.length);
      return { state: root === undefined ? undefined : decode(root), counts };
    }
    const reducer = new UnitOrderReducer<S>(merge);
    const counts = await runPass(ctx, request, (index, output) => {
      reducer.add(index, decode(output));
    });
    return { state: reducer.finish(ctx.source.units.length), counts };
  };
  const hook = ctx.reduceHook;
  if (hook === undefined) return run();
  const runOver = (
    units: readonly UnitRef[],
    onState: (unit: UnitRef, state: S) => void,
  ): Promise<PassCounts> => {
    const sliced: PassContext = { ...ctx, source: { ...ctx.source, units } };
    return runPass(sliced, request, (index, output) => {
      onState(units[index] as UnitRef, decode(output));
    });
  };
  return hook({ kind: request.kind, merge, run, runOver });
}

/** A pass whose unit outputs are kept, in unit order (for small outputs: O(p) per unit). */
export async function collectPass<K extends TaskKindName>(
  ctx: PassContext,
  request: PassRequest<K>,
): Promise<{ readonly outputs: OutputOf<K>[]; readonly counts: PassCounts }> {
  const outputs: OutputOf<K>[] = [];
  const counts = await runPass(ctx, request, (_index, output) => {
    outputs.push(output);
  });
  return { outputs, counts };
}
