/**
 * The library's entry point: fit a linear model, in parallel.
 *
 * One engine (docs/architecture.md): the inputs become a DataSource (files
 * through the worker pool, an Arrow stream on stdin, or in-memory columns),
 * and the chosen route runs its passes over it — the exact fit (qr, normal;
 * exact/) or averaged SGD (sgd/) — each pass a kind of task in one table,
 * scheduled by one runUnits with a fixed-order merge, so the answer is
 * bitwise the same for any worker count.
 */

import { SpecError } from '@linreg/errors';
import type { FitSpec, ResolvedFitSpec } from '../options/index.js';
import { resolveFitSpec } from '../options/index.js';
import { fitExact } from './exact/fit-exact.js';
import { fitPassContext, fitStats, routeSpecOf, withDesignNotes } from './fit-run.js';
import type { FitOptions, FitResult } from './fit-types.js';
import { chooseSolver, planDesign } from './model-design.js';
import { stateRecorder } from './rounds/keep-state.js';
import { fitSgdRoute } from './sgd/fit-sgd-route.js';
import type { DataSource } from './source/data-source.js';
import { openFileSource } from './source/file-source.js';
import { openStreamSource } from './source/stream-source.js';

export type { FitOptions, FitResult, FitStats } from './fit-types.js';

/** The spec resolved; a caller's source names its own data, `inputs` then only labels it. */
export function resolveFitInput(spec: FitInput, options: FitOptions): ResolvedFitSpec {
  return resolveFitSpec(
    spec.inputs === undefined && options.source !== undefined
      ? { ...spec, inputs: [options.source.plan.shards[0]?.file ?? '<source>'] }
      : (spec as FitSpec),
  );
}

/** The caller's source, or the inputs' (stdin, or files through the pool). */
export async function openFitSource(
  resolved: ResolvedFitSpec,
  options: FitOptions,
): Promise<DataSource> {
  return (
    options.source ??
    (resolved.inputs[0] === '-'
      ? await openStreamSource(options.stdin ?? process.stdin, '-', options.signal)
      : await openFileSource(resolved.inputs, {
          format: resolved.format,
          workers: resolved.workers,
          pool: options.pool,
          remote: { s3Endpoint: resolved.s3Endpoint, s3Region: resolved.s3Region },
        }))
  );
}

/** `inputs` may be left out when `options.source` gives the rows. */
export type FitInput = FitSpec | (Omit<FitSpec, 'inputs'> & { readonly inputs?: undefined });

export async function fit(spec: FitInput, options: FitOptions = {}): Promise<FitResult> {
  const started = performance.now();
  const resolved = resolveFitInput(spec, options);
  if (resolved.by !== undefined) {
    throw new SpecError('by', 'per-group fits are fitGroups(), not fit()');
  }
  if (resolved.formula === undefined && resolved.target?.includes(',') === true) {
    throw new SpecError('target', 'several targets (y1,y2) are fitTargets(), not fit()');
  }
  const own = options.source === undefined;
  const source = await openFitSource(resolved, options);
  const recorder = resolved.keepState ? stateRecorder(options.reduceHook) : undefined;
  try {
    const ctx = fitPassContext(source, resolved, options, recorder?.hook ?? options.reduceHook);
    const design = await planDesign(ctx, resolved);
    // A formula decides the target's label and the intercept (`- 1`).
    const solver = chooseSolver(resolved.solver, design);
    const route = solver === 'sgd' ? fitSgdRoute : fitExact;
    const result = await route(ctx, routeSpecOf(resolved, solver, design), design);
    const { rows } = result;
    return {
      model: withDesignNotes(result.model, design, resolved.where),
      factor: result.factor,
      solution: result.solution,
      ...(result.sgd === undefined ? {} : { sgd: result.sgd }),
      ...(recorder === undefined ? {} : { state: recorder.document(spec, resolved, source.plan) }),
      stats: fitStats(
        source,
        {
          rowsRead: rows.read,
          rowsUsed: rows.used,
          rowsDropped: rows.dropped,
          bytes: result.bytes,
        },
        design.passes + result.passes,
        started,
      ),
    };
  } finally {
    if (own) await source.close();
  }
}
