/**
 * The model frame of one batch (R's model.frame): every variable of a design
 * program evaluated over the batch's raw columns, factor values as level
 * codes, and the rows that cannot be used marked.
 *
 * A row is missing when any input is null, or any evaluated value (response,
 * offset, weight, numeric variable, a factor's numeric source) is NaN — as
 * R's na.omit after evaluating `log(x)` of a negative x. ±Infinity is bad
 * input when fitting (R's lm refuses it too) and a missing prediction when
 * predicting. A factor level the model never saw is an error naming the
 * column, level and row, or (`unseen: 'na'`) a missing prediction.
 *
 * Three modes: `scan` (the levels pass: codes stay batch-local, since the
 * levels are what it discovers), `fit` and `predict` (codes index the
 * program's levels). Every array is owned by the builder and reused across
 * batches: nothing is allocated per row.
 */
import { IoError, MissingValueError } from '@linreg/errors';
import { compileVector, type VectorFn } from './num-expr.js';
import type { DesignProgram, Variable } from './program.js';

export type FrameMode = 'scan' | 'fit' | 'predict';

/** Names a unit for errors; `place(row)` says where row `row` (0-based in the unit) is. */
export interface FrameUnit {
  readonly file: string;
  place(row: number): string;
}

export interface FrameOptions {
  readonly mode: FrameMode;
  /** Fit: drop missing rows and count them, or fail naming the row. Predict always drops (NaN). */
  readonly missing: 'drop' | 'error';
  readonly unit: FrameUnit;
  /** Predict: a level the model never saw is an error, or a missing prediction. */
  readonly unseen?: 'error' | 'na' | undefined;
}

/** One batch's frame; the arrays are reused by the next `build`. */
export interface Frame {
  readonly rows: number;
  /** 1 marks a row that is not used. */
  readonly mask: Uint8Array;
  readonly dropped: number;
  /** Per variable: the values (numeric, poly's argument) or undefined. */
  readonly values: readonly (Float64Array | undefined)[];
  /** Per factor variable: level codes (scan: into `localLevels`; else into the variable's levels). */
  readonly codes: readonly (Int32Array | undefined)[];
  /** Scan, per categorical factor: the batch's level list. */
  readonly localLevels: readonly (readonly string[] | undefined)[];
  /** Response minus the offsets (fit, scan); undefined without a response. */
  readonly response: Float64Array | undefined;
  /** Σ offsets (predict); undefined without offsets. */
  readonly offset: Float64Array | undefined;
  readonly weights: Float64Array | undefined;
}

/**
 * A batch of raw columns in the program's input order, as io's ColumnBatch
 * delivers them: numbers (NaN allowed), null masks, and for categorical
 * columns the level codes with their level lists.
 */
export interface LeveledBatch {
  readonly rows: number;
  readonly columns: readonly Float64Array[];
  readonly nulls: readonly (Uint8Array | null)[];
  readonly levels?: readonly (readonly string[] | null)[] | undefined;
}

const TRUE_SPELLINGS = new Set(['TRUE', 'true', 'True', 'T']);
const FALSE_SPELLINGS = new Set(['FALSE', 'false', 'False', 'F']);

/** A level's text as the model knows it: logical spellings become TRUE / FALSE. */
export function canonicalLevel(text: string, logical: boolean): string {
  if (!logical) return text;
  if (TRUE_SPELLINGS.has(text)) return 'TRUE';
  if (FALSE_SPELLINGS.has(text)) return 'FALSE';
  return text;
}

interface Slot {
  readonly label: string;
  readonly fn: VectorFn;
}

export class FrameBuilder {
  readonly #program: DesignProgram;
  readonly #options: FrameOptions;
  readonly #variableFns: (Slot | undefined)[];
  readonly #responseFn: Slot | undefined;
  readonly #offsetFns: Slot[];
  /** Fit/predict: per factor variable, level text (or number) → index. */
  readonly #levelIndex: (Map<string, number> | Map<number, number> | undefined)[];
  #capacity = 0;
  #mask = new Uint8Array(0);
  #values: (Float64Array | undefined)[] = [];
  #codes: (Int32Array | undefined)[] = [];
  #response = new Float64Array(0);
  #offset = new Float64Array(0);
  #weights = new Float64Array(0);
  #localToGlobal = new Int32Array(0);

  constructor(program: DesignProgram, options: FrameOptions) {
    this.#program = program;
    this.#options = options;
    this.#variableFns = program.variables.map((v) => {
      if (v.kind === 'numeric' || v.kind === 'poly')
        return { label: v.label, fn: compileVector(v.expr) };
      if (v.source.kind === 'numeric') return { label: v.label, fn: compileVector(v.source.expr) };
      return undefined;
    });
    this.#responseFn =
      program.response === undefined || options.mode === 'predict'
        ? undefined
        : { label: program.response.label, fn: compileVector(program.response.expr) };
    this.#offsetFns = program.offsets.map((o) => ({ label: o.label, fn: compileVector(o.expr) }));
    this.#levelIndex = program.variables.map((v) => levelIndexOf(v, options.mode));
  }

  /** The raw columns to read, in batch order, and which of them are categorical. */
  get inputs(): { names: string[]; categorical: string[] } {
    const inputs = this.#program.inputs;
    return {
      names: inputs.map((i) => i.name),
      categorical: inputs.filter((i) => i.categorical).map((i) => i.name),
    };
  }

  build(batch: LeveledBatch, rowOffset: number): Frame {
    const n = batch.rows;
    this.#ensure(n);
    const mask = this.#mask;
    mask.fill(0, 0, n);
    let dropped = 0;
    const miss = (i: number, column: string, problem: string): void => {
      if (mask[i] === 1) return;
      if (this.#options.mode !== 'predict' && this.#options.missing === 'error') {
        throw new MissingValueError(
          this.#options.unit.file,
          column,
          this.#options.unit.place(rowOffset + i),
          problem,
        );
      }
      mask[i] = 1;
      dropped += 1;
    };
    const inputs = this.#program.inputs;
    for (let j = 0; j < inputs.length; j++) {
      const nulls = batch.nulls[j] ?? null;
      if (nulls === null) continue;
      const name = (inputs[j] as { name: string }).name;
      for (let i = 0; i < n; i++) if (nulls[i] === 1) miss(i, name, 'missing value (null)');
    }
    const columns = batch.columns as Float64Array[];
    const check = (slot: Slot, v: Float64Array): void => {
      for (let i = 0; i < n; i++) {
        const x = v[i] as number;
        if (x - x === 0 || mask[i] === 1) continue;
        if (Number.isNaN(x)) miss(i, slot.label, 'missing value (NaN)');
        else if (this.#options.mode === 'predict') miss(i, slot.label, 'infinite value');
        else {
          throw new MissingValueError(
            this.#options.unit.file,
            slot.label,
            this.#options.unit.place(rowOffset + i),
            `infinite value ${x}`,
          );
        }
      }
    };
    const values = this.#values;
    this.#variableFns.forEach((slot, k) => {
      if (slot === undefined) return;
      const v = slot.fn(columns, n);
      check(slot, v);
      values[k] = v;
    });
    let offset: Float64Array | undefined;
    if (this.#offsetFns.length > 0) {
      offset = this.#offset;
      offset.fill(0, 0, n);
      for (const slot of this.#offsetFns) {
        const v = slot.fn(columns, n);
        check(slot, v);
        for (let i = 0; i < n; i++) offset[i] = (offset[i] as number) + (v[i] as number);
      }
    }
    let response: Float64Array | undefined;
    if (this.#responseFn !== undefined) {
      const v = this.#responseFn.fn(columns, n);
      check(this.#responseFn, v);
      response = this.#response;
      if (offset === undefined) response.set(v.subarray(0, n));
      else for (let i = 0; i < n; i++) response[i] = (v[i] as number) - (offset[i] as number);
    }
    let weights: Float64Array | undefined;
    if (this.#program.weights !== undefined) {
      const j = this.#program.weights;
      const name = (inputs[j] as { name: string }).name;
      weights = this.#weights;
      weights.set((columns[j] as Float64Array).subarray(0, n));
      check({ label: name, fn: () => weights as Float64Array }, weights);
    }
    const localLevels = this.#factorCodes(batch, (i, column, problem) => {
      if (mask[i] === 1) return;
      if (this.#options.mode === 'predict' && this.#options.unseen === 'na') {
        mask[i] = 1;
        dropped += 1;
        return;
      }
      throw new IoError(
        'bad-value',
        {
          file: this.#options.unit.file,
          column,
          where: this.#options.unit.place(rowOffset + i),
        },
        problem,
      );
    });
    return {
      rows: n,
      mask,
      dropped,
      values,
      codes: this.#codes,
      localLevels,
      response,
      offset,
      weights,
    };
  }

  /** Fills the codes of every factor; returns scan mode's batch-local level lists. */
  #factorCodes(
    batch: LeveledBatch,
    unseen: (row: number, column: string, problem: string) => void,
  ): (readonly string[] | undefined)[] {
    const n = batch.rows;
    const local: (readonly string[] | undefined)[] = [];
    const scan = this.#options.mode === 'scan';
    this.#program.variables.forEach((v, k) => {
      if (v.kind !== 'factor') return;
      const codes = this.#codes[k] as Int32Array;
      if (v.source.kind === 'categorical') {
        const j = v.source.input;
        const src = batch.columns[j] as Float64Array;
        const levels = batch.levels?.[j];
        const name = (this.#program.inputs[j] as { name: string }).name;
        if (levels === undefined || levels === null) {
          throw new IoError(
            'unsupported',
            { file: this.#options.unit.file, column: name },
            'was not read as a category',
          );
        }
        if (scan) {
          local[k] = levels;
          for (let i = 0; i < n; i++) codes[i] = src[i] as number;
          return;
        }
        // Batch-local codes → the model's levels, one lookup per distinct level.
        const index = this.#levelIndex[k] as Map<string, number>;
        if (this.#localToGlobal.length < levels.length)
          this.#localToGlobal = new Int32Array(levels.length * 2);
        const map = this.#localToGlobal;
        for (let l = 0; l < levels.length; l++) {
          map[l] = index.get(canonicalLevel(levels[l] as string, v.logical === true)) ?? -1;
        }
        for (let i = 0; i < n; i++) {
          const c = map[src[i] as number] as number;
          codes[i] = c;
          if (c < 0)
            unseen(
              i,
              name,
              `level "${levels[src[i] as number]}" was not seen when the model was fit`,
            );
        }
        return;
      }
      const values = this.#values[k] as Float64Array;
      if (scan) return;
      const index = this.#levelIndex[k] as Map<number, number>;
      for (let i = 0; i < n; i++) {
        const x = values[i] as number;
        const c = index.get(x === 0 ? 0 : x) ?? -1;
        codes[i] = c;
        if (c < 0 && x - x === 0)
          unseen(i, v.label, `level ${x} was not seen when the model was fit`);
      }
    });
    return local;
  }

  #ensure(n: number): void {
    if (n <= this.#capacity) return;
    const cap = Math.max(n, 2 * this.#capacity);
    this.#capacity = cap;
    this.#mask = new Uint8Array(cap);
    this.#codes = this.#program.variables.map((v) =>
      v.kind === 'factor' ? new Int32Array(cap) : undefined,
    );
    this.#values = this.#program.variables.map(() => undefined);
    this.#response = new Float64Array(cap);
    this.#offset = new Float64Array(cap);
    this.#weights = new Float64Array(cap);
  }
}

function levelIndexOf(
  v: Variable,
  mode: FrameMode,
): Map<string, number> | Map<number, number> | undefined {
  if (v.kind !== 'factor' || mode === 'scan') return undefined;
  if (v.source.kind === 'numeric') {
    return new Map((v.values ?? []).map((x, i) => [x, i]));
  }
  return new Map((v.levels ?? []).map((l, i) => [l, i]));
}
