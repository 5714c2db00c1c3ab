/**
 * `fitTargets`: several targets in one pass (R's `lm(cbind(y1, y2) ~ x)`, an
 * `mlm`), from `cbind(y1, y2, …) ~ …` or `target: 'y1,y2,…'`.
 *
 * One `accumulate` pass builds the state of `[1 X Y]`: the design read with
 * y₁ … y_{q−1} as extra last columns and y_q as the target (a formula's
 * program is stacked: formula/responses.ts). A row with any target missing
 * is dropped for all of them (R's `na.omit` of the model frame). Each target
 * j then gets the state of `[1 X y_j]` (numerics/accumulate/target-state.ts)
 * and is finished by the exact route's finish (exact/finish.ts), so its
 * coefficients, standard errors, t, p, R², F and aliasing are those a fit of
 * that target alone gives; rank is decided on X, the same for every target.
 *
 * Supported: --features or the default feature set, formulas (factors,
 * poly(), interactions, transforms of the responses), weights, `where`,
 * ridge and --standardize (per target), both exact solvers, stdin. Refused
 * with one line: --by, the SGD solver, robust or cluster standard errors,
 * --diagnostics and --refine on (each needs a pass per target), offsets;
 * `refine: auto` skips refinement with a warning when a target would want it.
 */
import { SpecError } from '@linreg/errors';
import type { Expr } from '../../formula/ast.js';
import { compileFormula } from '../../formula/compile.js';
import { deparse } from '../../formula/deparse.js';
import { parseFormula } from '../../formula/parse.js';
import type { DesignProgram } from '../../formula/program.js';
import {
  responseColumns,
  responsesOf,
  stackResponses,
  targetProgram,
  withResponse,
} from '../../formula/responses.js';
import type { LinregModel } from '../../model/model.js';
import {
  createAccumulator,
  deserializeAccumulator,
  finalizeAccumulator,
  mergeAccumulators,
  targetState,
} from '../../numerics/accumulate/index.js';
import type { Solution } from '../../numerics/solve/index.js';
import type { TriangularFactor } from '../../numerics/types.js';
import type { ResolvedFitSpec } from '../../options/index.js';
import { finishFit } from '../exact/finish.js';
import { type FitInput, openFitSource, resolveFitInput } from '../fit.js';
import type { FitOptions, FitStats } from '../fit-types.js';
import {
  chooseSolver,
  columnKinds,
  designRead,
  type ModelDesign,
  planDesign,
} from '../model-design.js';
import { accumulatorSpecOf, designColumnsOf } from '../projection.js';
import { type PassContext, reducePass } from '../run/pass.js';

export interface TargetFit {
  /** The target's name (a formula's response as R prints it, e.g. `log(y1)`). */
  readonly target: string;
  readonly model: LinregModel;
  readonly factor: TriangularFactor;
  readonly solution: Solution;
}

export interface FitTargetsResult {
  /** One fit per target, in the order given. */
  readonly targets: readonly TargetFit[];
  /** The one pass: rows read, used (every target present), dropped for missing values. */
  readonly stats: FitStats;
}

export const TARGETS_REFINE_SKIPPED =
  'iterative refinement skipped: several targets are fitted in one pass (fit this target alone to refine it)';

const ONE_PASS = 'several targets are fitted from one pass over the data';

/**
 * The targets of a spec: a formula's `cbind(…)` responses as R prints them,
 * or `target` split at commas; undefined for one target.
 */
export function targetsOf(
  spec: Pick<FitInput, 'formula' | 'target'>,
): readonly string[] | undefined {
  if (spec.formula !== undefined) return responsesOf(parseFormula(spec.formula))?.map(deparse);
  if (spec.target === undefined || !spec.target.includes(',')) return undefined;
  return spec.target.split(',').map((t) => t.trim());
}

/** One line for each option that several targets cannot take. */
function checkTargetOptions(spec: ResolvedFitSpec, targets: readonly string[]): void {
  if (targets.some((t) => t === '')) throw new SpecError('target', 'names an empty column');
  if (new Set(targets).size !== targets.length) {
    throw new SpecError('target', 'names a column twice');
  }
  const alone = `${ONE_PASS}; fit each target alone`;
  if (spec.by !== undefined)
    throw new SpecError('by', `cannot be combined with several targets: ${ONE_PASS}`);
  if (spec.solver === 'sgd') {
    throw new SpecError('solver', `sgd cannot fit several targets: use qr or normal (${ONE_PASS})`);
  }
  if (spec.se !== 'classical') {
    throw new SpecError('se', `${spec.se} is not available for several targets: ${alone}`);
  }
  if (spec.cluster !== undefined) {
    throw new SpecError('cluster', `is not available for several targets: ${alone}`);
  }
  if (spec.diagnostics) {
    throw new SpecError('diagnostics', `is not available for several targets: ${alone}`);
  }
  if (spec.refine === 'on') {
    throw new SpecError('refine', `on is not available for several targets: ${alone}`);
  }
  for (const used of [spec.weights, ...(spec.features ?? [])]) {
    if (used !== undefined && targets.includes(used)) {
      throw new SpecError('target', `column ${used} is a target and also a feature or the weights`);
    }
  }
}

export async function fitTargets(
  spec: FitInput,
  options: FitOptions = {},
): Promise<FitTargetsResult> {
  const started = performance.now();
  const given = resolveFitInput(spec, options);
  const formula = given.formula === undefined ? undefined : parseFormula(given.formula);
  const names = targetsOf(given);
  if (names === undefined) {
    throw new SpecError('target', "fitTargets needs several targets: 'y1,y2' or cbind(y1, y2) ~ …");
  }
  checkTargetOptions(given, names);
  const q = names.length;
  // Each response as an expression: a formula's, or the named columns.
  const responses: readonly Expr[] =
    (formula === undefined ? undefined : responsesOf(formula)) ??
    names.map((name) => ({ type: 'name', name, start: 0, end: 0 }));
  const last = responses[q - 1] as Expr;
  // The design of the last target; the other targets are left out of the features and of `.`.
  const others = responseColumns(responses.slice(0, -1));
  const resolved: ResolvedFitSpec =
    formula === undefined
      ? {
          ...given,
          target: names[q - 1],
          exclude: [...given.exclude, ...others.filter((c) => !given.exclude.includes(c))],
        }
      : { ...given, formula: withResponse(formula, last).text };
  const own = options.source === undefined;
  const source = await openFitSource(resolved, options);
  try {
    const ctx: PassContext = {
      source,
      batchRows: resolved.batchRows,
      signal: options.signal,
      onProgress: options.onProgress,
    };
    const design = await planDesign(ctx, resolved, responseColumns(responses));
    const solver = chooseSolver(resolved.solver, design);
    if (solver === 'sgd')
      throw new SpecError('solver', `sgd cannot fit several targets (${ONE_PASS})`);
    const program = design.program;
    if (program !== undefined && program.offsets.length > 0) {
      throw new SpecError(
        'formula',
        'offset() is not available for several targets: fit each target alone',
      );
    }
    const features = design.columns.features;
    const clash = features.find((f) => names.includes(f));
    if (clash !== undefined) {
      throw new SpecError('target', `column ${clash} is a target and also a feature`);
    }
    const routeSpec = {
      ...resolved,
      solver,
      target: design.columns.target,
      intercept: design.intercept,
    };
    // Each target's own program (y_j ~ rhs), compiled as a fit of y_j alone compiles it.
    const kinds = columnKinds(
      ctx.source.plan.shards[0]?.columns ?? ctx.source.plan.columns,
      resolved.timestamps,
    );
    const rhs = program === undefined ? undefined : parseFormula(program.formula);
    const own: DesignProgram[] | undefined =
      program === undefined || rhs === undefined
        ? undefined
        : responses.map((r, j) =>
            j === q - 1
              ? program
              : targetProgram(
                  program,
                  compileFormula(withResponse(rhs, r), {
                    columns: kinds,
                    weights: resolved.weights,
                    intercept: resolved.intercept ? undefined : false,
                    exclude: responseColumns(responses),
                  }),
                ),
          );
    const extra = own?.slice(0, -1);
    const labels = [
      ...(extra === undefined ? names.slice(0, -1) : extra.map((r) => r.response?.label ?? '')),
      design.columns.target,
    ];
    const columns =
      program === undefined
        ? // Checks that each other target is a numeric column of every shard, naming it otherwise.
          designColumnsOf(ctx.source.plan, {
            ...resolved,
            features: [...features, ...labels.slice(0, -1)],
            exclude: [],
          })
        : { ...design.columns, features: [...features, ...labels.slice(0, -1)] };
    const stacked: ModelDesign = {
      ...design,
      columns,
      program:
        program === undefined || extra === undefined ? undefined : stackResponses(program, extra),
    };
    const accSpec = accumulatorSpecOf(routeSpec, stacked.columns.features.length);
    const read = designRead(stacked, routeSpec);
    const pass = await reducePass(
      ctx,
      {
        kind: 'accumulate',
        args: { read: { ...read, sparse: accSpec.kind === 'normal' }, spec: accSpec },
        phase: 'read',
      },
      deserializeAccumulator,
      mergeAccumulators,
    );
    const state = pass.state ?? createAccumulator(accSpec);
    const c = pass.counts;
    const rows = { read: c.rowsRead, used: c.rowsUsed, dropped: c.rowsDropped };
    const targets: TargetFit[] = [];
    for (let j = 0; j < q; j++) {
      const factor = finalizeAccumulator(targetState(state, features.length, j));
      const label = labels[j] as string;
      const terms = own?.[j];
      const finished = await finishFit({
        spec: { ...routeSpec, target: label },
        target: label,
        features,
        terms,
        factor,
        rows,
        refinePass: undefined,
        refineSkipped: TARGETS_REFINE_SKIPPED,
      });
      const warned =
        design.warnings.length === 0
          ? finished.model
          : { ...finished.model, warnings: [...design.warnings, ...finished.model.warnings] };
      const model = resolved.where === undefined ? warned : { ...warned, where: resolved.where };
      targets.push({ target: label, model, factor, solution: finished.solution });
    }
    return {
      targets,
      stats: {
        inputs: source.plan.shards.length,
        units: source.units.length,
        workers: source.workers,
        rowsRead: c.rowsRead,
        rowsUsed: c.rowsUsed,
        rowsDropped: c.rowsDropped,
        bytes: c.bytes,
        passes: design.passes + 1,
        seconds: (performance.now() - started) / 1000,
      },
    };
  } finally {
    if (own) await source.close();
  }
}
