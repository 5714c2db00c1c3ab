/**
 * What fit, fitGroups and fitTargets share around their passes: the pass
 * context over the fit's source, the spec a route runs with once the design
 * is planned, the design's notes on each model, and the run's figures.
 */
import type { LinregModel } from '../model/model.js';
import type { ResolvedFitSpec } from '../options/index.js';
import type { FitOptions, FitStats, RouteSpec } from './fit-types.js';
import type { ModelDesign } from './model-design.js';
import type { PassContext, PassCounts, ReduceHook } from './run/pass.js';
import type { DataSource } from './source/data-source.js';

/** The context of every pass of one fit over `source`. */
export function fitPassContext(
  source: DataSource,
  resolved: ResolvedFitSpec,
  options: FitOptions,
  reduceHook?: ReduceHook,
): PassContext {
  return {
    source,
    batchRows: resolved.batchRows,
    signal: options.signal,
    onProgress: options.onProgress,
    ...(reduceHook === undefined ? {} : { reduceHook }),
    ...(options.noReread === undefined ? {} : { noReread: options.noReread }),
  };
}

/** The spec with what the design decided: the solver, and a formula's target label and intercept (`- 1`). */
export function routeSpecOf(
  resolved: ResolvedFitSpec,
  solver: 'qr' | 'normal' | 'sgd',
  design: ModelDesign,
): RouteSpec & { readonly intercept: boolean } {
  return { ...resolved, solver, target: design.columns.target, intercept: design.intercept };
}

/** The model with the design's warnings first and the `where` filter its rows passed. */
export function withDesignNotes(
  model: LinregModel,
  design: ModelDesign,
  where: string | undefined,
): LinregModel {
  const warned =
    design.warnings.length === 0
      ? model
      : { ...model, warnings: [...design.warnings, ...model.warnings] };
  return where === undefined ? warned : { ...warned, where };
}

/** The run's figures: the source's, the first pass's rows and bytes, the passes and the time since `started`. */
export function fitStats(
  source: DataSource,
  counts: PassCounts,
  passes: number,
  started: number,
): FitStats {
  return {
    inputs: source.plan.shards.length,
    units: source.units.length,
    workers: source.workers,
    rowsRead: counts.rowsRead,
    rowsUsed: counts.rowsUsed,
    rowsDropped: counts.rowsDropped,
    bytes: counts.bytes,
    passes,
    seconds: (performance.now() - started) / 1000,
  };
}
