/**
 * From an expanded formula and the data's columns to a design program
 * (program.ts): each variable classified (number, orthogonal or raw
 * polynomial, factor), each factor's coding in each term chosen by R's rule,
 * and every column the program reads listed once. Levels and polynomial
 * constants are left for the data pass (complete.ts).
 *
 * R's coding rule (model.c, TermCode): a factor in a term is coded by
 * contrasts when the term without it is in the model — the intercept is the
 * empty term — and by one column per level otherwise. So `y ~ g + x - 1`
 * keeps every level of g, and `y ~ g:x` gives one slope per level.
 */
import { FormulaError } from '@linreg/errors';
import type { Argument, CallNode, Expr, Formula } from './ast.js';
import { deparse, formulaText } from './deparse.js';
import { isUnaryFunction } from './num-expr.js';
import type {
  Coding,
  DesignProgram,
  NumExpr,
  ProgramInput,
  ProgramTerm,
  Variable,
} from './program.js';
import { type ExpandedFormula, expandFormula } from './terms.js';

/** What the compiler needs to know of a column. */
export interface ColumnKind {
  readonly name: string;
  /** Readable as float64. */
  readonly numeric: boolean;
  /** Readable as categories (text, booleans; every CSV column). */
  readonly categorical: boolean;
  /** A boolean column: a factor with levels FALSE, TRUE, as R treats logicals. */
  readonly boolean: boolean;
}

export interface CompileOptions {
  readonly columns: readonly ColumnKind[];
  /** The weights column, read along and left out of `.`. */
  readonly weights?: string | undefined;
  /** Override of the formula's intercept (`--no-intercept`); undefined keeps the formula's. */
  readonly intercept?: boolean | undefined;
  /** More columns `.` leaves out: the other responses of a multi-target fit (cbind). */
  readonly exclude?: readonly string[] | undefined;
}

const FACTOR_FUNCTIONS = new Set(['factor', 'as.factor', 'C', 'relevel']);

/** Deepest numeric expression compiled (the model file's reader has the same bound). */
export const MAX_EXPRESSION_DEPTH = 200;

export function compileFormula(formula: Formula, options: CompileOptions): DesignProgram {
  const byName = new Map(options.columns.map((c) => [c.name, c]));
  const inputs: ProgramInput[] = [];
  const fail = (at: Expr, problem: string): never => {
    throw new FormulaError(formula.text, at.start + 1, problem);
  };
  const column = (at: Expr, name: string): ColumnKind => {
    const c = byName.get(name);
    if (c === undefined) {
      const known = options.columns
        .slice(0, 8)
        .map((k) => k.name)
        .join(', ');
      fail(
        at,
        `no column named '${name}' (has ${known}${options.columns.length > 8 ? ', …' : ''})`,
      );
    }
    return c as ColumnKind;
  };
  const input = (name: string, categorical: boolean, at: Expr): number => {
    const other = inputs.findIndex((i) => i.name === name && i.categorical !== categorical);
    if (other >= 0) fail(at, `column '${name}' is used both as a factor and as a number`);
    const known = inputs.findIndex((i) => i.name === name);
    if (known >= 0) return known;
    inputs.push({ name, categorical });
    return inputs.length - 1;
  };

  let depth = 0;
  const numeric = (e: Expr): NumExpr => {
    // Evaluation recurses once per level of the expression: keep it far from the stack's limit.
    if (depth > MAX_EXPRESSION_DEPTH)
      fail(e, `expression nested deeper than ${MAX_EXPRESSION_DEPTH}`);
    depth += 1;
    try {
      return numericNode(e);
    } finally {
      depth -= 1;
    }
  };

  const numericNode = (e: Expr): NumExpr => {
    switch (e.type) {
      case 'name': {
        const c = column(e, e.name);
        if (!c.numeric) {
          fail(e, `column '${e.name}' is not numeric; use it as a factor, not in arithmetic`);
        }
        return { op: 'input', input: input(e.name, false, e) };
      }
      case 'number':
        return { op: 'const', value: e.value };
      case 'boolean':
        return { op: 'const', value: e.value ? 1 : 0 };
      case 'paren':
        return numeric(e.inner);
      case 'unary':
        return e.op === '-' ? { op: 'neg', a: numeric(e.operand) } : numeric(e.operand);
      case 'binary': {
        const ops = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '^': 'pow' } as const;
        if (e.op === ':' || e.op === '%in%') {
          return fail(e, `'${e.op}' is not arithmetic; inside a function write * for a product`);
        }
        return { op: ops[e.op], a: numeric(e.left), b: numeric(e.right) };
      }
      case 'call':
        return numericCall(e);
      case 'string':
      case 'dot':
        return fail(e, `a ${e.type === 'dot' ? "'.'" : 'string'} is not a number`);
    }
  };

  const numericCall = (e: CallNode): NumExpr => {
    if (e.fn === 'I') return numeric(onlyArg(e, fail));
    if (e.fn === 'pow') {
      const [a, b] = positional(e, 2, 2, fail);
      return { op: 'pow', a: numeric(a as Expr), b: numeric(b as Expr) };
    }
    if (e.fn === 'log' && e.args.length === 2) {
      const base = e.args[1] as Argument;
      if (base.name !== undefined && base.name !== 'base')
        fail(base.value, `log() has no argument '${base.name}'`);
      return {
        op: 'log-base',
        a: numeric((e.args[0] as Argument).value),
        base: numeric(base.value),
      };
    }
    if (isUnaryFunction(e.fn)) return { op: 'fn', fn: e.fn, a: numeric(onlyArg(e, fail)) };
    if (FACTOR_FUNCTIONS.has(e.fn) || e.fn === 'poly') {
      return fail(e, `${e.fn}() makes design columns and cannot be used inside arithmetic`);
    }
    return fail(
      e,
      `unknown function '${e.fn}' (known: I, log, log1p, log2, log10, exp, expm1, sqrt, abs, pow, poly, factor, C, offset)`,
    );
  };

  const classify = (label: string, e: Expr): Variable => {
    if (e.type === 'name') {
      const c = column(e, e.name);
      if (c.boolean || (!c.numeric && c.categorical)) {
        return {
          kind: 'factor',
          label,
          source: { kind: 'categorical', input: input(e.name, true, e) },
          ...(c.boolean ? { logical: true } : {}),
        };
      }
      return { kind: 'numeric', label, expr: numeric(e) };
    }
    if (e.type === 'call' && FACTOR_FUNCTIONS.has(e.fn)) return factorCall(label, e);
    if (e.type === 'call' && e.fn === 'poly') return polyCall(label, e);
    return { kind: 'numeric', label, expr: numeric(e) };
  };

  const factorCall = (label: string, e: CallNode): Variable => {
    const [x] = positional(e, 1, 1, fail, ['ref']);
    const arg = x as Expr;
    const refArg = e.args.find((a) => a.name === 'ref');
    if (e.fn === 'relevel' && refArg === undefined) {
      fail(e, 'relevel() needs ref = "level"');
    }
    const ref = refArg === undefined ? undefined : levelText(refArg.value, fail);
    const c = arg.type === 'name' ? column(arg, arg.name) : undefined;
    const categorical = c !== undefined && (c.boolean || (!c.numeric && c.categorical));
    return {
      kind: 'factor',
      label,
      source: categorical
        ? { kind: 'categorical', input: input((arg as { name: string }).name, true, arg) }
        : { kind: 'numeric', expr: numeric(arg) },
      ...(ref === undefined ? {} : { ref }),
      ...(c?.boolean === true ? { logical: true } : {}),
    };
  };

  const polyCall = (label: string, e: CallNode): Variable => {
    const [x, d] = positional(e, 1, 2, fail, ['degree', 'raw']);
    const degreeArg = d ?? e.args.find((a) => a.name === 'degree')?.value;
    const degree = degreeArg === undefined ? 1 : integerLiteral(degreeArg, fail);
    if (degree < 1 || degree > 20) fail(degreeArg ?? e, 'poly() degree must be 1 to 20');
    const rawArg = e.args.find((a) => a.name === 'raw')?.value;
    if (rawArg !== undefined && rawArg.type !== 'boolean')
      fail(rawArg, 'raw must be TRUE or FALSE');
    const raw = rawArg?.type === 'boolean' && rawArg.value;
    return { kind: 'poly', label, expr: numeric(x as Expr), degree, raw };
  };

  if (formula.lhs?.type === 'call' && formula.lhs.fn === 'cbind') {
    // One program has one response; several are stacked by fitTargets (responses.ts).
    fail(formula.lhs, 'several responses (cbind) are fitted by fitTargets(), not fit()');
  }
  const response = formula.lhs === undefined ? undefined : numeric(formula.lhs);
  const dotColumns = options.columns.map((c) => c.name);
  const expanded: ExpandedFormula = expandFormula(formula, {
    columns: dotColumns,
    exclude: [
      ...(options.weights === undefined ? [] : [options.weights]),
      ...(options.exclude ?? []),
    ],
  });
  const variables: Variable[] = [];
  const variableIndex = new Map<number, number>();
  const terms: ProgramTerm[] = [];
  const present = new Set<string>();
  const intercept = options.intercept ?? expanded.intercept;
  if (intercept) present.add('');
  for (const term of expanded.terms) {
    const own = term.map((v) => {
      let i = variableIndex.get(v);
      if (i === undefined) {
        const fv = expanded.variables[v] as { label: string; expr: Expr };
        variables.push(classify(fv.label, fv.expr));
        i = variables.length - 1;
        variableIndex.set(v, i);
      }
      return i;
    });
    const coding: Coding[] = term.map((_, k) => {
      const without = term.filter((__, j) => j !== k).join(',');
      return present.has(without) ? 'contrasts' : 'full';
    });
    present.add(term.join(','));
    terms.push({
      label: term.map((v) => (expanded.variables[v] as { label: string }).label).join(':'),
      variables: own,
      coding,
    });
  }
  const weights =
    options.weights === undefined
      ? undefined
      : input(options.weights, false, {
          type: 'name',
          name: options.weights,
          start: 0,
          end: 0,
        });
  if (options.weights !== undefined) {
    const w = byName.get(options.weights);
    if (w === undefined || !w.numeric)
      throw new FormulaError(
        formula.text,
        1,
        `weights column '${options.weights}' is missing or not numeric`,
      );
  }
  return {
    formula: formulaText(formula),
    inputs,
    ...(response === undefined || formula.lhs === undefined
      ? {}
      : { response: { label: deparse(formula.lhs), expr: response } }),
    offsets: expanded.offsets.map((e) => ({ label: deparse(e), expr: numeric(e) })),
    ...(weights === undefined ? {} : { weights }),
    intercept,
    variables,
    terms,
  };
}

function onlyArg(e: CallNode, fail: (at: Expr, problem: string) => never): Expr {
  const [a] = positional(e, 1, 1, fail);
  return a as Expr;
}

/** The positional arguments of a call, checked for count; named ones must be in `named`. */
function positional(
  e: CallNode,
  min: number,
  max: number,
  fail: (at: Expr, problem: string) => never,
  named: readonly string[] = [],
): Expr[] {
  const out: Expr[] = [];
  for (const a of e.args) {
    if (a.name === undefined) out.push(a.value);
    else if (!named.includes(a.name)) fail(a.value, `${e.fn}() has no argument '${a.name}'`);
  }
  if (out.length < min || out.length > max) {
    const want = min === max ? `${min}` : `${min} to ${max}`;
    fail(e, `${e.fn}() takes ${want} argument${max === 1 ? '' : 's'}, got ${out.length}`);
  }
  return out;
}

function integerLiteral(e: Expr, fail: (at: Expr, problem: string) => never): number {
  if (e.type !== 'number' || !Number.isInteger(e.value)) fail(e, 'expected a whole number');
  return (e as { value: number }).value;
}

/** A reference level as text: a string, a number as R prints it, TRUE/FALSE. */
function levelText(e: Expr, fail: (at: Expr, problem: string) => never): string {
  if (e.type === 'string') return e.value;
  if (e.type === 'boolean') return e.value ? 'TRUE' : 'FALSE';
  if (e.type === 'number') return deparse(e);
  if (e.type === 'unary' && e.op === '-' && e.operand.type === 'number') return deparse(e);
  return fail(e, 'ref must be a level: a string, a number or TRUE/FALSE');
}
