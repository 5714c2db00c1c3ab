/**
 * From a resolved fit spec and a source's columns to what the tasks read and
 * accumulate: the projected design columns (checked against every shard by
 * io) and the accumulator spec.
 */
import { type Plan, selectColumns } from '@linreg/io';
import {
  type AliasedPolicy,
  DEFAULT_RANK_TOLERANCE,
  type ResolvedSolveOptions,
} from '../numerics/solve/index.js';
import type { AccumulatorKind, AccumulatorSpec } from '../numerics/types.js';
import type { ResolvedFitSpec } from '../options/index.js';
import type { DesignColumns } from './tasks/protocol.js';

export function accumulatorSpecOf(
  spec: ResolvedFitSpec,
  p: number,
  kind: AccumulatorKind = spec.solver === 'normal' ? 'normal' : 'qr',
): AccumulatorSpec {
  return { kind, p, intercept: spec.intercept, weighted: spec.weights !== undefined };
}

export function designColumnsOf(plan: Plan, spec: ResolvedFitSpec): DesignColumns {
  const selected = selectColumns(plan, {
    // checkFitOptions requires a target when there is no formula.
    target: spec.target ?? '',
    features: spec.features,
    exclude: spec.exclude,
    weights: spec.weights,
    temporal: spec.timestamps,
  });
  return { features: selected.features, target: selected.target, weights: selected.weights };
}

export function solveOptionsOf(
  aliased: AliasedPolicy,
  ridge: number | 'auto',
  standardize: boolean,
): ResolvedSolveOptions {
  return { aliased, ridge, standardize, rankTolerance: DEFAULT_RANK_TOLERANCE, gcvGrid: undefined };
}
