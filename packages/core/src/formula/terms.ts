/**
 * R's term algebra (terms.formula): a parsed formula's right-hand side
 * becomes the intercept flag and an ordered list of terms, each a set of
 * variables. `+` joins, `-` removes, `:` and `%in%` cross, `*` is
 * `a + b + a:b`, `/` is `a + a:b`, `(…)^k` crosses up to order k, `.` is
 * every other column, `0`/`1` set the intercept, `offset()` is set aside.
 *
 * As R: variables are numbered by first appearance (response first), a
 * term's variables are kept in that order (so `b:a` after `a` is `a:b`),
 * and terms are ordered by degree, stably.
 */
import { FormulaError } from '@linreg/errors';
import type { BinaryNode, Expr, Formula } from './ast.js';
import { deparse } from './deparse.js';

/** One variable of the formula: an expression, named by R's deparse of it. */
export interface FormulaVariable {
  readonly label: string;
  readonly expr: Expr;
}

export interface ExpandedFormula {
  readonly formula: Formula;
  /** Every variable in order of first appearance; the response's are first. */
  readonly variables: readonly FormulaVariable[];
  /** Index into `variables` of the response, or undefined for `~ x`. */
  readonly response: number | undefined;
  readonly intercept: boolean;
  /** Terms by degree, then formula order; each lists variable indices ascending. */
  readonly terms: readonly (readonly number[])[];
  /** Expressions inside `offset(…)`, summed into the linear predictor. */
  readonly offsets: readonly Expr[];
}

/** What `.` stands for: the columns of the data, in order. */
export interface DotContext {
  readonly columns: readonly string[];
  /** Columns `.` leaves out besides the response's (the weights column). */
  readonly exclude: readonly string[];
}

/** A term list as built while expanding: keys are sorted variable indices. */
interface Part {
  readonly terms: readonly (readonly number[])[];
  /** Set by `1`, `0`, `- 1`; undefined leaves the default. */
  readonly intercept: boolean | undefined;
}

const EMPTY: Part = { terms: [], intercept: undefined };

export function expandFormula(formula: Formula, dot: DotContext): ExpandedFormula {
  const variables: FormulaVariable[] = [];
  const index = new Map<string, number>();
  const offsets: Expr[] = [];
  const fail = (at: Expr, problem: string): never => {
    throw new FormulaError(formula.text, at.start + 1, problem);
  };
  const variable = (expr: Expr): number => {
    const label = deparse(expr);
    const known = index.get(label);
    if (known !== undefined) return known;
    variables.push({ label, expr });
    index.set(label, variables.length - 1);
    return variables.length - 1;
  };

  if (formula.lhs?.type === 'call' && formula.lhs.fn === 'cbind') {
    fail(formula.lhs, 'several responses (cbind) are fitted by fitTargets(), not fit()');
  }
  const response = formula.lhs === undefined ? undefined : variable(unparen(formula.lhs));
  const responseNames = new Set<string>();
  if (formula.lhs !== undefined) namesIn(formula.lhs, responseNames);

  const expand = (e: Expr): Part => {
    switch (e.type) {
      case 'paren':
        return expand(e.inner);
      case 'number':
        if (e.value === 1) return { terms: [], intercept: true };
        if (e.value === 0) return { terms: [], intercept: false };
        return fail(e, `a number in a formula must be 0 or 1 (the intercept), found ${e.text}`);
      case 'dot': {
        const skip = new Set([...responseNames, ...dot.exclude]);
        const names = dot.columns.filter((c) => !skip.has(c));
        if (names.length === 0) fail(e, "'.' stands for no column: every column is used already");
        return {
          terms: names.map((name) => [
            variable({ type: 'name', name, start: e.start, end: e.end }),
          ]),
          intercept: undefined,
        };
      }
      case 'call':
        if (e.fn === 'offset') {
          if (e.args.length !== 1 || e.args[0]?.name !== undefined)
            fail(e, 'offset() takes one expression');
          offsets.push(e.args[0]?.value as Expr);
          return EMPTY;
        }
        return { terms: [[variable(e)]], intercept: undefined };
      case 'name':
        return { terms: [[variable(e)]], intercept: undefined };
      case 'unary':
        if (e.op === '+') return expand(e.operand);
        return negate(e.operand);
      case 'binary':
        return binary(e);
      case 'string':
      case 'boolean':
        return fail(e, `a ${e.type} cannot be a term of a formula`);
    }
  };

  /** `- 1`, `- 0` with nothing before them: R's `~ -1 + x`. */
  const negate = (operand: Expr): Part => {
    const part = expand(operand);
    if (part.terms.length > 0) fail(operand, "'-' removes terms, but nothing comes before it");
    return { terms: [], intercept: part.intercept === undefined ? undefined : !part.intercept };
  };

  /** `a + b - c + …` left to right by a loop: a long chain (a wide table written out) never recurses deeply. */
  const chain = (e: BinaryNode): Part => {
    const spine: BinaryNode[] = [];
    let left: Expr = e;
    while (left.type === 'binary' && (left.op === '+' || left.op === '-')) {
      spine.push(left);
      left = left.left;
    }
    let part = expand(left);
    for (let i = spine.length - 1; i >= 0; i--) {
      const node = spine[i] as BinaryNode;
      const right = expand(node.right);
      if (node.op === '+') {
        part = {
          terms: union(part.terms, right.terms),
          intercept: right.intercept ?? part.intercept,
        };
      } else {
        const drop = new Set(right.terms.map(key));
        part = {
          terms: part.terms.filter((t) => !drop.has(key(t))),
          intercept: right.intercept === undefined ? part.intercept : !right.intercept,
        };
      }
    }
    return part;
  };

  const binary = (e: BinaryNode): Part => {
    switch (e.op) {
      case '+':
      case '-':
        return chain(e);
      case ':':
      case '%in%':
        return { terms: cross(factorsOf(e.left), factorsOf(e.right)), intercept: undefined };
      case '*': {
        const left = factorsOf(e.left);
        const right = factorsOf(e.right);
        return { terms: union(union(left, right), cross(left, right)), intercept: undefined };
      }
      case '/': {
        const left = factorsOf(e.left);
        const right = factorsOf(e.right);
        const all = [[...new Set(left.flat())].sort((a, b) => a - b)];
        return { terms: union(left, cross(all, right)), intercept: undefined };
      }
      case '^': {
        const power = unparen(e.right);
        if (power.type !== 'number' || !Number.isInteger(power.value) || power.value < 1) {
          fail(e.right, "the power of a term list must be a whole number ≥ 1, as in '(a + b)^2'");
        }
        const base = factorsOf(e.left);
        let out = base;
        for (let k = 1; k < (power as { value: number }).value; k++)
          out = union(out, cross(out, base));
        return { terms: out, intercept: undefined };
      }
    }
  };

  /** The terms of an operand of `:`, `*`, `/`, `^`, which cannot carry an intercept. */
  const factorsOf = (e: Expr): readonly (readonly number[])[] => {
    const part = expand(e);
    if (part.intercept !== undefined) fail(e, `'${deparse(e)}' cannot be crossed with other terms`);
    return part.terms;
  };

  const rhs = expand(formula.rhs);
  const used = rhs.terms.filter(
    (t) => !(response !== undefined && t.length === 1 && t[0] === response),
  );
  if (used.length < rhs.terms.length) fail(formula.rhs, 'the response cannot also be a term');
  const ordered = used
    .map((t, i) => ({ t, i }))
    .sort((a, b) => a.t.length - b.t.length || a.i - b.i)
    .map(({ t }) => t);
  return {
    formula,
    variables,
    response,
    intercept: rhs.intercept ?? true,
    terms: ordered,
    offsets,
  };
}

function key(term: readonly number[]): string {
  return term.join(',');
}

/** `a` then the terms of `b` not already in `a`. */
function union(
  a: readonly (readonly number[])[],
  b: readonly (readonly number[])[],
): (readonly number[])[] {
  const seen = new Set(a.map(key));
  const out = [...a];
  for (const t of b) {
    if (seen.has(key(t))) continue;
    seen.add(key(t));
    out.push(t);
  }
  return out;
}

/** Every term of `a` joined with every term of `b` (a variable appears once: `a:a` is `a`). */
function cross(
  a: readonly (readonly number[])[],
  b: readonly (readonly number[])[],
): (readonly number[])[] {
  const out: (readonly number[])[] = [];
  for (const s of a) {
    for (const t of b) out.push([...new Set([...s, ...t])].sort((x, y) => x - y));
  }
  return union([], out);
}

function unparen(e: Expr): Expr {
  return e.type === 'paren' ? unparen(e.inner) : e;
}

/** Column names an expression refers to. */
export function namesIn(e: Expr, out: Set<string>): void {
  switch (e.type) {
    case 'name':
      out.add(e.name);
      return;
    case 'call':
      for (const a of e.args) namesIn(a.value, out);
      return;
    case 'binary':
      namesIn(e.left, out);
      namesIn(e.right, out);
      return;
    case 'unary':
      namesIn(e.operand, out);
      return;
    case 'paren':
      namesIn(e.inner, out);
      return;
    default:
      return;
  }
}
