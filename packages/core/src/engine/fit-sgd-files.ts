/**
 * solver 'sgd' on files: the SGD driver (sgd/fit-sgd.ts) runs its passes
 * (statistics, epochs, evaluation) through the same piscina pool, each unit
 * as the worker's named task `sgdEpochTask`, outputs reduced in unit order
 * by the driver. The exact check of the statistics pass gives the factor,
 * and sgd/sgd-solution.ts turns the fit into a Solution, so inference and
 * the model are built exactly as for the exact solvers.
 */
import { planInputs } from '@linreg/io';
import { FitError } from '../errors.js';
import { buildModel } from '../model/build-model.js';
import { computeInference } from '../numerics/inference/index.js';
import type { FitOptions, FitResult } from './fit.js';
import { bytesOf } from './pass.js';
import { leasePool, validateWorkers } from './pool.js';
import { ProgressTracker } from './progress.js';
import { designColumnsOf } from './projection.js';
import { fitSgd } from './sgd/fit-sgd.js';
import { poolSgdRunner } from './sgd/pool-runner.js';
import { sgdSolution } from './sgd/sgd-solution.js';
import type { ResolvedFitSpec } from './spec.js';

export async function fitSgdFiles(spec: ResolvedFitSpec, options: FitOptions): Promise<FitResult> {
  const started = performance.now();
  const requested = validateWorkers(options.workers);
  const plan = await planInputs(spec.inputs, { format: spec.format });
  const design = designColumnsOf(plan, spec);
  const lease = leasePool(options.pool, requested, plan.units.length, options.workerFile);
  const { pool, workers } = lease;
  try {
    // One progress bar per pass: a pass is the set of messages sharing one `pass` object.
    const bytesTotal = bytesOf(plan.units);
    let tracker: { pass: unknown; progress: ProgressTracker } | undefined;
    const runner = poolSgdRunner(
      async (message, run) => {
        const reply = await pool.run(message, { signal: run.signal, name: 'sgdEpochTask' });
        if (tracker?.pass !== message.pass) {
          const progress = new ProgressTracker(
            'sgd',
            plan.units.length,
            bytesTotal,
            options.onProgress,
          );
          tracker = { pass: message.pass, progress };
        }
        if (reply.kind === 'sgd') {
          tracker.progress.unitDone(
            reply.output.rowsRead,
            Math.max(0, message.unit.byteEnd - message.unit.byteStart),
          );
        }
        return reply;
      },
      {
        units: plan.units,
        design,
        missing: spec.missing,
        batchRows: spec.batchRows,
        signal: options.signal,
      },
    );
    const sgd = await fitSgd(runner, {
      ...spec.sgd,
      p: design.features.length,
      intercept: spec.intercept,
      weighted: spec.weights !== undefined,
      l2: spec.ridge === 'auto' ? 0 : spec.ridge,
      l2Scale: spec.standardize ? 'sd' : 'unit',
      check: true,
    });
    const factor = sgd.exact?.factor;
    if (factor === undefined) throw new FitError('sgd: the exact check did not run');
    if (factor.rowsPositiveWeight === 0) {
      throw new FitError(
        `no usable rows: ${sgd.rows.read} read, ${sgd.rows.dropped} dropped for missing values`,
      );
    }
    const solution = sgdSolution(sgd, spec.aliased);
    const inference = computeInference(factor, solution, { level: spec.level });
    const model = buildModel({
      factor,
      solution,
      inference,
      names: { target: spec.target, features: design.features, weights: spec.weights },
      rows: sgd.rows,
      solver: 'sgd',
      level: spec.level,
      timestamps: spec.timestamps,
    });
    return {
      model,
      factor,
      solution,
      sgd,
      stats: {
        inputs: plan.shards.length,
        units: plan.units.length,
        workers,
        rowsRead: sgd.rows.read,
        rowsUsed: sgd.rows.used,
        rowsDropped: sgd.rows.dropped,
        bytes: bytesTotal,
        // The statistics pass, the epochs, and the evaluation pass.
        passes: sgd.epochs + 2,
        seconds: (performance.now() - started) / 1000,
      },
    };
  } finally {
    await lease.release();
  }
}
