/**
 * A design program: how one batch of raw columns becomes the model's design
 * columns, response, offset and weights. Plain data — a worker message and
 * the model file carry it — compiled from a formula against the data's
 * columns (compile.ts) and completed by the levels-and-moments pass
 * (factor levels, orthogonal-polynomial constants). Evaluated batch by batch
 * over Float64Arrays (evaluate.ts), never row by row through objects.
 */

/** A raw column the program reads; `categorical` ones arrive as codes into level lists. */
export interface ProgramInput {
  readonly name: string;
  readonly categorical: boolean;
}

export type UnaryFunction = 'log' | 'log1p' | 'log2' | 'log10' | 'exp' | 'expm1' | 'sqrt' | 'abs';

/** A numeric expression over the inputs, evaluated element-wise. */
export type NumExpr =
  | { readonly op: 'input'; readonly input: number }
  | { readonly op: 'const'; readonly value: number }
  | { readonly op: 'neg'; readonly a: NumExpr }
  | {
      readonly op: 'add' | 'sub' | 'mul' | 'div' | 'pow';
      readonly a: NumExpr;
      readonly b: NumExpr;
    }
  | { readonly op: 'fn'; readonly fn: UnaryFunction; readonly a: NumExpr }
  /** log(a, base). */
  | { readonly op: 'log-base'; readonly a: NumExpr; readonly base: NumExpr };

/** R's orthogonal-polynomial constants (attr(poly(x, d), "coefs")): alpha has d entries, norm2 d + 2. */
export interface PolyCoefs {
  readonly alpha: readonly number[];
  readonly norm2: readonly number[];
}

/** Where a factor's values come from: a categorical column, or a numeric expression (factor(k)). */
export type FactorSource =
  | { readonly kind: 'categorical'; readonly input: number }
  | { readonly kind: 'numeric'; readonly expr: NumExpr };

export type Variable =
  | { readonly kind: 'numeric'; readonly label: string; readonly expr: NumExpr }
  | {
      readonly kind: 'poly';
      readonly label: string;
      readonly expr: NumExpr;
      readonly degree: number;
      readonly raw: boolean;
      /** Orthogonal only; filled in from the data's moments. */
      readonly coefs?: PolyCoefs | undefined;
    }
  | {
      readonly kind: 'factor';
      readonly label: string;
      readonly source: FactorSource;
      /** The reference level asked for (C(x, ref = …)); else the first level. */
      readonly ref?: string | undefined;
      /** Levels in R's order (sorted), filled in from the data; numeric ones as R prints them. */
      readonly levels?: readonly string[] | undefined;
      /** For a numeric source: the value of each level, parallel to `levels`. */
      readonly values?: readonly number[] | undefined;
      /** A boolean column, or text spelled true/false: levels FALSE, TRUE (R's logical). */
      readonly logical?: boolean | undefined;
    };

/** How a factor enters a term: by treatment contrasts (all levels but the reference), or one column per level. */
export type Coding = 'contrasts' | 'full';

/** One term of the model: a product of variables; `coding[i]` applies when variables[i] is a factor. */
export interface ProgramTerm {
  readonly label: string;
  readonly variables: readonly number[];
  readonly coding: readonly Coding[];
}

export interface DesignProgram {
  /** The formula as R prints it. */
  readonly formula: string;
  readonly inputs: readonly ProgramInput[];
  /** Absent for a program that only predicts (`~ x`). */
  readonly response?: { readonly label: string; readonly expr: NumExpr } | undefined;
  /** Summed offsets, each as written; the fit uses response − Σ offset. */
  readonly offsets: readonly { readonly label: string; readonly expr: NumExpr }[];
  /** Index into inputs of the weights column. */
  readonly weights?: number | undefined;
  readonly intercept: boolean;
  readonly variables: readonly Variable[];
  readonly terms: readonly ProgramTerm[];
}

/** Design columns a variable contributes under a coding. */
export function variableWidth(v: Variable, coding: Coding): number {
  switch (v.kind) {
    case 'numeric':
      return 1;
    case 'poly':
      return v.degree;
    case 'factor': {
      const n = v.levels?.length ?? 0;
      return coding === 'full' ? n : Math.max(0, n - 1);
    }
  }
}

/** The level indices a factor contributes as columns: all, or all but the reference. */
export function factorColumns(v: Variable & { kind: 'factor' }, coding: Coding): number[] {
  const n = v.levels?.length ?? 0;
  const all = Array.from({ length: n }, (_, i) => i);
  return coding === 'full' ? all : all.filter((i) => i !== referenceIndex(v));
}

export function referenceIndex(v: Variable & { kind: 'factor' }): number {
  if (v.ref === undefined) return 0;
  return v.levels?.indexOf(v.ref) ?? -1;
}

/** Names of a variable's columns under a coding, as R's model.matrix names them. */
export function variableColumnNames(v: Variable, coding: Coding): string[] {
  switch (v.kind) {
    case 'numeric':
      return [v.label];
    case 'poly':
      return Array.from({ length: v.degree }, (_, k) => `${v.label}${k + 1}`);
    case 'factor':
      return factorColumns(v, coding).map((i) => `${v.label}${v.levels?.[i] ?? ''}`);
  }
}

/** Every design column's name, term by term; within a term the first variable varies fastest (R's order). */
export function designColumnNamesOf(program: DesignProgram): string[] {
  const out: string[] = [];
  for (const term of program.terms) {
    let names: string[] = [''];
    term.variables.forEach((vi, i) => {
      const v = program.variables[vi] as Variable;
      const own = variableColumnNames(v, term.coding[i] ?? 'contrasts');
      const next: string[] = [];
      for (const o of own) for (const n of names) next.push(n === '' ? o : `${n}:${o}`);
      names = next;
    });
    out.push(...names);
  }
  return out;
}

/** The design column range [start, end) of each term, in term order. */
export function termColumnRanges(program: DesignProgram): [number, number][] {
  const ranges: [number, number][] = [];
  let at = 0;
  for (const term of program.terms) {
    let width = 1;
    term.variables.forEach((vi, i) => {
      width *= variableWidth(program.variables[vi] as Variable, term.coding[i] ?? 'contrasts');
    });
    ranges.push([at, at + width]);
    at += width;
  }
  return ranges;
}
