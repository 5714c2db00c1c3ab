/**
 * What a fit's design is: the design columns' names, the target's and the
 * weights', and — for a formula — the program that computes the design from
 * raw columns, completed by the levels pass when it has factors or
 * orthogonal polynomials. `--target/--features` without a formula read their
 * columns as they are (no program, no copy).
 */

import { SpecError } from '@linreg/errors';
import { type ColumnInfo, columnsByName, IoError, type Plan } from '@linreg/io';
import type { RowFilter } from '../filter/index.js';
import type { Expr, Formula } from '../formula/ast.js';
import { type ColumnKind, compileFormula } from '../formula/compile.js';
import { formulaText } from '../formula/deparse.js';
import { DesignBuilder } from '../formula/design.js';
import {
  completeProgram,
  type LevelFindings,
  mergeFindings,
  needsLevels,
} from '../formula/levels.js';
import { parseFormula } from '../formula/parse.js';
import { type DesignProgram, designColumnNamesOf } from '../formula/program.js';
import type { ResolvedFitSpec } from '../options/index.js';
import { rowFilterOf } from './filter-read.js';
import { designColumnsOf } from './projection.js';
import { type PassContext, reducePass } from './run/pass.js';
import type { DesignColumns, DesignRead } from './tasks/protocol.js';

export interface ModelDesign {
  readonly columns: DesignColumns;
  readonly intercept: boolean;
  /** A formula's completed program; undefined when columns are read as they are. */
  readonly program: DesignProgram | undefined;
  /** Passes over the data spent on the design (the levels pass). */
  readonly passes: number;
  /** Design columns in one-hot blocks (a formula's factor terms), which the Gram route adds sparsely. */
  readonly oneHotColumns: number;
  /** What the default feature set left out, and why (the model's warnings). */
  readonly warnings: readonly string[];
  /** `where`: the row filter every pass applies (tasks/filter-rows.ts). */
  readonly filter?: RowFilter | undefined;
}

/** Designs narrower than this stay on TSQR: its p² per row is cheap there, and it is the more accurate route. */
const AUTO_NORMAL_MIN_COLUMNS = 50;

/**
 * `solver: 'auto'`: the Gram route when the design is wide and one-hot
 * columns are most of it (it adds them without touching the zeros; TSQR
 * pays p² per row for them), else TSQR.
 */
export function chooseSolver(
  solver: ResolvedFitSpec['solver'],
  design: ModelDesign,
): 'qr' | 'normal' | 'sgd' {
  if (solver !== 'auto') return solver;
  const p = design.columns.features.length;
  return p >= AUTO_NORMAL_MIN_COLUMNS && design.oneHotColumns > p / 2 ? 'normal' : 'qr';
}

export function designRead(design: ModelDesign, spec: ResolvedFitSpec): DesignRead {
  return {
    columns: design.columns,
    missing: spec.missing,
    ...(design.program === undefined ? {} : { program: design.program }),
    ...(design.filter === undefined ? {} : { filter: design.filter }),
  };
}

/** Source types that are booleans: factors with levels FALSE, TRUE, as R's logicals. */
const BOOLEAN_TYPES = new Set(['BOOLEAN', 'Bool', 'bool', 'boolean']);

export function columnKinds(columns: readonly ColumnInfo[], temporal: boolean): ColumnKind[] {
  return columns.map((c) => {
    return {
      name: c.name,
      numeric: c.numeric || (temporal && c.temporal === true),
      categorical: c.categorical === true,
      boolean: BOOLEAN_TYPES.has(c.sourceType),
    };
  });
}

/** `responses`: the other responses of a multi-target fit, which a formula's `.` leaves out. */
export async function planDesign(
  ctx: PassContext,
  spec: ResolvedFitSpec,
  responses: readonly string[] = [],
): Promise<ModelDesign> {
  const filter = rowFilterOf(ctx.source.plan, spec.where, spec.timestamps);
  const design = await planUnfiltered(ctx, spec, responses);
  return filter === undefined ? design : { ...design, filter };
}

async function planUnfiltered(
  ctx: PassContext,
  spec: ResolvedFitSpec,
  responses: readonly string[],
): Promise<ModelDesign> {
  // The first shard's columns, as io's default features: a later shard lacking one is named when checked.
  const plan = ctx.source.plan;
  const firstColumns = plan.shards[0]?.columns ?? plan.columns;
  const kinds = columnKinds(firstColumns, spec.timestamps);
  if (spec.formula !== undefined) {
    const formula = parseFormula(spec.formula);
    return finishDesign(ctx, spec, formula, kinds, [], [], responses);
  }
  if (spec.features !== undefined) return plainDesign(ctx, spec, spec.features, []);
  // Target and weights exist and are numeric in every shard (io names the shard otherwise).
  designColumnsOf(plan, { ...spec, features: [], exclude: [] });
  // The default feature set: numbers, and text columns as factors; never what looks like a key.
  const roles = new Set([spec.target, spec.weights, ...spec.exclude]);
  const warnings: string[] = [];
  const numeric: string[] = [];
  const factors: string[] = [];
  const kindOf = columnsByName(kinds);
  for (const c of firstColumns) {
    const kind = kindOf.get(c.name) as ColumnKind;
    if (roles.has(c.name) || !(kind.numeric || kind.categorical)) continue;
    if (KEY_NAME.test(c.name)) {
      warnings.push(
        `left out column ${c.name}: its name looks like a key (name it in --features or a formula to use it)`,
      );
      continue;
    }
    if (kind.numeric && !kind.boolean) numeric.push(c.name);
    else factors.push(c.name);
  }
  if (factors.length === 0) return plainDesign(ctx, spec, numeric, warnings);
  const formula = defaultFormula(spec.target as string, [...numeric, ...factors]);
  return finishDesign(ctx, spec, formula, kinds, factors, warnings);
}

/** Column names that are keys rather than measurements: `id`, `customer_id`, `orderId`, `uuid`, `key`. */
const KEY_NAME = /^(id|uuid|guid|key|.*[_.]id|.*[a-z]Id)$/i;

/** Least rows for "every value distinct" to mark a text column as a key. */
const KEY_MIN_ROWS = 20;

/** `--target/--features` (or the numeric default): the columns as read, no program. */
function plainDesign(
  ctx: PassContext,
  spec: ResolvedFitSpec,
  features: readonly string[],
  warnings: string[],
): ModelDesign {
  return {
    columns: designColumnsOf(ctx.source.plan, { ...spec, features: [...features], exclude: [] }),
    intercept: spec.intercept,
    program: undefined,
    passes: 0,
    oneHotColumns: 0,
    warnings,
  };
}

/** `target ~ a + b + …` as a parsed formula (names quoted as R would need them). */
function defaultFormula(target: string, columns: readonly string[]): Formula {
  const name = (n: string): Expr => ({ type: 'name', name: n, start: 0, end: 0 });
  const rhs = columns
    .slice(1)
    .reduce<Expr>(
      (left, c) => ({ type: 'binary', op: '+', left, right: name(c), start: 0, end: 0 }),
      name(columns[0] as string),
    );
  const lhs = name(target);
  return { text: formulaText({ text: '', lhs, rhs }), lhs, rhs };
}

/**
 * Compiles the formula, runs the levels pass when it has factors or
 * orthogonal polynomials, and completes the program. `optional` factors (the
 * default feature set's text columns) that pass --max-levels, or whose every
 * value is distinct, are left out with a warning, and the pass is run again
 * without them (their nulls no longer drop rows).
 */
async function finishDesign(
  ctx: PassContext,
  spec: ResolvedFitSpec,
  formula: Formula,
  kinds: readonly ColumnKind[],
  optional: readonly string[],
  warnings: string[],
  responses: readonly string[] = [],
): Promise<ModelDesign> {
  let program = compileFormula(formula, {
    columns: kinds,
    weights: spec.weights,
    exclude: responses,
    // --no-intercept (an explicit false) overrides the formula; the default keeps the formula's.
    intercept: spec.intercept ? undefined : false,
  });
  if (program.response === undefined) {
    throw new SpecError('formula', "needs a response to fit: 'y ~ …'");
  }
  checkInputs(ctx.source.plan, program, spec.timestamps);
  let passes = 0;
  if (needsLevels(program)) {
    if (!ctx.source.rereadable) {
      throw new SpecError(
        'formula',
        'factors and poly() need a pass to find levels before the fit; stdin can be read only once (save it to a file)',
      );
    }
    const optionalAt = program.variables.flatMap((v, k) =>
      v.kind === 'factor' && optional.includes(v.label) ? [k] : [],
    );
    const pass = await reducePass(
      ctx,
      {
        kind: 'levels',
        args: {
          program,
          missing: spec.missing,
          maxLevels: spec.maxLevels,
          optional: optionalAt,
          filter: rowFilterOf(ctx.source.plan, spec.where, spec.timestamps),
        },
        phase: 'levels',
      },
      (o: LevelFindings) => o,
      mergeFindings,
    );
    passes = 1;
    const findings = pass.state ?? emptyFindings(program);
    const dropped = optionalAt.filter((k) => {
      const levels = findings.text[k]?.length ?? 0;
      const label = (program.variables[k] as { label: string }).label;
      if (findings.overflow[k] === true || levels > spec.maxLevels) {
        warnings.push(
          `left out column ${label}: more than ${spec.maxLevels} distinct values (--max-levels); use a formula to choose factors`,
        );
        return true;
      }
      if (levels === findings.rows && findings.rows >= KEY_MIN_ROWS) {
        warnings.push(`left out column ${label}: every value is distinct, so it looks like a key`);
        return true;
      }
      return false;
    });
    if (dropped.length > 0) {
      const keep = new Set(dropped.map((k) => (program.variables[k] as { label: string }).label));
      const columns = [...namesOf(formula.rhs)].filter((c) => !keep.has(c));
      if (columns.length === 0) {
        return plainDesign(ctx, spec, [], warnings);
      }
      const rest = defaultFormula(spec.target as string, columns);
      const again = await finishDesign(ctx, spec, rest, kinds, [], warnings);
      return { ...again, passes: again.passes + passes };
    }
    program = completeProgram(program, findings, spec.maxLevels);
  }
  return {
    columns: {
      features: designColumnNamesOf(program),
      target: program.response?.label ?? '',
      ...(spec.weights === undefined ? {} : { weights: spec.weights }),
    },
    intercept: program.intercept,
    program,
    passes,
    oneHotColumns: (() => {
      const builder = new DesignBuilder(program);
      return builder.width - builder.denseWidth;
    })(),
    warnings,
  };
}

/**
 * Every shard has each input the program reads, readable as the program
 * reads it; `missing` words the problem of an absent column (fit: no such
 * column; predict: the model needs it).
 */
export function checkInputs(
  plan: Plan,
  program: DesignProgram,
  temporal: boolean,
  missing = 'no such column',
): void {
  for (const shard of plan.shards) {
    const kindOf = columnsByName(columnKinds(shard.columns ?? plan.columns, temporal));
    for (const input of program.inputs) {
      const kind = kindOf.get(input.name);
      if (kind === undefined) {
        throw new IoError('missing-column', { file: shard.file, column: input.name }, missing);
      }
      if (input.categorical ? !kind.categorical : !kind.numeric) {
        throw new IoError(
          'non-numeric',
          { file: shard.file, column: input.name },
          input.categorical
            ? 'read as a factor, but it holds no categories'
            : 'read as a number, but it is not numeric',
        );
      }
    }
  }
}

/** The column names of a `a + b + …` chain, in order. */
function namesOf(e: Expr): string[] {
  if (e.type === 'name') return [e.name];
  if (e.type === 'binary') return [...namesOf(e.left), ...namesOf(e.right)];
  return [];
}

function emptyFindings(program: DesignProgram): LevelFindings {
  return {
    text: program.variables.map((v) => (v.kind === 'factor' ? [] : null)),
    numbers: program.variables.map(() => null),
    sums: program.variables.map(() => null),
    overflow: program.variables.map(() => false),
    rows: 0,
  };
}
