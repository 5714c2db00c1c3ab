/**
 * Fit on files through the worker pool (see fit.ts for the overall flow).
 */
import { type Plan, planInputs, selectColumns, type WorkUnit } from '@linreg/io';
import {
  type AccumulatorState,
  createAccumulator,
  deserializeAccumulator,
  finalizeAccumulator,
  mergeAccumulators,
} from '../numerics/accumulator.js';
import {
  createRefineState,
  deserializeRefineState,
  mergeRefineStates,
  type RefineState,
} from '../numerics/refine.js';
import type { AccumulatorSpec } from '../numerics/types.js';
import { finishFit } from './finish.js';
import type { FitOptions, FitResult } from './fit.js';
import { createPool, validateWorkers, type WorkerPool } from './pool.js';
import { ProgressTracker, type Phase } from './progress.js';
import type { AccumulateTask, DesignColumns, RefineTask, StateResult } from './protocol.js';
import { UnitOrderReducer } from './reduce.js';
import { runUnits } from './run-units.js';
import type { ResolvedFitSpec } from './spec.js';

/** Units in flight per worker: one running, one queued so a worker never idles between tasks. */
export const UNITS_IN_FLIGHT_PER_WORKER = 2;

export function accumulatorSpecOf(spec: ResolvedFitSpec, p: number): AccumulatorSpec {
  return {
    kind: spec.solver === 'normal' ? 'normal' : 'qr',
    p,
    intercept: spec.intercept,
    weighted: spec.weights !== undefined,
  };
}

export function designColumnsOf(plan: Plan, spec: ResolvedFitSpec): DesignColumns {
  const selected = selectColumns(plan, {
    target: spec.target,
    features: spec.features,
    exclude: spec.exclude,
    weights: spec.weights,
  });
  return { features: selected.features, target: selected.target, weights: selected.weights };
}

const bytesOf = (units: readonly WorkUnit[]): number =>
  units.reduce((s, u) => s + Math.max(0, u.byteEnd - u.byteStart), 0);

interface PassOptions<S> {
  readonly pool: WorkerPool;
  readonly workers: number;
  readonly units: readonly WorkUnit[];
  readonly makeTask: (unit: WorkUnit) => AccumulateTask | RefineTask;
  readonly decode: (buffer: ArrayBuffer) => S;
  readonly merge: (left: S, right: S) => S;
  readonly phase: Phase;
  readonly options: FitOptions;
}

interface PassResult<S> {
  readonly state: S | undefined;
  readonly rowsRead: number;
  readonly rowsUsed: number;
  readonly rowsDropped: number;
  readonly bytes: number;
}

/** One pass over every unit: states merged in unit order by the fixed tree. */
async function runPass<S>(o: PassOptions<S>): Promise<PassResult<S>> {
  const reducer = new UnitOrderReducer<S>(o.merge);
  const progress = new ProgressTracker(o.phase, o.units.length, bytesOf(o.units), o.options.onProgress);
  let rowsRead = 0;
  let rowsUsed = 0;
  let rowsDropped = 0;
  let bytes = 0;
  await runUnits(o.pool, o.units.map(o.makeTask), {
    maxInFlight: o.workers * UNITS_IN_FLIGHT_PER_WORKER,
    signal: o.options.signal,
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

export async function fitFiles(spec: ResolvedFitSpec, options: FitOptions): Promise<FitResult> {
  const started = performance.now();
  const requested = validateWorkers(options.workers);
  const plan = await planInputs(spec.inputs, { format: spec.format });
  // More threads than units would only cost start-up time.
  const workers = Math.max(1, Math.min(requested, plan.units.length));
  const design = designColumnsOf(plan, spec);
  const accSpec = accumulatorSpecOf(spec, design.features.length);
  const base = { design, missing: spec.missing, batchRows: spec.batchRows };
  const pool = createPool({ workers, workerFile: options.workerFile });
  try {
    const pass1 = await runPass<AccumulatorState>({
      pool,
      workers,
      units: plan.units,
      makeTask: (unit) => ({ kind: 'accumulate', unit, spec: accSpec, ...base }),
      decode: deserializeAccumulator,
      merge: mergeAccumulators,
      phase: 'read',
      options,
    });
    const state = pass1.state ?? createAccumulator(accSpec);
    const factor = finalizeAccumulator(state);
    const refinePass = async (beta: Float64Array): Promise<RefineState> => {
      const pass = await runPass<RefineState>({
        pool,
        workers,
        units: plan.units,
        makeTask: (unit) => ({ kind: 'refine', unit, spec: accSpec, beta, ...base }),
        decode: deserializeRefineState,
        merge: mergeRefineStates,
        phase: 'refine',
        options,
      });
      return pass.state ?? createRefineState(accSpec, beta);
    };
    const finished = await finishFit({
      spec,
      features: design.features,
      factor,
      rows: { read: pass1.rowsRead, used: pass1.rowsUsed, dropped: pass1.rowsDropped },
      refinePass,
    });
    return {
      model: finished.model,
      factor,
      solution: finished.solution,
      stats: {
        inputs: plan.shards.length,
        units: plan.units.length,
        workers,
        rowsRead: pass1.rowsRead,
        rowsUsed: pass1.rowsUsed,
        rowsDropped: pass1.rowsDropped,
        bytes: pass1.bytes,
        passes: 1 + finished.passes,
        seconds: (performance.now() - started) / 1000,
      },
    };
  } finally {
    await pool.destroy();
  }
}
