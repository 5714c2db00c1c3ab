/**
 * The passes of one target of a multi-target fit (fit-targets.ts): how each
 * reads the rows the fit used, and the refinement and residual passes that
 * exact/finish.ts runs for it.
 *
 * Every pass reads target j's rows exactly as the one accumulate pass read
 * them: X, then the other targets as extra columns — so a row missing any
 * target is missing here too — then y_j (a formula's program stacked by
 * formula/responses.ts). The refinement pass takes β padded with zeros for
 * the extra columns and keeps the target's part of its state
 * (numerics/refine/refine-target.ts); the residual pass (robust SEs,
 * clusters, diagnostics) drops the extra columns from its batches after
 * they have marked the missing rows (DesignRead.presence).
 */
import type { DesignProgram } from '../../formula/program.js';
import { stackResponses } from '../../formula/responses.js';
import {
  createRefineState,
  deserializeRefineState,
  GRAM_MAX_COLUMNS,
  leadingRefineState,
  mergeRefineStates,
  type RefineState,
} from '../../numerics/refine/index.js';
import type { AccumulatorSpec } from '../../numerics/types.js';
import type { ResolvedFitSpec } from '../../options/index.js';
import type { ResidualStates } from '../exact/finish.js';
import { decodeResidualStates, mergeResidualStates } from '../exact/fit-exact.js';
import type { RouteSpec } from '../fit-types.js';
import { designRead, type ModelDesign } from '../model-design.js';
import { accumulatorSpecOf, designColumnsOf } from '../projection.js';
import { canReread, type PassContext, reducePass } from '../run/pass.js';
import type { ClusterRead, DesignRead } from '../tasks/protocol.js';
import type { ResidualArgs } from '../tasks/residual-task.js';

/** What every pass of a multi-target fit shares. */
export interface TargetsDesign {
  readonly ctx: PassContext;
  readonly resolved: ResolvedFitSpec;
  readonly route: RouteSpec;
  /** The design of the last target (its columns, filter, intercept). */
  readonly design: ModelDesign;
  /** X's design columns. */
  readonly features: readonly string[];
  /** The targets as given (column names without a formula). */
  readonly names: readonly string[];
  /** The targets as the design names them (a formula's responses as R prints them). */
  readonly labels: readonly string[];
  /** A formula's program per target (y_j ~ rhs, completed), or undefined for columns as read. */
  readonly programs: readonly DesignProgram[] | undefined;
  readonly cluster: ClusterRead | undefined;
}

/** Target j's rows as the fit read them: X, the other targets, then y_j. */
export function targetRead(t: TargetsDesign, j: number): DesignRead {
  const others = t.labels.filter((_, k) => k !== j);
  const program = t.programs?.[j];
  const columns =
    program === undefined
      ? // Checks that each target is a numeric column of every shard, naming it otherwise.
        designColumnsOf(t.ctx.source.plan, {
          ...t.resolved,
          target: t.names[j],
          features: [...t.features, ...t.names.filter((_, k) => k !== j)],
          exclude: [],
        })
      : {
          ...t.design.columns,
          features: [...t.features, ...others],
          target: t.labels[j] as string,
        };
  const stack = t.programs?.filter((_, k) => k !== j);
  const read = designRead(
    {
      ...t.design,
      columns,
      program:
        program === undefined || stack === undefined ? undefined : stackResponses(program, stack),
    },
    t.route,
  );
  // Cluster columns are read in every pass: a row missing one is missing from the fit too.
  return t.cluster === undefined ? read : { ...read, cluster: t.cluster };
}

/**
 * Target j's refinement pass at β (its own m coefficients), padded with
 * zeros for the other targets' columns; undefined when the source can be
 * read only once (finish.ts then warns).
 */
export function targetRefinePass(
  t: TargetsDesign,
  j: number,
  spec: AccumulatorSpec,
): ((beta: Float64Array) => Promise<RefineState>) | undefined {
  if (!canReread(t.ctx)) return undefined;
  const q = t.labels.length;
  const m = spec.p + (spec.intercept ? 1 : 0);
  const wide = accumulatorSpecOf(t.route, spec.p + q - 1, spec.kind);
  // The Gram of the refinement as a fit of y_j alone would have it (on for m ≤ 64).
  const gram = m <= GRAM_MAX_COLUMNS;
  return async (beta) => {
    const padded = new Float64Array(m + q - 1);
    padded.set(beta);
    const pass = await reducePass(
      t.ctx,
      {
        kind: 'refine',
        args: { read: targetRead(t, j), spec: wide, beta: padded, gram },
        phase: 'refine',
      },
      deserializeRefineState,
      mergeRefineStates,
    );
    return leadingRefineState(pass.state ?? createRefineState(wide, padded, { gram }), spec);
  };
}

/** Target j's pass at its final β (robust-SE meat, cluster scores, diagnostics). */
export function targetResidualPass(
  t: TargetsDesign,
  j: number,
): (args: Omit<ResidualArgs, 'read'>) => Promise<ResidualStates> {
  const q = t.labels.length;
  return async (args) => {
    const pass = await reducePass(
      t.ctx,
      {
        kind: 'residual',
        args: { ...args, read: { ...targetRead(t, j), presence: q - 1 } },
        phase: 'residuals',
      },
      decodeResidualStates,
      (a: ResidualStates, b: ResidualStates) =>
        mergeResidualStates(a, b, t.resolved.cluster ?? [], t.resolved.maxClusters),
    );
    return pass.state ?? {};
  };
}
