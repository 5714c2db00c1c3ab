/**
 * Options of `fit` and `predictFiles`: the table (table.ts) and what is
 * derived from it — the library's types and the resolver that checks every
 * option once, at the public boundary, and fills every default. Inner
 * functions take the resolved types.
 */
import { parseFilter } from '../filter/parse.js';
import { parseFormula } from '../formula/parse.js';
import type { Command, InputOf, ResolvedOf } from './decl.js';
import { resolveOptions } from './resolve.js';
import { checkFitOptions, OPTIONS } from './table.js';

export type {
  CliDecl,
  Command,
  DefaultOf,
  InputOf,
  OptionDecl,
  OptionTable,
  ResolveContext,
  ResolvedOf,
  SolverName,
} from './decl.js';
export { option } from './decl.js';
export type { Kind, KindType, Range } from './kinds.js';
export {
  boolean,
  choice,
  column,
  columns,
  filterText,
  formulaText,
  integer,
  number,
  numberOrAuto,
  paths,
  show,
} from './kinds.js';
export { optionsOf, type ResolveOptionsOf, resolveOptions } from './resolve.js';
export { AUTO_CHECK_MAX_FEATURES, checkFitOptions, DEFAULT_BATCH_ROWS, OPTIONS } from './table.js';

export type OptionKey = keyof typeof OPTIONS;
export type OptionsOf<C extends Command> = InputOf<typeof OPTIONS, C>;

/** What a fit is asked to do: `inputs` and `target`, and any other fit option. */
export type FitSpec = InputOf<typeof OPTIONS, 'fit'>;
/** FitSpec with every option checked and every default filled in. */
export type ResolvedFitSpec = ResolvedOf<typeof OPTIONS, 'fit'>;
/** The options of predictFiles from the table. */
export type PredictSpec = InputOf<typeof OPTIONS, 'predict'>;
/** PredictSpec resolved against a model (level and timestamps default to the model's). */
export type ResolvedPredictSpec = ResolvedOf<typeof OPTIONS, 'predict'>;
/** The options of scoreFiles from the table. */
export type ScoreSpec = InputOf<typeof OPTIONS, 'score'>;
export type ResolvedScoreSpec = ResolvedOf<typeof OPTIONS, 'score'>;
/** The options of reportFiles from the table. */
export type ReportSpec = InputOf<typeof OPTIONS, 'report'>;
export type ResolvedReportSpec = ResolvedOf<typeof OPTIONS, 'report'>;

export type Solver = ResolvedFitSpec['solver'];
export type RefineMode = ResolvedFitSpec['refine'];

/** Check every option of a fit once and fill its defaults; SpecError names the offending option. */
export function resolveFitSpec(spec: FitSpec): ResolvedFitSpec {
  const resolved = resolveOptions(OPTIONS, 'fit', spec);
  checkFitOptions(resolved);
  // The grammar is checked here, once; columns are checked against the data when the fit starts.
  if (resolved.formula !== undefined) parseFormula(resolved.formula);
  if (resolved.where !== undefined) parseFilter(resolved.where);
  return resolved;
}

/**
 * Check the options of a prediction from `model`; `passThrough` names keys of
 * `options` that are not table options (the caller's run settings).
 */
export function resolvePredictSpec(
  options: PredictSpec,
  model: { readonly level: number; readonly timestamps?: boolean | undefined },
  passThrough: readonly string[] = [],
): ResolvedPredictSpec {
  return resolveOptions(OPTIONS, 'predict', options, { model, passThrough });
}

/** Check the options of scoring data against `model` (timestamps default to the model's). */
export function resolveScoreSpec(
  options: ScoreSpec,
  model: { readonly level: number; readonly timestamps?: boolean | undefined },
  passThrough: readonly string[] = [],
): ResolvedScoreSpec {
  const resolved = resolveOptions(OPTIONS, 'score', options, { model, passThrough });
  // The grammar is checked here, once; columns are checked against the data.
  if (resolved.where !== undefined) parseFilter(resolved.where);
  return resolved;
}

/** Check the options of a diagnostics report on `model` (timestamps default to the model's). */
export function resolveReportSpec(
  options: ReportSpec,
  model: { readonly level: number; readonly timestamps?: boolean | undefined },
  passThrough: readonly string[] = [],
): ResolvedReportSpec {
  return resolveOptions(OPTIONS, 'report', options, { model, passThrough });
}
