/**
 * The scores of a cluster-robust (CR) sandwich, summed per cluster in one
 * streaming pass at fixed β: R's `sandwich::vcovCL`, Stata's `vce(cluster)`.
 *
 * ## What is summed (rows with wᵢ > 0, over the identified columns K)
 *
 *     rᵢ = yᵢ − xᵢᵀβ                  (a dropped column's β counts 0)
 *     s_g = Σ_{i∈g} wᵢ rᵢ x_K,i        (sandwich's estfun of a weighted lm is w·r·x)
 *
 * for every cluster g of each table: one table for `--cluster firm`; three
 * for `--cluster firm,year` — firm, year and their intersection (the pairs
 * firm × year that occur), for Cameron–Gelbach–Miller's V_firm + V_year −
 * V_firm∩year. The meat of a table is Σ_g s_g s_gᵀ (clusterMeats).
 *
 * ## Keys
 *
 * A cluster's key is its value: a number (a numeric column; −0 is 0; NaN is
 * missing and never reaches here) or the level text (a text column read as
 * categories, io's ColumnBatch.levels). Numbers sort before text, numbers by
 * value, text by UTF-16 code units; an intersection's key is the pair,
 * compared component by component.
 *
 * ## State and merge
 *
 * Within a unit a Map finds each row's cluster (memory: clusters × q doubles
 * and one Map entry each). At the end of the unit the table is sorted by key
 * (ClusterState): keys per component and the sums g × q row-major. Two
 * states merge by a merge-join of their sorted keys, adding the sums of a key
 * both hold; the engine merges in unit order by its fixed tree and the meat
 * is summed in sorted key order, so the result does not depend on the number
 * of workers (shards change only the order of the additions within s_g).
 * More than `maxClusters` clusters in a table, in a unit or merged, is a
 * SpecError naming the column.
 */

import { NumericInputError, SpecError } from '@linreg/errors';
import { chunkResiduals } from '../linalg/index.js';
import type { DesignBatch } from '../types.js';

/** A cluster's value: a number, or the text of a level. */
export type ClusterKey = number | string;

/** One cluster column of a batch, aligned with the design rows (only the first `rows` are read). */
export interface ClusterKeyColumn {
  /** Numbers, or (with levels) codes into `levels`. */
  readonly values: Float64Array;
  readonly levels: readonly string[] | null;
}

/** What a cluster pass needs besides the rows (plain data: it travels to the workers). */
export interface ClusterSpec {
  /** Feature columns of a batch. */
  readonly p: number;
  readonly intercept: boolean;
  /** Length m = p + intercept; NaN (a dropped column) counts as 0. */
  readonly beta: Float64Array;
  /** Identified design columns K, ascending (q of them). */
  readonly kept: readonly number[];
  /** The cluster columns (one or two). */
  readonly columns: readonly string[];
  /** Most clusters a table may hold. */
  readonly maxClusters: number;
}

/** One table's clusters, sorted by key. */
export interface ClusterTable {
  /** keys[c][g]: component c of cluster g's key (one component, or two for an intersection). */
  readonly keys: readonly (readonly ClusterKey[])[];
  /** s_g, g × q row-major. */
  readonly sums: Float64Array;
}

export interface ClusterState {
  readonly q: number;
  /** Rows with positive weight the state has seen. */
  readonly rows: number;
  /** One table (one column) or three (firm, year, firm∩year). */
  readonly tables: readonly ClusterTable[];
}

/** A state as it travels from a worker (sums as moved buffers). */
export interface ClusterStateMessage {
  readonly q: number;
  readonly rows: number;
  readonly tables: readonly { keys: ClusterKey[][]; sums: ArrayBuffer }[];
}

/** The label of table t of a spec's columns: `firm`, `year`, `firm∩year`. */
export function clusterTableLabel(columns: readonly string[], t: number): string {
  return t < columns.length ? (columns[t] as string) : columns.join('∩');
}

/** Number of clusters in a table. */
export const clusterCount = (t: ClusterTable): number => t.keys[0]?.length ?? 0;

function tooMany(label: string, count: string, max: number): never {
  throw new SpecError(
    'cluster',
    `column ${label} has ${count} clusters, more than --max-clusters ${max} (memory is about clusters × p doubles; raise --max-clusters)`,
  );
}

export function compareKeys(a: ClusterKey, b: ClusterKey): number {
  if (typeof a === 'number') {
    if (typeof b !== 'number') return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareAt(keys: readonly (readonly ClusterKey[])[], i: number, j: number): number {
  for (const k of keys) {
    const c = compareKeys(k[i] as ClusterKey, k[j] as ClusterKey);
    if (c !== 0) return c;
  }
  return 0;
}

function compareAcross(
  a: readonly (readonly ClusterKey[])[],
  i: number,
  b: readonly (readonly ClusterKey[])[],
  j: number,
): number {
  for (let c = 0; c < a.length; c++) {
    const d = compareKeys(
      (a[c] as ClusterKey[])[i] as ClusterKey,
      (b[c] as ClusterKey[])[j] as ClusterKey,
    );
    if (d !== 0) return d;
  }
  return 0;
}

/** A growing table of one unit: key → row of `sums`. */
class UnitTable {
  readonly keys: ClusterKey[][];
  sums: Float64Array;
  count = 0;
  readonly #q: number;
  constructor(components: number, q: number) {
    this.keys = Array.from({ length: components }, () => []);
    this.#q = q;
    this.sums = new Float64Array(q * 64);
  }
  /** Appends a cluster with these key components; returns its index. */
  add(parts: readonly ClusterKey[]): number {
    const g = this.count++;
    parts.forEach((k, c) => {
      (this.keys[c] as ClusterKey[]).push(k);
    });
    if ((g + 1) * this.#q > this.sums.length) {
      const grown = new Float64Array(Math.max(2 * this.sums.length, (g + 1) * this.#q));
      grown.set(this.sums);
      this.sums = grown;
    }
    return g;
  }
  /** The table sorted by key. */
  sorted(): ClusterTable {
    const q = this.#q;
    const order = Array.from({ length: this.count }, (_, i) => i);
    order.sort((i, j) => compareAt(this.keys, i, j));
    const sums = new Float64Array(this.count * q);
    order.forEach((g, to) => {
      sums.set(this.sums.subarray(g * q, (g + 1) * q), to * q);
    });
    return { keys: this.keys.map((k) => order.map((g) => k[g] as ClusterKey)), sums };
  }
}

const keyOf = (col: ClusterKeyColumn, i: number): ClusterKey => {
  const v = col.values[i] as number;
  if (col.levels !== null) return col.levels[v] as string;
  return v === 0 ? 0 : v;
};

/** Sums the rows of batches into per-cluster scores; scratch is allocated once. */
export class ClusterAccumulator {
  readonly #spec: ClusterSpec;
  readonly #q: number;
  readonly #source: Int32Array;
  readonly #r = new Float64Array(CHUNK);
  readonly #tables: UnitTable[];
  readonly #one = new Map<ClusterKey, number>();
  readonly #two = new Map<ClusterKey, number>();
  readonly #pair = new Map<ClusterKey, Map<ClusterKey, number>>();
  #rows = 0;

  constructor(spec: ClusterSpec) {
    const q = spec.kept.length;
    const m = spec.p + (spec.intercept ? 1 : 0);
    if (spec.beta.length !== m || spec.columns.length < 1 || spec.columns.length > 2) {
      throw new NumericInputError(
        `cluster: ${spec.beta.length} coefficients for m = ${m}, ${spec.columns.length} cluster columns`,
      );
    }
    this.#spec = spec;
    this.#q = q;
    const i0 = spec.intercept ? 1 : 0;
    this.#source = Int32Array.from(spec.kept, (c) => c - i0);
    this.#tables =
      spec.columns.length === 1
        ? [new UnitTable(1, q)]
        : [new UnitTable(1, q), new UnitTable(1, q), new UnitTable(2, q)];
  }

  #index(t: number, map: Map<ClusterKey, number>, key: ClusterKey): number {
    let g = map.get(key);
    if (g === undefined) {
      const table = this.#tables[t] as UnitTable;
      if (table.count >= this.#spec.maxClusters) {
        tooMany(
          clusterTableLabel(this.#spec.columns, t),
          `at least ${table.count + 1}`,
          this.#spec.maxClusters,
        );
      }
      g = table.add([key]);
      map.set(key, g);
    }
    return g;
  }

  #pairIndex(a: ClusterKey, b: ClusterKey): number {
    let inner = this.#pair.get(a);
    if (inner === undefined) {
      inner = new Map();
      this.#pair.set(a, inner);
    }
    let g = inner.get(b);
    if (g === undefined) {
      const table = this.#tables[2] as UnitTable;
      if (table.count >= this.#spec.maxClusters) {
        tooMany(
          clusterTableLabel(this.#spec.columns, 2),
          `at least ${table.count + 1}`,
          this.#spec.maxClusters,
        );
      }
      g = table.add([a, b]);
      inner.set(b, g);
    }
    return g;
  }

  update(batch: DesignBatch, keys: readonly ClusterKeyColumn[]): void {
    if (batch.x.length !== this.#spec.p || keys.length !== this.#spec.columns.length) {
      throw new NumericInputError(
        `cluster: batch has ${batch.x.length} feature and ${keys.length} cluster columns, the fit p = ${this.#spec.p} and ${this.#spec.columns.length}`,
      );
    }
    const { beta, intercept } = this.#spec;
    const q = this.#q;
    const src = this.#source;
    const r = this.#r;
    const w = batch.w;
    const two = keys.length === 2;
    const k0 = keys[0] as ClusterKeyColumn;
    const k1 = keys[1] as ClusterKeyColumn;
    const rows: number[] = [0, 0, 0];
    for (let start = 0; start < batch.rows; start += CHUNK) {
      const len = Math.min(CHUNK, batch.rows - start);
      chunkResiduals(batch, start, len, beta, intercept, r);
      for (let t = 0; t < len; t++) {
        const i = start + t;
        const wt = w === undefined ? 1 : (w[i] as number);
        if (wt === 0) continue;
        this.#rows += 1;
        const wr = wt * (r[t] as number);
        const a = keyOf(k0, i);
        rows[0] = this.#index(0, this.#one, a) * q;
        if (two) {
          const b = keyOf(k1, i);
          rows[1] = this.#index(1, this.#two, b) * q;
          rows[2] = this.#pairIndex(a, b) * q;
        }
        for (let tb = 0; tb < this.#tables.length; tb++) {
          const sums = (this.#tables[tb] as UnitTable).sums;
          const o = rows[tb] as number;
          for (let c = 0; c < q; c++) {
            const s = src[c] as number;
            sums[o + c] += s < 0 ? wr : wr * ((batch.x[s] as Float64Array)[i] as number);
          }
        }
      }
    }
  }

  /** The unit's state, each table sorted by key. */
  get state(): ClusterState {
    return { q: this.#q, rows: this.#rows, tables: this.#tables.map((t) => t.sorted()) };
  }
}

/** Rows per residual chunk. */
const CHUNK = 256;

export function clusterStateMessage(s: ClusterState): ClusterStateMessage {
  return {
    q: s.q,
    rows: s.rows,
    tables: s.tables.map((t) => ({
      keys: t.keys.map((k) => [...k]),
      sums: (t.sums.byteOffset === 0 && t.sums.byteLength === t.sums.buffer.byteLength
        ? t.sums.buffer
        : t.sums.slice().buffer) as ArrayBuffer,
    })),
  };
}

export function clusterStateOf(m: ClusterStateMessage): ClusterState {
  return {
    q: m.q,
    rows: m.rows,
    tables: m.tables.map((t) => {
      const sums = new Float64Array(t.sums);
      const g = t.keys[0]?.length ?? 0;
      if (sums.length !== g * m.q || t.keys.some((k) => k.length !== g)) {
        throw new NumericInputError(
          `cluster state: ${sums.length} sums for ${g} clusters of q = ${m.q}`,
        );
      }
      return { keys: t.keys, sums };
    }),
  };
}

function mergeTables(a: ClusterTable, b: ClusterTable, q: number): ClusterTable {
  const ga = clusterCount(a);
  const gb = clusterCount(b);
  if (gb === 0) return a;
  if (ga === 0) return b;
  const keys: ClusterKey[][] = a.keys.map(() => []);
  const out = new Float64Array((ga + gb) * q);
  let i = 0;
  let j = 0;
  let g = 0;
  const take = (t: ClusterTable, at: number): void => {
    t.keys.forEach((k, c) => {
      (keys[c] as ClusterKey[]).push(k[at] as ClusterKey);
    });
    out.set(t.sums.subarray(at * q, (at + 1) * q), g * q);
  };
  while (i < ga || j < gb) {
    const d = i === ga ? 1 : j === gb ? -1 : compareAcross(a.keys, i, b.keys, j);
    if (d < 0) take(a, i++);
    else if (d > 0) take(b, j++);
    else {
      take(a, i);
      for (let c = 0; c < q; c++) out[g * q + c] += b.sums[j * q + c] as number;
      i++;
      j++;
    }
    g++;
  }
  return { keys, sums: out.slice(0, g * q) };
}

/** a + b (a merge-join by key); throws when a merged table holds more than `maxClusters`. */
export function mergeClusterStates(
  a: ClusterState,
  b: ClusterState,
  columns: readonly string[],
  maxClusters: number,
): ClusterState {
  if (a.q !== b.q || a.tables.length !== b.tables.length) {
    throw new NumericInputError(`cannot merge cluster states of q = ${a.q} and q = ${b.q}`);
  }
  const tables = a.tables.map((t, k) => {
    const merged = mergeTables(t, b.tables[k] as ClusterTable, a.q);
    const g = clusterCount(merged);
    if (g > maxClusters) tooMany(clusterTableLabel(columns, k), String(g), maxClusters);
    return merged;
  });
  return { q: a.q, rows: a.rows + b.rows, tables };
}

/** An empty state (no rows) for a spec. */
export function emptyClusterState(q: number, columns: number): ClusterState {
  const table = (c: number): ClusterTable => ({
    keys: Array.from({ length: c }, () => []),
    sums: new Float64Array(0),
  });
  return { q, rows: 0, tables: columns === 1 ? [table(1)] : [table(1), table(1), table(2)] };
}

/** Σ_g s_g s_gᵀ of a table (q × q, full), summed in key order. */
export function clusterMeat(t: ClusterTable, q: number): Float64Array {
  const out = new Float64Array(q * q);
  const g = clusterCount(t);
  const s = t.sums;
  for (let k = 0; k < g; k++) {
    const o = k * q;
    for (let a = 0; a < q; a++) {
      const sa = s[o + a] as number;
      if (sa === 0) continue;
      for (let b = a; b < q; b++) out[a * q + b] += sa * (s[o + b] as number);
    }
  }
  for (let a = 0; a < q; a++) for (let b = 0; b < a; b++) out[a * q + b] = out[b * q + a] as number;
  return out;
}
