/**
 * The part of a model's program that prediction evaluates: the design and
 * the offsets, without the weights and (unless `keepResponse`, for scoring)
 * the response — new data need not have them — reading only the inputs
 * those use.
 */
import { inputsOf } from './num-expr.js';
import type { DesignProgram, FactorSource, NumExpr, Variable } from './program.js';

export function predictionProgram(program: DesignProgram, keepResponse = false): DesignProgram {
  const used = new Set<number>();
  const mark = (e: NumExpr): void => {
    inputsOf(e, used);
  };
  for (const v of program.variables) {
    if (v.kind === 'factor') {
      if (v.source.kind === 'categorical') used.add(v.source.input);
      else mark(v.source.expr);
    } else mark(v.expr);
  }
  for (const o of program.offsets) mark(o.expr);
  const response = keepResponse ? program.response : undefined;
  if (response !== undefined) mark(response.expr);
  const kept = [...used].sort((a, b) => a - b);
  const index = new Map(kept.map((old, i) => [old, i]));
  const remap = (e: NumExpr): NumExpr => {
    switch (e.op) {
      case 'input':
        return { op: 'input', input: index.get(e.input) as number };
      case 'const':
        return e;
      case 'neg':
        return { op: 'neg', a: remap(e.a) };
      case 'fn':
        return { op: 'fn', fn: e.fn, a: remap(e.a) };
      case 'log-base':
        return { op: 'log-base', a: remap(e.a), base: remap(e.base) };
      default:
        return { op: e.op, a: remap(e.a), b: remap(e.b) };
    }
  };
  const source = (s: FactorSource): FactorSource =>
    s.kind === 'categorical'
      ? { kind: 'categorical', input: index.get(s.input) as number }
      : { kind: 'numeric', expr: remap(s.expr) };
  const variables = program.variables.map((v): Variable => {
    if (v.kind === 'factor') return { ...v, source: source(v.source) };
    return { ...v, expr: remap(v.expr) };
  });
  return {
    formula: program.formula,
    inputs: kept.map((i) => program.inputs[i] as DesignProgram['inputs'][number]),
    ...(response === undefined
      ? {}
      : { response: { label: response.label, expr: remap(response.expr) } }),
    offsets: program.offsets.map((o) => ({ label: o.label, expr: remap(o.expr) })),
    intercept: program.intercept,
    variables,
    terms: program.terms,
  };
}
