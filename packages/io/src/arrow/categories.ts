import { IoError } from '@linreg/errors';
import { type Data, DataType, type Vector } from 'apache-arrow';
import { BOOLEAN_LEVELS, LevelTable } from '../categorical.js';
import { isCategoricalArrowType, nullMask } from './convert.js';

/**
 * Arrow columns read as categories (codes plus levels, categorical.ts), for
 * one unit: a record batch of an Arrow file, or a whole Arrow stream. One
 * level table per column lives as long as this object, so a stream's codes
 * stay the same across its record batches.
 *
 * - Utf8 / LargeUtf8 / Utf8View: each row's bytes are found through its
 *   offsets (or its 16-byte view), checked against the buffers, and interned.
 * - Dictionary of those: each row's index is checked against the dictionary
 *   (an index past it is an IoError 'corrupt'), then mapped to a code through
 *   a table per dictionary, filled the first time a row uses an entry. A
 *   dictionary that changes between record batches (a delta or a replacement
 *   in a stream: apache-arrow gives the batch a new dictionary vector) gets a
 *   new table, and its entries map onto the same codes by their text.
 * - Bool: the bit is the code of FALSE / TRUE.
 * A null row gets code 0.
 */
export class ArrowCategories {
  private readonly tables = new Map<string, LevelTable>();
  /** Per column, the dictionary last seen and the code of each of its entries (-1: not yet). */
  private readonly remaps = new Map<string, Remap>();

  constructor(
    private readonly names: ReadonlySet<string>,
    private readonly file: string,
  ) {}

  /** Whether `name` is read as a category. */
  has(name: string): boolean {
    return this.names.has(name);
  }

  /** Whether any of `columns` is read as a category. */
  any(columns: readonly string[]): boolean {
    return columns.some((name) => this.names.has(name));
  }

  /** Whether a column of this type can be read as a category. */
  static accepts(type: DataType): boolean {
    return isCategoricalArrowType(type);
  }

  /** The column's level list (the same array for the whole unit). */
  levels(name: string, type: DataType): readonly string[] {
    return DataType.isBool(type) ? BOOLEAN_LEVELS : this.table(name).levels;
  }

  /**
   * Codes and null mask of rows [from, from + length) of one Data chunk of
   * column `name` (a categorical type), written to codes[at ..] and
   * mask[at ..] (mask zero-filled by the caller). Returns the number of nulls.
   */
  read(
    name: string,
    data: Data<DataType>,
    from: number,
    length: number,
    codes: Float64Array,
    mask: Uint8Array,
    at: number,
    where: string,
  ): number {
    const nulls = nullMask(data, from, length);
    let count = 0;
    if (nulls !== null) {
      mask.set(nulls, at);
      for (let i = 0; i < length; i++) count += nulls[i] as number;
    }
    const type = data.type;
    const fail = (problem: string): never => {
      throw new IoError('corrupt', { file: this.file, column: name, where }, problem);
    };
    if (DataType.isBool(type)) {
      const bits = (data.values ?? new Uint8Array(0)) as Uint8Array;
      const offset = data.offset + from;
      if (bits.length * 8 < offset + length) fail('boolean buffer shorter than the column');
      for (let i = 0; i < length; i++) {
        const bit = offset + i;
        codes[at + i] = nulls?.[i] === 1 ? 0 : ((bits[bit >> 3] as number) >> (bit & 7)) & 1;
      }
      return count;
    }
    const table = this.table(name);
    if (DataType.isDictionary(type)) {
      this.readDictionary(name, data, from, length, codes, at, nulls, table, fail);
      return count;
    }
    const text = textAccessor(data, from + length, fail);
    for (let i = 0; i < length; i++) {
      codes[at + i] = nulls?.[i] === 1 ? 0 : text.code(from + i, table);
    }
    return count;
  }

  private readDictionary(
    name: string,
    data: Data<DataType>,
    from: number,
    length: number,
    codes: Float64Array,
    at: number,
    nulls: Uint8Array | null,
    table: LevelTable,
    fail: (problem: string) => never,
  ): void {
    const dictionary = (data.dictionary ?? null) as Vector | null;
    const size = dictionary?.length ?? 0;
    let remap = this.remaps.get(name);
    if (remap === undefined || remap.dictionary !== dictionary) {
      remap = new Remap(dictionary, size);
      this.remaps.set(name, remap);
    }
    const indices = dictionaryIndices(data, from, length, fail);
    for (let i = 0; i < length; i++) {
      if (nulls?.[i] === 1) {
        codes[at + i] = 0;
        continue;
      }
      const index = indices(i);
      if (!(index >= 0 && index < size)) {
        fail(
          `row ${from + i}: dictionary index ${index} out of range for a dictionary of ${size} values`,
        );
      }
      let code = remap.codes[index] as number;
      if (code < 0) {
        code = remap.intern(index, table, fail);
        remap.codes[index] = code;
      }
      codes[at + i] = code;
    }
  }

  private table(name: string): LevelTable {
    let table = this.tables.get(name);
    if (table === undefined) {
      table = new LevelTable();
      this.tables.set(name, table);
    }
    return table;
  }
}

/** The codes of one dictionary's entries, filled on first use. */
class Remap {
  readonly codes: Int32Array;
  /** First entry of each Data chunk of the dictionary vector. */
  private readonly starts: number[] = [];
  private readonly accessors: (TextAccessor | null)[] = [];

  constructor(
    readonly dictionary: Vector | null,
    size: number,
  ) {
    this.codes = new Int32Array(size).fill(-1);
    let start = 0;
    for (const chunk of dictionary?.data ?? []) {
      this.starts.push(start);
      this.accessors.push(null);
      start += chunk.length;
    }
  }

  /** The code of dictionary entry `index` (0 ≤ index < size). */
  intern(index: number, table: LevelTable, fail: (problem: string) => never): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= index) lo = mid;
      else hi = mid - 1;
    }
    const chunk = this.dictionary?.data[lo] as Data<DataType> | undefined;
    if (chunk === undefined) return fail(`dictionary entry ${index} missing`);
    let accessor = this.accessors[lo];
    if (accessor === null || accessor === undefined) {
      if (!isCategoricalArrowType(chunk.type) || DataType.isBool(chunk.type)) {
        fail(`dictionary of type ${String(chunk.type)} is not text`);
      }
      accessor = textAccessor(chunk, chunk.length, (problem) => fail(`dictionary: ${problem}`));
      this.accessors[lo] = accessor;
    }
    return accessor.code(index - (starts[lo] as number), table);
  }
}

/** The code of row i (relative to the Data's own offset) of a text column. */
interface TextAccessor {
  code(i: number, table: LevelTable): number;
}

/**
 * An accessor for rows [0, rows) of a Utf8, LargeUtf8 or Utf8View Data,
 * whose buffers are checked to cover those rows; every value's bytes are
 * checked to lie inside their buffer when read.
 */
function textAccessor(
  data: Data<DataType>,
  rows: number,
  fail: (problem: string) => never,
): TextAccessor {
  const type = data.type;
  const base = data.offset;
  const values = (data.values ?? new Uint8Array(0)) as Uint8Array;
  if (DataType.isUtf8(type)) {
    const offsets = (data.valueOffsets ?? new Int32Array(0)) as Int32Array;
    if (offsets.length < base + rows + 1) fail('offsets buffer shorter than the column');
    return {
      code(i, table) {
        const s = offsets[base + i] as number;
        const e = offsets[base + i + 1] as number;
        if (!(s >= 0 && s <= e && e <= values.length)) {
          fail(`value ${i}: bytes ${s}-${e} outside the ${values.length}-byte data buffer`);
        }
        return table.intern(values, s, e);
      },
    };
  }
  if (DataType.isLargeUtf8(type)) {
    const big = (data.valueOffsets ?? new BigInt64Array(0)) as unknown as BigInt64Array;
    if (big.length < base + rows + 1) fail('offsets buffer shorter than the column');
    // 64-bit offsets as (lo, hi) words; an offset past 2^31 cannot address a typed array here.
    const words = new Int32Array(big.buffer, big.byteOffset, 2 * big.length);
    return {
      code(i, table) {
        const k = 2 * (base + i);
        const s = words[k] as number;
        const e = words[k + 2] as number;
        if (words[k + 1] !== 0 || words[k + 3] !== 0 || !(s >= 0 && s <= e && e <= values.length)) {
          fail(`value ${i}: offsets outside the ${values.length}-byte data buffer`);
        }
        return table.intern(values, s, e);
      },
    };
  }
  if (DataType.isUtf8View(type)) {
    if (values.length < 16 * (base + rows)) fail('views buffer shorter than the column');
    const view = new DataView(values.buffer, values.byteOffset, values.byteLength);
    const buffers = (data.variadicBuffers ?? []) as readonly Uint8Array[];
    return {
      code(i, table) {
        const v = 16 * (base + i);
        const length = view.getInt32(v, true);
        if (length < 0) fail(`value ${i}: negative length ${length}`);
        if (length <= 12) return table.intern(values, v + 4, v + 4 + length);
        const b = view.getInt32(v + 8, true);
        const offset = view.getInt32(v + 12, true);
        const buffer = buffers[b];
        if (buffer === undefined || offset < 0 || offset + length > buffer.length) {
          fail(
            `value ${i}: view of ${length} bytes at ${offset} of buffer ${b} is outside the data`,
          );
        }
        return table.intern(buffer as Uint8Array, offset, offset + length);
      },
    };
  }
  return fail(`type ${String(type)} is not text`);
}

/** Index of row from + i of a dictionary column, as a number (64-bit indices included; -1 when out of any range). */
function dictionaryIndices(
  data: Data<DataType>,
  from: number,
  length: number,
  fail: (problem: string) => never,
): (i: number) => number {
  const raw = data.values as unknown as ArrayLike<number | bigint> & ArrayBufferView;
  const base = data.offset + from;
  if (raw === undefined || raw === null || raw.length < base + length) {
    fail('dictionary indices buffer shorter than the column');
  }
  if (raw instanceof BigInt64Array || raw instanceof BigUint64Array) {
    const words = new Int32Array(raw.buffer, raw.byteOffset, 2 * raw.length);
    return (i) => {
      const k = 2 * (base + i);
      const lo = words[k] as number;
      return words[k + 1] === 0 && lo >= 0 ? lo : -1;
    };
  }
  const indices = raw as ArrayLike<number>;
  return (i) => indices[base + i] as number;
}
