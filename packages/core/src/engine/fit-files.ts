/**
 * Fit on files through the worker pool (see fit.ts for the overall flow).
 */
import { planInputs } from '@linreg/io';
import {
  type AccumulatorState,
  createAccumulator,
  deserializeAccumulator,
  finalizeAccumulator,
  mergeAccumulators,
} from '../numerics/accumulate/index.js';
import {
  createRefineState,
  deserializeRefineState,
  mergeRefineStates,
  type RefineState,
} from '../numerics/refine/index.js';
import { finishFit } from './finish.js';
import type { FitOptions, FitResult } from './fit.js';
import { runPass } from './pass.js';
import { leasePool, validateWorkers } from './pool.js';
import { accumulatorSpecOf, designColumnsOf } from './projection.js';
import type { ResolvedFitSpec } from './spec.js';

export async function fitFiles(spec: ResolvedFitSpec, options: FitOptions): Promise<FitResult> {
  const started = performance.now();
  const requested = validateWorkers(options.workers);
  const plan = await planInputs(spec.inputs, { format: spec.format });
  const design = designColumnsOf(plan, spec);
  const accSpec = accumulatorSpecOf(spec, design.features.length);
  const base = { design, missing: spec.missing, batchRows: spec.batchRows };
  const lease = leasePool(options.pool, requested, plan.units.length, options.workerFile);
  const { pool, workers } = lease;
  try {
    const pass1 = await runPass<AccumulatorState>({
      pool,
      workers,
      units: plan.units,
      makeTask: (unit) => ({ kind: 'accumulate', unit, spec: accSpec, ...base }),
      decode: deserializeAccumulator,
      merge: mergeAccumulators,
      phase: 'read',
      signal: options.signal,
      onProgress: options.onProgress,
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
        signal: options.signal,
        onProgress: options.onProgress,
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
    await lease.release();
  }
}
