/**
 * Reads and validates a model's `terms` (a formula's design program,
 * docs/model-format.md): every index in range, every expression well formed
 * and of bounded depth, and the design columns the terms name equal to the
 * model's `features` — so a tampered file is refused naming the field, and
 * predict never evaluates what the fit did not.
 */
import type {
  Coding,
  DesignProgram,
  FactorSource,
  NumExpr,
  PolyCoefs,
  ProgramTerm,
  UnaryFunction,
  Variable,
} from '../formula/program.js';
import { designColumnNamesOf } from '../formula/program.js';
import type { FieldReader, Json } from './field-reader.js';

const FUNCTIONS: readonly UnaryFunction[] = [
  'log',
  'log1p',
  'log2',
  'log10',
  'exp',
  'expm1',
  'sqrt',
  'abs',
];
const BINARY = ['add', 'sub', 'mul', 'div', 'pow'] as const;
/** Deeper expressions are not something a formula of this parser produces. */
const MAX_DEPTH = 200;

export function parseTerms(
  r: FieldReader,
  value: Json,
  features: readonly string[],
  intercept: boolean,
): DesignProgram {
  const o = r.object(value, 'terms');
  const inputs = r.array(o.inputs, 'terms.inputs').map((v, i) => {
    const input = r.object(v, `terms.inputs[${i}]`);
    return {
      name: r.string(input.name, `terms.inputs[${i}].name`),
      categorical: r.boolean(input.categorical, `terms.inputs[${i}].categorical`),
    };
  });
  const inputIndex = (v: Json, path: string): number => {
    const i = r.count(v, path);
    if (i >= inputs.length) r.fail(path, `input ${i} does not exist (${inputs.length} inputs)`);
    return i;
  };
  const expr = (v: Json, path: string, depth = 0): NumExpr => {
    if (depth > MAX_DEPTH) r.fail(path, `expression nested deeper than ${MAX_DEPTH}`);
    const e = r.object(v, path);
    const op = r.oneOf(e.op, `${path}.op`, [
      'input',
      'const',
      'neg',
      'fn',
      'log-base',
      ...BINARY,
    ] as const);
    switch (op) {
      case 'input':
        return { op, input: inputIndex(e.input, `${path}.input`) };
      case 'const':
        return { op, value: r.finiteNumber(e.value, `${path}.value`) };
      case 'neg':
        return { op, a: expr(e.a, `${path}.a`, depth + 1) };
      case 'fn':
        return {
          op,
          fn: r.oneOf(e.fn, `${path}.fn`, FUNCTIONS),
          a: expr(e.a, `${path}.a`, depth + 1),
        };
      case 'log-base':
        return {
          op,
          a: expr(e.a, `${path}.a`, depth + 1),
          base: expr(e.base, `${path}.base`, depth + 1),
        };
      default:
        return { op, a: expr(e.a, `${path}.a`, depth + 1), b: expr(e.b, `${path}.b`, depth + 1) };
    }
  };
  const labelled = (v: Json, path: string) => {
    const l = r.object(v, path);
    return { label: r.string(l.label, `${path}.label`), expr: expr(l.expr, `${path}.expr`) };
  };
  const variables = r
    .array(o.variables, 'terms.variables')
    .map((v, i) => variable(r, v, `terms.variables[${i}]`, expr, inputIndex));
  const terms = r.array(o.terms, 'terms.terms').map((v, i): ProgramTerm => {
    const path = `terms.terms[${i}]`;
    const t = r.object(v, path);
    const vars = r.array(t.variables, `${path}.variables`).map((x, k) => {
      const index = r.count(x, `${path}.variables[${k}]`);
      if (index >= variables.length)
        r.fail(`${path}.variables[${k}]`, `variable ${index} does not exist`);
      return index;
    });
    const coding = r
      .array(t.coding, `${path}.coding`)
      .map((c, k) => r.oneOf(c, `${path}.coding[${k}]`, ['contrasts', 'full'] as const) as Coding);
    if (coding.length !== vars.length) r.fail(`${path}.coding`, `expected ${vars.length} entries`);
    return { label: r.string(t.label, `${path}.label`), variables: vars, coding };
  });
  const program: DesignProgram = {
    formula: r.string(o.formula, 'terms.formula'),
    inputs,
    ...(o.response === undefined ? {} : { response: labelled(o.response, 'terms.response') }),
    offsets: r.array(o.offsets, 'terms.offsets').map((v, i) => labelled(v, `terms.offsets[${i}]`)),
    ...(o.weights === undefined ? {} : { weights: inputIndex(o.weights, 'terms.weights') }),
    intercept: r.boolean(o.intercept, 'terms.intercept'),
    variables,
    terms,
  };
  if (program.intercept !== intercept)
    r.fail('terms.intercept', "differs from the model's intercept");
  const names = designColumnNamesOf(program);
  if (names.length !== features.length || names.some((n, i) => n !== features[i])) {
    r.fail(
      'terms',
      `the terms give the design columns ${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''}, not the model's features`,
    );
  }
  return program;
}

function variable(
  r: FieldReader,
  value: Json,
  path: string,
  expr: (v: Json, path: string) => NumExpr,
  inputIndex: (v: Json, path: string) => number,
): Variable {
  const v = r.object(value, path);
  const label = r.string(v.label, `${path}.label`);
  const kind = r.oneOf(v.kind, `${path}.kind`, ['numeric', 'poly', 'factor'] as const);
  if (kind === 'numeric') return { kind, label, expr: expr(v.expr, `${path}.expr`) };
  if (kind === 'poly') {
    const degree = r.count(v.degree, `${path}.degree`);
    if (degree < 1 || degree > 20) r.fail(`${path}.degree`, 'expected 1 to 20');
    const raw = r.boolean(v.raw, `${path}.raw`);
    let coefs: PolyCoefs | undefined;
    if (!raw) {
      const c = r.object(v.coefs, `${path}.coefs`);
      const alpha = r
        .array(c.alpha, `${path}.coefs.alpha`)
        .map((x, i) => r.finiteNumber(x, `${path}.coefs.alpha[${i}]`));
      const norm2 = r.array(c.norm2, `${path}.coefs.norm2`).map((x, i) => {
        const n = r.finiteNumber(x, `${path}.coefs.norm2[${i}]`);
        if (!(n > 0)) r.fail(`${path}.coefs.norm2[${i}]`, 'expected a positive number');
        return n;
      });
      if (alpha.length !== degree) r.fail(`${path}.coefs.alpha`, `expected ${degree} values`);
      if (norm2.length !== degree + 2)
        r.fail(`${path}.coefs.norm2`, `expected ${degree + 2} values`);
      coefs = { alpha, norm2 };
    }
    return {
      kind,
      label,
      expr: expr(v.expr, `${path}.expr`),
      degree,
      raw,
      ...(coefs === undefined ? {} : { coefs }),
    };
  }
  const s = r.object(v.source, `${path}.source`);
  const sourceKind = r.oneOf(s.kind, `${path}.source.kind`, ['categorical', 'numeric'] as const);
  const source: FactorSource =
    sourceKind === 'categorical'
      ? { kind: sourceKind, input: inputIndex(s.input, `${path}.source.input`) }
      : { kind: sourceKind, expr: expr(s.expr, `${path}.source.expr`) };
  const levels = r.strings(v.levels, `${path}.levels`);
  if (new Set(levels).size !== levels.length) r.fail(`${path}.levels`, 'levels repeat');
  let values: number[] | undefined;
  if (sourceKind === 'numeric') {
    values = r
      .array(v.values, `${path}.values`)
      .map((x, i) => r.finiteNumber(x, `${path}.values[${i}]`));
    if (values.length !== levels.length)
      r.fail(`${path}.values`, `expected ${levels.length} values`);
  }
  const ref = v.ref === undefined ? undefined : r.string(v.ref, `${path}.ref`);
  if (ref !== undefined && !levels.includes(ref)) r.fail(`${path}.ref`, `'${ref}' is not a level`);
  const logical = v.logical === undefined ? false : r.boolean(v.logical, `${path}.logical`);
  return {
    kind,
    label,
    source,
    levels,
    ...(values === undefined ? {} : { values }),
    ...(ref === undefined ? {} : { ref }),
    ...(logical ? { logical } : {}),
  };
}
