/**
 * Pass 1 of a grouped fit (`by`): the unit's design rows, as `accumulate`
 * reads them (formula, factors, `where`, missing values), split by the group
 * columns into one accumulator state per group.
 *
 * The group columns travel as the read's key columns (`read.cluster`,
 * tasks/cluster-columns.ts): numbers as they are, text as categories; a row
 * whose group value is missing (null, NaN) is a missing row of the design.
 * Each batch's rows are sorted by group (a stable counting sort into scratch
 * columns reused from batch to batch, no per-row objects), and each group's
 * run of rows updates that group's state, so a group sees its rows in file
 * order in the same batches as a `where` fit of that group would.
 *
 * Output: the unit's group keys, sorted (groups.ts's order), and their
 * serialized states (moved). Memory is about groups × p² doubles.
 */
import {
  type AccumulatorState,
  createAccumulator,
  serializeAccumulator,
  updateAccumulator,
} from '../../numerics/accumulate/index.js';
import type { ClusterKeyColumn } from '../../numerics/meat/index.js';
import type { AccumulatorSpec, DesignBatch } from '../../numerics/types.js';
import {
  compareGroupKeys,
  type GroupKey,
  type GroupsOutput,
  tooManyGroups,
} from '../groups/group-keys.js';
import { streamDesign } from './design-rows.js';
import type { DesignRead } from './protocol.js';
import type { TaskKind } from './task-kind.js';

export interface AccumulateGroupsArgs {
  /** The design read, with the group columns as its key columns (`cluster`) and dense rows. */
  readonly read: DesignRead;
  readonly spec: AccumulatorSpec;
  /** The group columns' names (for errors). */
  readonly by: readonly string[];
  readonly maxGroups: number;
}

/** Codes per column and prefix stage stay below this, as the group count does (maxGroups ≤ 10⁶). */
const STAGE = 2 ** 21;

class GroupSplitter {
  readonly #spec: AccumulatorSpec;
  readonly #by: readonly string[];
  readonly #max: number;
  /** Per column: value → code within the unit, and code → value. */
  readonly #codes: Map<number | string, number>[];
  readonly #values: (number | string)[][];
  /** Per column after the first: (prefix id, code) → prefix id; the last stage's id is the group. */
  readonly #stages: Map<number, number>[];
  readonly keys: GroupKey[] = [];
  readonly states: AccumulatorState[] = [];
  #rowGroup = new Int32Array(0);
  #levelCode = new Int32Array(0);
  #rowCodes: Int32Array[] = [];
  #counts = new Int32Array(0);
  #starts = new Int32Array(0);
  #scratch: Float64Array[] = [];

  constructor(spec: AccumulatorSpec, by: readonly string[], max: number) {
    this.#spec = spec;
    this.#by = by;
    this.#max = max;
    this.#codes = by.map(() => new Map());
    this.#values = by.map(() => []);
    this.#stages = by.slice(1).map(() => new Map());
  }

  update(design: DesignBatch, firstRow: number, keys: readonly ClusterKeyColumn[]): void {
    const n = design.rows;
    if (this.#rowGroup.length < n) this.#rowGroup = new Int32Array(n);
    const rowGroup = this.#rowGroup;
    this.#groupRows(keys, n, rowGroup);
    const groups = this.keys.length;
    if (this.#counts.length < groups) {
      this.#counts = new Int32Array(Math.max(groups, 2 * this.#counts.length));
      this.#starts = new Int32Array(this.#counts.length);
    }
    const counts = this.#counts;
    counts.fill(0, 0, groups);
    for (let i = 0; i < n; i++) counts[rowGroup[i] as number] += 1;
    const only = rowGroup[0] as number;
    if (n > 0 && counts[only] === n) {
      updateAccumulator(this.states[only] as AccumulatorState, design, firstRow);
      return;
    }
    const columns = [...design.x, design.y, ...(design.w === undefined ? [] : [design.w])];
    if ((this.#scratch[0]?.length ?? 0) < n || this.#scratch.length !== columns.length) {
      this.#scratch = columns.map(
        () => new Float64Array(Math.max(n, this.#scratch[0]?.length ?? 0)),
      );
    }
    const starts = this.#starts;
    let at = 0;
    for (let g = 0; g < groups; g++) {
      starts[g] = at;
      at += counts[g] as number;
    }
    columns.forEach((src, j) => {
      const dst = this.#scratch[j] as Float64Array;
      const next = starts.slice(0, groups);
      for (let i = 0; i < n; i++) dst[next[rowGroup[i] as number]++] = src[i] as number;
    });
    const p = design.x.length;
    for (let g = 0; g < groups; g++) {
      const rows = counts[g] as number;
      if (rows === 0) continue;
      const s = starts[g] as number;
      const part = this.#scratch.map((col) => col.subarray(s, s + rows));
      updateAccumulator(
        this.states[g] as AccumulatorState,
        {
          rows,
          x: part.slice(0, p),
          y: part[p] as Float64Array,
          w: design.w === undefined ? undefined : part[p + 1],
        },
        firstRow,
      );
    }
  }

  /** Each row's group in rowGroup: the columns' codes, folded column by column into prefix ids. */
  #groupRows(keys: readonly ClusterKeyColumn[], n: number, rowGroup: Int32Array): void {
    if (this.#rowCodes.length !== keys.length || (this.#rowCodes[0]?.length ?? 0) < n) {
      this.#rowCodes = keys.map(() => new Int32Array(n));
    }
    keys.forEach((column, c) => {
      this.#columnCodes(column, c, n, this.#rowCodes[c] as Int32Array);
    });
    const codes = this.#rowCodes;
    for (let i = 0; i < n; i++) {
      let id = (codes[0] as Int32Array)[i] as number;
      for (let c = 1; c < codes.length; c++) {
        const stage = this.#stages[c - 1] as Map<number, number>;
        const key = id * STAGE + ((codes[c] as Int32Array)[i] as number);
        const found = stage.get(key);
        if (found === undefined) {
          id = stage.size;
          if (id >= this.#max) throw tooManyGroups(this.#by, `more than ${this.#max} groups`);
          stage.set(key, id);
        } else {
          id = found;
        }
      }
      if (id === this.keys.length) this.#addGroup(i);
      rowGroup[i] = id;
    }
  }

  /** Column c's value codes within the unit (first seen, first coded). */
  #columnCodes(column: ClusterKeyColumn, c: number, n: number, out: Int32Array): void {
    const { values, levels } = column;
    if (levels === null) {
      for (let i = 0; i < n; i++) out[i] = this.#code(c, values[i] as number);
      return;
    }
    if (this.#levelCode.length < levels.length) this.#levelCode = new Int32Array(levels.length);
    this.#levelCode.fill(-1, 0, levels.length);
    for (let i = 0; i < n; i++) {
      const v = values[i] as number;
      let code = this.#levelCode[v] as number;
      if (code < 0) {
        code = this.#code(c, levels[v] as string);
        this.#levelCode[v] = code;
      }
      out[i] = code;
    }
  }

  #code(c: number, value: number | string): number {
    const codes = this.#codes[c] as Map<number | string, number>;
    let code = codes.get(value);
    if (code === undefined) {
      if (typeof value === 'number' && !Number.isFinite(value)) {
        throw tooManyGroups(this.#by, `column ${this.#by[c]} holds ${value}, not a group value`);
      }
      code = codes.size;
      if (code >= this.#max) throw tooManyGroups(this.#by, `more than ${this.#max} groups`);
      codes.set(value, code);
      (this.#values[c] as (number | string)[]).push(value);
    }
    return code;
  }

  /** A new group, first seen at row i: its key is the row's values. */
  #addGroup(i: number): void {
    if (this.keys.length >= this.#max) {
      throw tooManyGroups(this.#by, `more than ${this.#max} groups`);
    }
    this.keys.push(
      this.#rowCodes.map(
        (codes, c) =>
          (this.#values[c] as (number | string)[])[codes[i] as number] as number | string,
      ),
    );
    this.states.push(createAccumulator(this.#spec));
  }
}

export const task: TaskKind<AccumulateGroupsArgs, GroupsOutput> = {
  async run(input, args) {
    const splitter = new GroupSplitter(args.spec, args.by, args.maxGroups);
    const rows = await streamDesign(input, args.read, (design, firstRow, keys) =>
      splitter.update(design, firstRow, keys),
    );
    const order = splitter.keys.map((_, g) => g);
    order.sort((a, b) =>
      compareGroupKeys(splitter.keys[a] as GroupKey, splitter.keys[b] as GroupKey),
    );
    return {
      output: {
        keys: order.map((g) => splitter.keys[g] as GroupKey),
        states: order.map((g) => serializeAccumulator(splitter.states[g] as AccumulatorState)),
      },
      rows,
    };
  },
  transfer: (o) => o.states,
};
