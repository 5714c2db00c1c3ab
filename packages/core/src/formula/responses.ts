/**
 * Several responses (R's `cbind(y1, y2) ~ …`, an `mlm`): the formula's
 * responses, and the programs of a multi-target fit.
 *
 * The fit reads one *stacked* program: the design of `y_q ~ rhs` with the
 * other responses y₁ … y_{q−1} appended as its last design columns, so one
 * factor of `[1 X Y]` is accumulated (numerics/accumulate/target-state.ts
 * takes each target's factor out of it). A row with any response missing is
 * missing for all of them, as R's `na.omit` of the model frame does. Each
 * target's model then records the plain program of `y_j ~ rhs`, which
 * predict and score read like any other.
 */
import { FormulaError } from '@linreg/errors';
import type { Expr, Formula } from './ast.js';
import { deparse, formulaText } from './deparse.js';
import type { DesignProgram, FactorSource, NumExpr, ProgramInput, Variable } from './program.js';
import { namesIn } from './terms.js';

/** The responses of `cbind(a, b, …) ~ …` (at least two), or undefined for one response. */
export function responsesOf(formula: Formula): readonly Expr[] | undefined {
  let lhs = formula.lhs;
  while (lhs?.type === 'paren') lhs = lhs.inner;
  if (lhs?.type !== 'call' || lhs.fn !== 'cbind') return undefined;
  const fail = (at: Expr, problem: string): never => {
    throw new FormulaError(formula.text, at.start + 1, problem);
  };
  const seen = new Set<string>();
  for (const a of lhs.args) {
    if (a.name !== undefined)
      fail(a.value, `cbind() takes responses, not a named argument '${a.name}'`);
    const label = deparse(a.value);
    if (seen.has(label)) fail(a.value, `response ${label} is given twice`);
    seen.add(label);
  }
  if (lhs.args.length < 2)
    fail(lhs, 'cbind() needs at least two responses; write one response alone');
  return lhs.args.map((a) => a.value);
}

/** The formula with `response` on the left in place of `cbind(…)`. */
export function withResponse(formula: Formula, response: Expr): Formula {
  const single = { text: '', lhs: response, rhs: formula.rhs };
  return { ...single, text: formulaText(single) };
}

/** The column names the responses read (left out of `.`). */
export function responseColumns(responses: readonly Expr[]): string[] {
  const out = new Set<string>();
  for (const r of responses) namesIn(r, out);
  return [...out];
}

/**
 * The fit's program: `base` (the completed program of y_q ~ rhs) with the
 * response of each of `others` (programs of y_j ~ rhs), less base's
 * offsets as R's `lm.fit` takes them from every response, as a numeric
 * design column after all of base's, in order.
 */
export function stackResponses(
  base: DesignProgram,
  others: readonly DesignProgram[],
): DesignProgram {
  const inputs = [...base.inputs];
  const variables = [...base.variables];
  const terms = [...base.terms];
  // The fit takes response − Σ offsets (frame.ts sums them in order from 0): so does every response.
  const offset = base.offsets.reduce<NumExpr | undefined>(
    (sum, o) => (sum === undefined ? o.expr : { op: 'add', a: sum, b: o.expr }),
    undefined,
  );
  for (const other of others) {
    const response = other.response;
    if (response === undefined) throw new Error('a stacked program needs a response');
    const own = moveInputs(response.expr, other.inputs, inputs);
    const expr: NumExpr = offset === undefined ? own : { op: 'sub', a: own, b: offset };
    variables.push({ kind: 'numeric', label: response.label, expr });
    terms.push({ label: response.label, variables: [variables.length - 1], coding: ['contrasts'] });
  }
  return { ...base, inputs, variables, terms };
}

/**
 * Target j's program: `own` (compiled from y_j ~ rhs, so its inputs are in
 * the order a fit of y_j alone has them) with the variables of `base` (the
 * program the levels pass completed: factor levels, poly() constants)
 * rewritten over own's inputs.
 */
export function targetProgram(base: DesignProgram, own: DesignProgram): DesignProgram {
  const inputs = [...own.inputs];
  const move = (e: NumExpr): NumExpr => moveInputs(e, base.inputs, inputs);
  const variables = base.variables.map((v): Variable => {
    if (v.kind !== 'factor') return { ...v, expr: move(v.expr) };
    const source: FactorSource =
      v.source.kind === 'categorical'
        ? { kind: 'categorical', input: moveInput(v.source.input, base.inputs, inputs) }
        : { kind: 'numeric', expr: move(v.source.expr) };
    return { ...v, source };
  });
  return {
    ...base,
    formula: own.formula,
    inputs,
    response: own.response,
    weights: own.weights,
    variables,
  };
}

/** Input `i` of `from` as an index into `to` (appended when `to` lacks it). */
function moveInput(i: number, from: readonly ProgramInput[], to: ProgramInput[]): number {
  const input = from[i] as ProgramInput;
  const at = to.findIndex((t) => t.name === input.name && t.categorical === input.categorical);
  if (at >= 0) return at;
  to.push(input);
  return to.length - 1;
}

/** `e` over `from`'s inputs, rewritten over `to` (inputs `to` lacks are appended to it). */
function moveInputs(e: NumExpr, from: readonly ProgramInput[], to: ProgramInput[]): NumExpr {
  const index = (i: number): number => moveInput(i, from, to);
  const walk = (x: NumExpr): NumExpr => {
    switch (x.op) {
      case 'input':
        return { op: 'input', input: index(x.input) };
      case 'const':
        return x;
      case 'neg':
        return { op: 'neg', a: walk(x.a) };
      case 'fn':
        return { op: 'fn', fn: x.fn, a: walk(x.a) };
      case 'log-base':
        return { op: 'log-base', a: walk(x.a), base: walk(x.base) };
      default:
        return { op: x.op, a: walk(x.a), b: walk(x.b) };
    }
  };
  return walk(e);
}
