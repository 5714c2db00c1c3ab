/**
 * The k rows of largest Cook's distance and of largest leverage, from the
 * residual pass at the final β (`--diagnostics`), as R's `cooks.distance`
 * and `hatvalues` of the same `lm`:
 *
 *     hᵢ = wᵢ·‖R_K⁻ᵀ x_K,i‖²                       (R_KᵀR_K = X_KᵀWX_K)
 *     Dᵢ = wᵢeᵢ²·hᵢ / (q·σ̂²·(1 − hᵢ)²)            (σ̂² = RSS/(n − q), q the rank)
 *
 * with the raw residual eᵢ = yᵢ − xᵢᵀβ, so √wᵢeᵢ is R's weighted residual.
 * Rows of zero weight are no observation and are skipped (R gives them no
 * Cook's distance either); a NaN value (h = 1 with e = 0) is never listed.
 *
 * Rows are numbered as `linreg report` numbers them: within the unit as read,
 * dropped rows included (and rows `--where` removed), and placed in their file once the pass is merged
 * (`placeTopRows`), 1-based. For that the state also carries each unit's rows
 * read: a slot per unit of the source, each written by the one unit that
 * owns it, merged by adding — exact in any merge order.
 *
 * The lists are numerics/top/top-list.ts's: sorted by value descending, then
 * unit and row ascending, so 1 or many workers, or a fit cut into rounds
 * (`linreg partial`/`merge`), keep the same rows.
 *
 * ## State layout
 *
 * [k, units U, Cook's entries held, leverage entries held, rows read per
 * unit (U), Cook's list (k × 3: D, unit, row), leverage list (k × 3: h, unit,
 * row)].
 */
import { NumericInputError, StateFormatError } from '@linreg/errors';
import { chunkResiduals } from '../linalg/index.js';
import { chunkLeverages } from '../meat/index.js';
import {
  KeptRows,
  mergeTopLists,
  type TopList,
  topOffsets,
  topSlot,
  unitFirstRows,
} from '../top/index.js';
import type { DesignBatch } from '../types.js';

/** Rows per chunk of the leverage kernel. */
const CHUNK = 128;
const K = 0;
const UNITS = 1;
const HELD_COOK = 2;
const HELD_HAT = 3;
const HEAD = 4;
const FIELDS = 3;

/** What a top-rows pass needs besides the rows (plain data: it travels to the workers). */
export interface TopRowsSpec {
  /** Feature columns of a batch. */
  readonly p: number;
  readonly intercept: boolean;
  /** Length m = p + intercept; a dropped column's NaN counts as 0. */
  readonly beta: Float64Array;
  /** Identified design columns K, ascending (q of them). */
  readonly kept: readonly number[];
  /** q × q row-major upper-triangular R_K with R_KᵀR_K = X_KᵀWX_K. */
  readonly factor: Float64Array;
  /** σ̂² = RSS / (n − q). */
  readonly sigma2: number;
  /** Rows kept in each list. */
  readonly k: number;
  /** Units of the source (one rows-read slot each). */
  readonly units: number;
}

/** One listed row, placed in its file. */
export interface TopRow {
  readonly file: string;
  /** 1-based data row in its file (header not counted), dropped rows included. */
  readonly row: number;
  readonly value: number;
}

export interface TopRows {
  readonly cook: readonly TopRow[];
  readonly leverage: readonly TopRow[];
}

export function createTopRowsState(k: number, units: number): Float64Array {
  const s = new Float64Array(HEAD + units + 2 * k * FIELDS);
  s[K] = k;
  s[UNITS] = units;
  return s;
}

function listsOf(s: Float64Array): { cook: TopList; hat: TopList } {
  const k = s[K] as number;
  const base = HEAD + (s[UNITS] as number);
  return {
    cook: { data: s, held: HELD_COOK, base, k, fields: FIELDS },
    hat: { data: s, held: HELD_HAT, base: base + k * FIELDS, k, fields: FIELDS },
  };
}

/** a ⊕ b, into a (returned): rows read added, lists merged. */
export function mergeTopRowsStates(a: Float64Array, b: Float64Array): Float64Array {
  if (a.length !== b.length || a[K] !== b[K] || a[UNITS] !== b[UNITS]) {
    throw new StateFormatError('layout', 'cannot merge top-rows states of different k or units');
  }
  const units = a[UNITS] as number;
  for (let u = HEAD; u < HEAD + units; u++) a[u] = (a[u] as number) + (b[u] as number);
  const la = listsOf(a);
  const lb = listsOf(b);
  mergeTopLists(la.cook, lb.cook);
  mergeTopLists(la.hat, lb.hat);
  return a;
}

/**
 * The merged state's rows placed in their files: `unitFiles[u]` is unit u's
 * file; a unit's first row follows the rows read by the file's earlier units.
 */
export function placeTopRows(s: Float64Array, unitFiles: readonly string[]): TopRows {
  const units = s[UNITS] as number;
  const start = unitFirstRows(unitFiles.slice(0, units), s.subarray(HEAD, HEAD + units));
  const place = (list: TopList): TopRow[] =>
    topOffsets(list).map((o) => {
      const unit = s[o + 1] as number;
      return {
        file: unitFiles[unit] ?? '',
        row: (start[unit] ?? 0) + (s[o + 2] as number) + 1,
        value: s[o] as number,
      };
    });
  const lists = listsOf(s);
  return { cook: place(lists.cook), leverage: place(lists.hat) };
}

/** Fills one unit's top-rows state; scratch allocated once, nothing per row. */
export class TopRowsAccumulator {
  readonly state: Float64Array;
  readonly #spec: TopRowsSpec;
  readonly #unit: number;
  readonly #cook: TopList;
  readonly #hat: TopList;
  /** Per kept column: the feature index in the batch, or −1 for the intercept. */
  readonly #source: Int32Array;
  readonly #x: Float64Array;
  readonly #z: Float64Array;
  readonly #r = new Float64Array(CHUNK);
  readonly #ss = new Float64Array(CHUNK);
  /** Design row → row of the batch as read, when rows were dropped. */
  readonly #place = new KeptRows();
  /** Row of the batch as read → row before `--where`, under a filter. */
  readonly #unfiltered = new KeptRows();

  constructor(spec: TopRowsSpec, unit: number) {
    const q = spec.kept.length;
    const m = spec.p + (spec.intercept ? 1 : 0);
    if (spec.beta.length !== m || spec.factor.length !== q * q || unit >= spec.units) {
      throw new NumericInputError(
        `top rows: ${spec.beta.length} coefficients, a factor of ${spec.factor.length} entries, unit ${unit} of ${spec.units} for m = ${m}, q = ${q}`,
      );
    }
    this.#spec = spec;
    this.#unit = unit;
    this.state = createTopRowsState(spec.k, spec.units);
    const lists = listsOf(this.state);
    this.#cook = lists.cook;
    this.#hat = lists.hat;
    const i0 = spec.intercept ? 1 : 0;
    this.#source = Int32Array.from(spec.kept, (c) => c - i0);
    this.#x = new Float64Array(q * CHUNK);
    this.#z = new Float64Array(q * CHUNK);
  }

  /**
   * One batch: `firstRow` is its first row in the unit as read and
   * `dropMask` marks its dropped rows (when any); under `--where`, `where`
   * gives its first row before the filter and the rows the filter kept, so
   * rows are numbered in the file, filtered rows counted.
   */
  update(
    batch: DesignBatch,
    firstRow: number,
    dropMask: Uint8Array | undefined,
    where?: { readonly firstRow: number; readonly keep: Uint8Array } | undefined,
  ): void {
    if (this.#spec.k === 0 || batch.rows === 0) return;
    let place = dropMask === undefined ? undefined : this.#place.of(dropMask, batch.rows, 0);
    let first = firstRow;
    if (where !== undefined) {
      const last = place === undefined ? batch.rows - 1 : (place[batch.rows - 1] as number);
      const unfiltered = this.#unfiltered.of(where.keep, last + 1, 1);
      if (place === undefined) place = unfiltered;
      else for (let i = 0; i < batch.rows; i++) place[i] = unfiltered[place[i] as number] as number;
      first = where.firstRow;
    }
    for (let start = 0; start < batch.rows; start += CHUNK) {
      this.#chunk(batch, start, Math.min(CHUNK, batch.rows - start), first, place);
    }
  }

  /** The unit's rows read (dropped rows included), once its batches are done. */
  finish(rowsRead: number): void {
    this.state[HEAD + this.#unit] = rowsRead;
  }

  #chunk(
    batch: DesignBatch,
    start: number,
    len: number,
    firstRow: number,
    place: Int32Array | undefined,
  ): void {
    const { beta, intercept, factor, sigma2 } = this.#spec;
    const q = this.#source.length;
    const x = this.#x;
    const r = this.#r;
    const ss = this.#ss;
    chunkResiduals(batch, start, len, beta, intercept, r);
    for (let a = 0; a < q; a++) {
      const s = this.#source[a] as number;
      const o = a * CHUNK;
      if (s < 0) x.fill(1, o, o + len);
      else x.set((batch.x[s] as Float64Array).subarray(start, start + len), o);
    }
    chunkLeverages(q, factor, x, this.#z, CHUNK, len, ss);
    const scale = q * sigma2;
    const w = batch.w;
    const data = this.state;
    for (let t = 0; t < len; t++) {
      const wt = w === undefined ? 1 : (w[start + t] as number);
      if (wt === 0) continue;
      const h = wt * (ss[t] as number);
      const e = r[t] as number;
      const oneMinus = 1 - h;
      const d = (wt * e * e * h) / (scale * oneMinus * oneMinus);
      const i = start + t;
      const row = firstRow + (place === undefined ? i : (place[i] as number));
      if (!Number.isNaN(d)) {
        const o = topSlot(this.#cook, d);
        if (o >= 0) {
          data[o] = d;
          data[o + 1] = this.#unit;
          data[o + 2] = row;
        }
      }
      if (!Number.isNaN(h)) {
        const o = topSlot(this.#hat, h);
        if (o >= 0) {
          data[o] = h;
          data[o + 1] = this.#unit;
          data[o + 2] = row;
        }
      }
    }
  }
}
