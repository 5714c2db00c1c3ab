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
 * Refinement is per target, as a fit alone refines: a target whose solution
 * asks for it (`refine: auto`), or every target (`on`), gets up to two
 * `refine` passes over its own rows at its own β (the other targets read as
 * extra columns at β = 0, so the rows are the fit's;
 * numerics/refine/refine-target.ts keeps the target's part of the state).
 *
 * Robust (`se`) and cluster-robust standard errors and residual diagnostics
 * take one `residual` pass per target at its final β, over the same rows
 * (the other targets read, then left out of the batch: DesignRead.presence).
 *
 * Supported: --features or the default feature set, formulas (factors,
 * poly(), interactions, transforms of the responses), weights, `where`,
 * ridge and --standardize, refinement, se/cluster/diagnostics (all per
 * target), offset() (taken from every response, as R's lm.fit does), both
 * exact solvers, stdin (one pass only: refinement is then skipped with a
 * warning, se/cluster/diagnostics refused). Refused with one line: --by, the
 * SGD solver.
 */
import { SpecError } from '@linreg/errors';
import type { Expr, Formula } from '../../formula/ast.js';
import { compileFormula } from '../../formula/compile.js';
import { parseFormula } from '../../formula/parse.js';
import type { DesignProgram } from '../../formula/program.js';
import {
  responseColumns,
  responsesOf,
  targetProgram,
  withResponse,
} from '../../formula/responses.js';
import type { LinregModel } from '../../model/model.js';
import { finalizeAccumulator, targetState } from '../../numerics/accumulate/index.js';
import type { Solution } from '../../numerics/solve/index.js';
import type { TriangularFactor } from '../../numerics/types.js';
import type { ResolvedFitSpec } from '../../options/index.js';
import { finishFit } from '../exact/finish.js';
import { accumulatePass, clusterRead } from '../exact/fit-exact.js';
import { type FitInput, openFitSource, resolveFitInput } from '../fit.js';
import { fitPassContext, fitStats, routeSpecOf, withDesignNotes } from '../fit-run.js';
import type { FitOptions, FitStats } from '../fit-types.js';
import { chooseSolver, columnKinds, planDesign } from '../model-design.js';
import { accumulatorSpecOf } from '../projection.js';
import { checkTargetOptions, ONE_PASS, targetsOf } from './target-options.js';
import {
  type TargetsDesign,
  targetRead,
  targetRefinePass,
  targetResidualPass,
} from './target-passes.js';

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
    const ctx = fitPassContext(source, resolved, options);
    const kinds = columnKinds(
      ctx.source.plan.shards[0]?.columns ?? ctx.source.plan.columns,
      resolved.timestamps,
    );
    // Each target's own program (y_j ~ rhs), compiled as a fit of y_j alone compiles it.
    const compileTarget = (f: Formula, response: Expr): DesignProgram =>
      compileFormula(
        { text: f.text, lhs: response, rhs: f.rhs },
        {
          columns: kinds,
          weights: resolved.weights,
          intercept: resolved.intercept ? undefined : false,
          exclude: responseColumns(responses),
        },
      );
    // A formula's: compiled before any pass, so an error names the formula as written.
    const written =
      formula === undefined ? undefined : responses.map((r) => compileTarget(formula, r));
    // Robust SEs, clusters and diagnostics take a pass per target after the fit, as in exact/fit-exact.ts.
    const again =
      'needs a second pass over the data; stdin can be read only once (save it to a file)';
    if (!ctx.source.rereadable) {
      if (resolved.se !== 'classical') throw new SpecError('se', `${resolved.se} ${again}`);
      if (resolved.cluster !== undefined) throw new SpecError('cluster', again);
      if (resolved.diagnostics) throw new SpecError('diagnostics', again);
    }
    const design = await planDesign(ctx, resolved, responseColumns(responses));
    const solver = chooseSolver(resolved.solver, design);
    if (solver === 'sgd')
      throw new SpecError('solver', `sgd cannot fit several targets (${ONE_PASS})`);
    const program = design.program;
    const features = design.columns.features;
    const clash = features.find((f) => names.includes(f));
    if (clash !== undefined) {
      throw new SpecError('target', `column ${clash} is a target and also a feature`);
    }
    const routeSpec = routeSpecOf(resolved, solver, design);
    // Completed by the levels pass: each target's program takes the levels and constants of the fit's.
    const programs: DesignProgram[] | undefined =
      program === undefined
        ? undefined
        : responses.map((r, j) =>
            j === q - 1
              ? program
              : targetProgram(
                  program,
                  written?.[j] ?? compileTarget(parseFormula(program.formula), r),
                ),
          );
    const labels = [
      ...(programs === undefined
        ? names.slice(0, -1)
        : programs.slice(0, -1).map((r) => r.response?.label ?? '')),
      design.columns.target,
    ];
    const t: TargetsDesign = {
      ctx,
      resolved,
      route: routeSpec,
      design,
      features,
      names,
      labels,
      programs,
      cluster:
        resolved.cluster === undefined
          ? undefined
          : clusterRead(ctx, resolved.cluster, resolved.timestamps),
    };
    // The one pass: the last target's read holds every target.
    const read = targetRead(t, q - 1);
    const accSpec = accumulatorSpecOf(routeSpec, read.columns.features.length);
    const { state, counts: c } = await accumulatePass(ctx, read, accSpec);
    const rows = { read: c.rowsRead, used: c.rowsUsed, dropped: c.rowsDropped };
    const targets: TargetFit[] = [];
    // Passes a target took after the one accumulate pass (refinement, residuals).
    let later = 0;
    for (let j = 0; j < q; j++) {
      const factor = finalizeAccumulator(targetState(state, features.length, j));
      const label = labels[j] as string;
      const terms = programs?.[j];
      const finished = await finishFit({
        spec: { ...routeSpec, target: label },
        target: label,
        features,
        terms,
        factor,
        rows,
        refinePass: targetRefinePass(t, j, factor.spec),
        residualPass: targetResidualPass(t, j),
        unitFiles: source.units.map((u) => u.file),
      });
      const model = withDesignNotes(finished.model, design, resolved.where);
      later += finished.passes;
      targets.push({ target: label, model, factor, solution: finished.solution });
    }
    return {
      targets,
      stats: fitStats(source, c, design.passes + 1 + later, started),
    };
  } finally {
    if (own) await source.close();
  }
}
