/**
 * A frame's design columns (R's model.matrix, without the intercept, which
 * the accumulators add): each term's columns are products of its variables'
 * columns — a number, a polynomial basis column, a factor level's indicator —
 * the first variable varying fastest, as R orders them. Rows the frame marks
 * are removed in place afterwards (fit) or left for the caller (predict).
 */
import type { SparseColumns } from '../numerics/types.js';
import type { Frame } from './frame.js';
import { polyBasis } from './poly.js';
import {
  type Coding,
  type DesignProgram,
  factorColumns,
  type Variable,
  variableWidth,
} from './program.js';

/**
 * A term whose columns have at most one nonzero per row: factors (each at
 * one coded level or none) times single-column numbers. Its row's column is
 * start + Σ position·stride over the factors, its value the numbers' product.
 */
interface OneHotTerm {
  readonly start: number;
  /** Per factor of the term: its variable, level → position among its columns (−1: none), stride. */
  readonly factors: readonly { variable: number; position: Int32Array; stride: number }[];
  /** The term's numeric variables (their product is the value). */
  readonly numbers: readonly number[];
}

/** One factor of a design column: a variable's column k (a level index for factors). */
interface Part {
  readonly variable: number;
  readonly column: number;
}

export class DesignBuilder {
  readonly #program: DesignProgram;
  /** Per design column, the variable columns whose product it is. */
  readonly #columns: readonly (readonly Part[])[];
  #capacity = 0;
  #x: (Float64Array | undefined)[] = [];
  #poly: (Float64Array[] | undefined)[] = [];
  /** Sparse layout: one-hot terms, and the design columns held densely. */
  readonly #oneHot: readonly OneHotTerm[];
  readonly #dense: Int32Array;
  #codes: Int32Array[] = [];
  #values: (Float64Array | undefined)[] = [];

  constructor(program: DesignProgram) {
    this.#program = program;
    const columns: Part[][] = [];
    const oneHot: OneHotTerm[] = [];
    const dense: number[] = [];
    for (const term of program.terms) {
      const start = columns.length;
      const hot = oneHotTerm(program, term.variables, term.coding, start);
      let combos: Part[][] = [[]];
      term.variables.forEach((vi, i) => {
        const v = program.variables[vi] as Variable;
        const own = ownColumns(v, term.coding[i] ?? 'contrasts');
        const next: Part[][] = [];
        for (const column of own)
          for (const c of combos) next.push([...c, { variable: vi, column }]);
        combos = next;
      });
      columns.push(...combos);
      if (hot !== undefined && combos.length > 1) oneHot.push(hot);
      else for (let c = start; c < columns.length; c++) dense.push(c);
    }
    this.#columns = columns;
    this.#oneHot = oneHot;
    this.#dense = Int32Array.from(dense);
  }

  /** Whether the design has one-hot blocks, so a sparse layout saves work. */
  get hasOneHot(): boolean {
    return this.#oneHot.length > 0;
  }

  /** Design columns held densely in the sparse layout (the others are one-hot). */
  get denseWidth(): number {
    return this.#dense.length;
  }

  /**
   * The design of the frame's rows as dense columns (`sparse.dense`) plus
   * one-hot blocks (numerics' SparseColumns); rows marked missing are left in.
   */
  buildSparse(frame: Frame): { x: Float64Array[]; sparse: SparseColumns } {
    const n = frame.rows;
    this.#ensure(n);
    const full = this.#computeColumns(frame, this.#dense);
    const x = Array.from(this.#dense, (c) => full[c] as Float64Array);
    this.#oneHot.forEach((term, b) => {
      const out = this.#codes[b] as Int32Array;
      out.fill(term.start, 0, n);
      for (const f of term.factors) {
        const codes = frame.codes[f.variable] as Int32Array;
        const position = f.position;
        for (let i = 0; i < n; i++) {
          const c = out[i] as number;
          if (c < 0) continue;
          const code = codes[i] as number;
          const at = code >= 0 ? (position[code] as number) : -1;
          out[i] = at < 0 ? -1 : c + at * f.stride;
        }
      }
      const values = this.#values[b];
      if (values !== undefined) {
        values.fill(1, 0, n);
        for (const v of term.numbers) {
          const x = frame.values[v] as Float64Array;
          for (let i = 0; i < n; i++) values[i] = (values[i] as number) * (x[i] as number);
        }
      }
    });
    return {
      x,
      sparse: { dense: this.#dense, columns: this.#codes, values: this.#values },
    };
  }

  get width(): number {
    return this.#columns.length;
  }

  /** The design columns of every row of the frame (rows marked missing hold arbitrary values). */
  build(frame: Frame): Float64Array[] {
    this.#ensure(frame.rows);
    return this.#computeColumns(frame, undefined);
  }

  /** Fills the design columns `only` (all when undefined); returns every column's array. */
  #computeColumns(frame: Frame, only: Int32Array | undefined): Float64Array[] {
    const n = frame.rows;
    const variables = this.#program.variables;
    this.#poly.forEach((basis, k) => {
      const v = variables[k] as Variable;
      if (basis !== undefined && v.kind === 'poly')
        polyBasis(v, frame.values[k] as Float64Array, n, basis);
    });
    const targets = only ?? Int32Array.from(this.#columns, (_, c) => c);
    for (const c of targets) {
      const parts = this.#columns[c] as readonly Part[];
      // Allocated on first use: a sparse layout never fills its one-hot columns.
      let out = this.#x[c];
      if (out === undefined || out.length < this.#capacity) {
        out = new Float64Array(this.#capacity);
        this.#x[c] = out;
      }
      out.fill(1, 0, n);
      for (const part of parts) {
        const v = variables[part.variable] as Variable;
        if (v.kind === 'numeric') {
          const x = frame.values[part.variable] as Float64Array;
          for (let i = 0; i < n; i++) out[i] = (out[i] as number) * (x[i] as number);
        } else if (v.kind === 'poly') {
          const x = (this.#poly[part.variable] as Float64Array[])[part.column] as Float64Array;
          for (let i = 0; i < n; i++) out[i] = (out[i] as number) * (x[i] as number);
        } else {
          const codes = frame.codes[part.variable] as Int32Array;
          const level = part.column;
          for (let i = 0; i < n; i++) if (codes[i] !== level) out[i] = 0;
        }
      }
    }
    return this.#x as Float64Array[];
  }

  #ensure(n: number): void {
    if (n <= this.#capacity) return;
    const cap = Math.max(n, 2 * this.#capacity);
    this.#capacity = cap;
    this.#x = [];
    this.#poly = this.#program.variables.map((v) =>
      v.kind === 'poly' ? Array.from({ length: v.degree }, () => new Float64Array(cap)) : undefined,
    );
    this.#codes = this.#oneHot.map(() => new Int32Array(cap));
    this.#values = this.#oneHot.map((t) =>
      t.numbers.length > 0 ? new Float64Array(cap) : undefined,
    );
  }
}

/** A term's one-hot layout, or undefined when a row may have several nonzeros in it (poly). */
function oneHotTerm(
  program: DesignProgram,
  variables: readonly number[],
  coding: readonly Coding[],
  start: number,
): OneHotTerm | undefined {
  const factors: { variable: number; position: Int32Array; stride: number }[] = [];
  const numbers: number[] = [];
  let stride = 1;
  for (let i = 0; i < variables.length; i++) {
    const vi = variables[i] as number;
    const v = program.variables[vi] as Variable;
    if (v.kind === 'poly') return undefined;
    if (v.kind === 'numeric') {
      numbers.push(vi);
      continue;
    }
    const own = factorColumns(v, coding[i] ?? 'contrasts');
    const position = new Int32Array(v.levels?.length ?? 0).fill(-1);
    own.forEach((level, at) => {
      position[level] = at;
    });
    factors.push({ variable: vi, position, stride });
    stride *= own.length;
  }
  return factors.length === 0 ? undefined : { start, factors, numbers };
}

/** The columns a variable contributes: level indices for a factor, 0…width−1 otherwise. */
function ownColumns(v: Variable, coding: Coding): number[] {
  if (v.kind === 'factor') return factorColumns(v, coding);
  return Array.from({ length: variableWidth(v, coding) }, (_, k) => k);
}

/** Removes the rows `mask` marks from the first `n` entries of each array, in place; returns the rows kept. */
export function compactRows(
  arrays: readonly (Float64Array | Int32Array)[],
  mask: Uint8Array,
  n: number,
): number {
  let kept = 0;
  for (const a of arrays) {
    kept = 0;
    for (let i = 0; i < n; i++) if (mask[i] === 0) a[kept++] = a[i] as number;
  }
  if (arrays.length === 0) for (let i = 0; i < n; i++) if (mask[i] === 0) kept += 1;
  return kept;
}
