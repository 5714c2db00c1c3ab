/**
 * `fitGroups`: one exact model per group of the `by` columns, from one pass
 * (R's `by(d, d$store, function(s) lm(y ~ x, s))`, SQL's GROUP BY with
 * regr_*).
 *
 * The pass is `accumulate-groups` (tasks/accumulate-groups-task.ts): the
 * design is read as `accumulate` reads it (formula, factors, `where`, missing
 * values), and a row whose group value is missing is a missing row. Each
 * unit's groups come back sorted by key; they merge by key in unit order by
 * the fixed tree (run/reduce.ts), so the answer is bitwise the same for any
 * worker count. Each group's factor is then solved by the exact route's
 * finish (exact/finish.ts) without refinement passes: a group that would
 * have been refined gets a warning instead.
 *
 * A group whose fit fails (every weight zero, `--aliased error` with too few
 * rows, …) does not stop the others: it is listed in `skipped` with its
 * reason. Group keys are sorted: numbers ascending before texts, texts by
 * code units (groups/group-keys.ts).
 */
import { LinregError, SpecError } from '@linreg/errors';
import type { LinregModel } from '../../model/model.js';
import { createAccumulator, finalizeAccumulator } from '../../numerics/accumulate/index.js';
import type { Solution } from '../../numerics/solve/index.js';
import type { TriangularFactor } from '../../numerics/types.js';
import type { ResolvedFitSpec } from '../../options/index.js';
import { finishFit } from '../exact/finish.js';
import { clusterRead } from '../exact/fit-exact.js';
import { type FitInput, openFitSource, resolveFitInput } from '../fit.js';
import { fitPassContext, fitStats, routeSpecOf, withDesignNotes } from '../fit-run.js';
import type { FitOptions, FitStats } from '../fit-types.js';
import { chooseSolver, designRead, planDesign } from '../model-design.js';
import { accumulatorSpecOf } from '../projection.js';
import { reducePass } from '../run/pass.js';
import { decodeGroups, type GroupKey, type GroupStates, mergeGroups } from './group-keys.js';

/** A group's key: each `by` column's value. */
export type GroupKeyRecord = Readonly<Record<string, string | number>>;

export interface GroupFit {
  readonly key: GroupKeyRecord;
  readonly model: LinregModel;
  readonly factor: TriangularFactor;
  readonly solution: Solution;
}

export interface SkippedGroup {
  readonly key: GroupKeyRecord;
  /** Rows of the group that entered its accumulator. */
  readonly rows: number;
  /** The error's one-line message. */
  readonly reason: string;
}

export interface FitGroupsResult {
  readonly by: readonly string[];
  /** The fitted groups, sorted by key. */
  readonly groups: readonly GroupFit[];
  /** Groups whose fit failed, sorted by key. */
  readonly skipped: readonly SkippedGroup[];
  /** The whole pass: rows read, used (in any group), dropped for missing values (group values included). */
  readonly stats: FitStats;
}

export const REFINE_SKIPPED =
  'iterative refinement skipped: per-group fits (--by) are one pass over the data';

export async function fitGroups(
  spec: FitInput,
  options: FitOptions = {},
): Promise<FitGroupsResult> {
  const started = performance.now();
  const given = resolveFitInput(spec, options);
  const by = given.by;
  if (by === undefined) throw new SpecError('by', 'fitGroups needs group columns (by)');
  // The group columns are not features of the default feature set.
  const resolved: ResolvedFitSpec =
    given.formula === undefined && given.features === undefined
      ? { ...given, exclude: [...given.exclude, ...by.filter((c) => !given.exclude.includes(c))] }
      : given;
  const own = options.source === undefined;
  const source = await openFitSource(resolved, options);
  try {
    const ctx = fitPassContext(source, resolved, options);
    const design = await planDesign(ctx, resolved);
    const solver = chooseSolver(resolved.solver, design);
    if (solver === 'sgd') {
      throw new SpecError('by', 'needs an exact solver: per-group fits are one pass over the data');
    }
    const spec = routeSpecOf(resolved, solver, design);
    const accSpec = accumulatorSpecOf(spec, design.columns.features.length);
    const read = {
      ...designRead(design, spec),
      cluster: clusterRead(ctx, by, spec.timestamps, 'by'),
      sparse: false,
    };
    const pass = await reducePass(
      ctx,
      {
        kind: 'accumulate-groups',
        args: { read, spec: accSpec, by, maxGroups: spec.maxGroups },
        phase: 'read',
      },
      decodeGroups,
      (a, b) => mergeGroups(a, b, by, spec.maxGroups),
    );
    const merged: GroupStates = pass.state ?? { keys: [], states: [] };
    const groups: GroupFit[] = [];
    const skipped: SkippedGroup[] = [];
    for (let g = 0; g < merged.keys.length; g++) {
      const key = keyRecord(by, merged.keys[g] as GroupKey);
      const factor = finalizeAccumulator(merged.states[g] ?? createAccumulator(accSpec));
      const rows = { read: factor.rows, used: factor.rows, dropped: 0 };
      try {
        const finished = await finishFit({
          spec,
          target: design.columns.target,
          features: design.columns.features,
          terms: design.program,
          factor,
          rows,
          refinePass: undefined,
          refineSkipped: REFINE_SKIPPED,
        });
        const model = withDesignNotes(finished.model, design, spec.where);
        groups.push({ key, model, factor, solution: finished.solution });
      } catch (e) {
        if (!(e instanceof LinregError)) throw e;
        skipped.push({ key, rows: factor.rows, reason: e.message });
      }
    }
    return {
      by,
      groups,
      skipped,
      stats: fitStats(source, pass.counts, design.passes + 1, started),
    };
  } finally {
    if (own) await source.close();
  }
}

function keyRecord(by: readonly string[], key: GroupKey): GroupKeyRecord {
  return Object.fromEntries(by.map((name, c) => [name, key[c] as number | string]));
}
