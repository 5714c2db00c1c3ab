import { IoError } from '@linreg/errors';
import { LevelTable } from '../categorical.js';
import type { ColumnBatch } from '../types.js';
import { POW10, storeDecimal } from './decimal.js';
import { FIELD_BAD, FIELD_NULL, latin1, NumberScanner } from './number.js';

const QUOTE = 34;
const LF = 10;
const CR = 13;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const PLUS = 43;
const LOWER_E = 0x65;
const SPACE = 32;

export interface RecordParserOptions {
  readonly file: string;
  /** Column names of the header, in file order. */
  readonly header: readonly string[];
  /** Names to output, in output order; each must be in `header`. */
  readonly columns: readonly string[];
  readonly delimiter: number;
  readonly batchRows: number;
  /** Line number (1-based) of the first record fed to the parser. */
  readonly firstLine: number;
  /** Names among `columns` to read as categories (codes plus levels); others are numbers. */
  readonly categorical?: readonly string[] | undefined;
}

/**
 * The CSV hot loop: consumes bytes, writes the selected fields of complete
 * records straight into per-column Float64Array batches (see decimal.ts and
 * number.ts), and
 * skips the other fields without decoding them. No object or string is made
 * per row or per field, except for the rare exact fallback to `Number()`
 * (more than 19 significant digits, or see decimal.ts) and error messages.
 *
 * Feeding: call `consume(bytes, atEof)` with all buffered bytes; it returns
 * how many bytes at the front formed complete records. Keep the rest and
 * feed them again, followed by more input. Completed batches are collected
 * with `takeBatches()`, and `finish()` returns the last, partial one.
 *
 * Blank lines (empty, or a lone CR before LF) are skipped, so in a one-column
 * file an empty line is not read as a missing value. A record with a
 * different number of fields than the header is an error naming its line.
 *
 * Columns read as categories get one level table each for the parser's
 * unit (categorical.ts): a field's level is its text after unquoting (a
 * doubled quote inside a quoted field is one quote; nothing is trimmed), and
 * its code is found from its bytes (a string is decoded only for a new
 * value). A field is null by the numbers' rule (number.ts): empty or only
 * spaces, or exactly `NA`, `null` or `NULL` (quoted or not, spaces around
 * ignored); any other text, a number or not, is a level.
 */
export class RecordParser {
  private readonly scanner = new NumberScanner();
  private readonly fieldCount: number;
  /** For each field of a record, its output column or -1. */
  private readonly target: Int32Array;
  private readonly delimiter: number;
  private readonly batchRows: number;
  /** 1 for an output column read as categories. */
  private readonly text: Uint8Array;
  /** The level table of each column read as categories, else null. */
  private readonly tables: (LevelTable | null)[];
  /** Each output column's level list (or null), for ColumnBatch.levels; undefined when none. */
  private readonly levelLists: (readonly string[] | null)[] | undefined;
  /** Unescaped text of a quoted field holding doubled quotes. */
  private unescaped = new Uint8Array(256);
  private columns: Float64Array[] = [];
  private nulls: (Uint8Array | null)[] = [];
  private rows = 0;
  private ready: ColumnBatch[] = [];
  /** Line number of the next record to parse. */
  private line: number;
  /** Set by `scanExponent`. */
  private exponent = 0;

  constructor(private readonly options: RecordParserOptions) {
    this.fieldCount = options.header.length;
    this.delimiter = options.delimiter;
    this.batchRows = options.batchRows;
    this.line = options.firstLine;
    this.target = new Int32Array(this.fieldCount).fill(-1);
    options.columns.forEach((name, j) => {
      if (options.columns.indexOf(name) !== j) {
        throw new IoError(
          'unsupported',
          { file: options.file, column: name },
          'column requested twice',
        );
      }
      const field = options.header.indexOf(name);
      if (field < 0) {
        throw new IoError(
          'missing-column',
          { file: options.file, column: name },
          'no such column in the header',
        );
      }
      this.target[field] = j;
    });
    const categorical = new Set(options.categorical ?? []);
    this.text = Uint8Array.from(options.columns, (name) => (categorical.has(name) ? 1 : 0));
    this.tables = options.columns.map((name) => (categorical.has(name) ? new LevelTable() : null));
    this.levelLists = this.tables.some((t) => t !== null)
      ? this.tables.map((t) => (t === null ? null : t.levels))
      : undefined;
    this.newBatch();
  }

  /** Parses the complete records at the front of `bytes`; returns the number of bytes used. */
  consume(bytes: Uint8Array, atEof: boolean): number {
    const end = bytes.length;
    const delimiter = this.delimiter;
    const target = this.target;
    const fieldCount = this.fieldCount;
    const scanner = this.scanner;
    const text = this.text;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let columns = this.columns;
    let nulls = this.nulls;
    let pos = 0;
    // Offset just after the last complete record; an incomplete one is re-read with more bytes.
    let done = 0;
    records: while (pos < end) {
      const first = bytes[pos];
      if (first === LF) {
        pos += 1;
        done = pos;
        this.line += 1;
        continue;
      }
      if (first === CR) {
        if (pos + 1 >= end && !atEof) break;
        if (pos + 1 >= end || bytes[pos + 1] === LF) {
          pos += 2;
          done = pos;
          this.line += 1;
          continue;
        }
      }
      const row = this.rows;
      let field = 0;
      let extraLines = 0;
      for (;;) {
        let valueStart: number;
        let valueEnd: number;
        let escaped = false;
        let fast = false;
        let fieldEnd = -1;
        if (bytes[pos] === QUOTE) {
          let p = pos + 1;
          for (;;) {
            while (p < end && bytes[p] !== QUOTE) {
              if (bytes[p] === LF) extraLines += 1;
              p += 1;
            }
            if (p >= end) {
              if (!atEof) break records;
              throw this.error(undefined, 'unterminated quoted field');
            }
            if (p + 1 < end && bytes[p + 1] === QUOTE) {
              escaped = true;
              p += 2;
              continue;
            }
            if (p + 1 >= end && !atEof) break records;
            break;
          }
          valueStart = pos + 1;
          valueEnd = p;
          pos = p + 1;
        } else {
          const j = field < fieldCount ? (target[field] as number) : -1;
          if (j >= 0 && text[j] === 0) {
            // Fused fast path for the common unquoted field `[-]digits[.digits][e[±]digits]`
            // directly followed by a separator: parsed while scanning, with the accumulators and
            // the exact conversion of decimal.ts. Anything else (spaces, `+`, tokens, garbage,
            // the rare fallback) goes through the general scan and number.ts.
            let q = pos;
            let negative = false;
            if (q < end && bytes[q] === MINUS) {
              negative = true;
              q += 1;
            }
            const digitsStart = q;
            let approx = 0;
            let low = 0;
            while (q < end) {
              const d = (bytes[q] as number) - ZERO;
              if (d >>> 0 > 9) break;
              approx = approx * 10 + d;
              low = (Math.imul(low, 10) + d) | 0;
              q += 1;
            }
            let digits = q - digitsStart;
            let exponent = 0;
            if (q < end && bytes[q] === DOT) {
              q += 1;
              const fractionStart = q;
              // The fraction, the long run of a full-precision value, 4 bytes at a time (SWAR,
              // "SIMD within a register"): t = 4 bytes (first byte lowest) XOR '0000', so exactly
              // the digit bytes become 0–9. A byte of nd is flagged where t's byte is ≥ 10 (a
              // carry can only corrupt the flags of bytes after the first flagged one). The first
              // k digits, shifted to the top of t (leading zero digits below), are combined
              // pairwise: bytes (a, b, c, d) → (10a + b, 10c + d) → their value g < 10^4; then
              // w ← w·10^k + g in both accumulators (decimal.ts). (Measured: the integer part,
              // usually 1–3 digits, is faster byte by byte, and 8 bytes at a time is no faster.)
              while (q + 4 <= end) {
                const t = view.getUint32(q, true) ^ 0x30303030;
                const nd = ((t + 0x76767676) | t) & 0x80808080;
                if (nd === 0) {
                  const pairs = (t * 10 + (t >>> 8)) & 0x00ff00ff;
                  const g = (pairs & 0xff) * 100 + (pairs >>> 16);
                  approx = approx * 10000 + g;
                  low = (Math.imul(low, 10000) + g) | 0;
                  q += 4;
                  continue;
                }
                const k = (31 - Math.clz32(nd & -nd)) >>> 3;
                const top = (t << (31 - 8 * k)) << 1; // two shifts: k = 0 shifts out all 32 bits
                const pairs = (top * 10 + (top >>> 8)) & 0x00ff00ff;
                const g = (pairs & 0xff) * 100 + (pairs >>> 16);
                const scale = POW10[k] as number;
                approx = approx * scale + g;
                low = (Math.imul(low, scale) + g) | 0;
                q += k;
                break;
              }
              // The last < 4 bytes of the buffer (the loop above stops at the first non-digit).
              while (q < end) {
                const d = (bytes[q] as number) - ZERO;
                if (d >>> 0 > 9) break;
                approx = approx * 10 + d;
                low = (Math.imul(low, 10) + d) | 0;
                q += 1;
              }
              exponent = fractionStart - q;
              digits -= exponent;
            }
            if (q < end && ((bytes[q] as number) | 0x20) === LOWER_E && digits > 0) {
              q = this.scanExponent(bytes, q + 1, end);
              exponent += this.exponent;
            }
            if (q < end) {
              const b = bytes[q];
              if ((b === delimiter || b === LF || b === CR) && digits > 0) {
                if (
                  storeDecimal(columns[j] as Float64Array, row, negative, approx, low, exponent)
                ) {
                  const mask = nulls[j];
                  if (mask !== null && mask !== undefined) mask[row] = 0;
                  pos = q;
                  fast = true;
                } else {
                  // The field's end is known; number.ts falls back to Number().
                  fieldEnd = q;
                }
              }
            }
          }
          let p = pos;
          if (!fast) {
            if (fieldEnd >= 0) {
              p = fieldEnd;
            } else {
              while (p < end) {
                const b = bytes[p];
                if (b === delimiter || b === LF || b === CR) break;
                p += 1;
              }
              if (p >= end && !atEof) break records;
            }
          }
          valueStart = pos;
          valueEnd = p;
          pos = p;
        }
        if (field >= fieldCount) {
          throw this.error(undefined, `more than the header's ${fieldCount} fields`);
        }
        const j = target[field] as number;
        if (j >= 0 && text[j] === 1) {
          this.storeText(j, row, bytes, valueStart, valueEnd, escaped);
        } else if (j >= 0 && !fast) {
          const value = escaped ? Number.NaN : scanner.parse(bytes, valueStart, valueEnd);
          if (escaped || scanner.status === FIELD_BAD) {
            const text = latin1(bytes, valueStart, valueEnd);
            throw this.error(
              this.options.columns[j],
              `not a number: ${JSON.stringify(text.slice(0, 40))}`,
            );
          }
          (columns[j] as Float64Array)[row] = value;
          const mask = nulls[j];
          if (scanner.status === FIELD_NULL) {
            (mask ?? this.nullMask(j))[row] = 1;
          } else if (mask !== undefined && mask !== null) {
            mask[row] = 0;
          }
        }
        field += 1;
        if (pos >= end) break; // atEof: last record without a line break
        const b = bytes[pos];
        if (b === delimiter) {
          pos += 1;
          if (pos >= end && !atEof) break records;
          continue;
        }
        if (b === LF) {
          pos += 1;
          break;
        }
        if (b === CR) {
          if (pos + 1 >= end && !atEof) break records;
          pos += pos + 1 < end && bytes[pos + 1] === LF ? 2 : 1;
          break;
        }
        throw this.error(undefined, 'unexpected character after a closing quote');
      }
      if (field !== fieldCount) {
        throw this.error(undefined, `${field} fields, the header has ${fieldCount}`);
      }
      done = pos;
      this.line += 1 + extraLines;
      this.rows += 1;
      if (this.rows === this.batchRows) {
        this.pushBatch(this.rows);
        this.newBatch();
        columns = this.columns;
        nulls = this.nulls;
      }
    }
    return Math.min(done, end);
  }

  /** Line number (1-based) of the next record to parse: the first line of an incomplete one. */
  get nextLine(): number {
    return this.line;
  }

  /** Batches completed so far (the caller now owns them). */
  takeBatches(): ColumnBatch[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }

  /** Ends the input: returns the completed batches and the last partial one. */
  finish(): ColumnBatch[] {
    if (this.rows > 0) this.pushBatch(this.rows);
    this.rows = 0;
    return this.takeBatches();
  }

  /**
   * Reads `[+-]digits` of an exponent from `from`: sets `this.exponent` and
   * returns the offset after it, or returns `from − 1` (a position that is not
   * a separator, so the caller takes the general path) when there are no digits.
   */
  private scanExponent(bytes: Uint8Array, from: number, end: number): number {
    let q = from;
    let negative = false;
    if (q < end && (bytes[q] === MINUS || bytes[q] === PLUS)) {
      negative = bytes[q] === MINUS;
      q += 1;
    }
    const digitsStart = q;
    let value = 0;
    while (q < end) {
      const d = (bytes[q] as number) - ZERO;
      if (d >>> 0 > 9) break;
      // Capped: any exponent this large over- or underflows (storeDecimal falls back).
      if (value < 100000) value = value * 10 + d;
      q += 1;
    }
    if (q === digitsStart) return from - 1;
    this.exponent = negative ? -value : value;
    return q;
  }

  /** Stores the code (or null) of the text field bytes[start, end) at `row` of column j. */
  private storeText(
    j: number,
    row: number,
    bytes: Uint8Array,
    start: number,
    end: number,
    escaped: boolean,
  ): void {
    const codes = this.columns[j] as Float64Array;
    const mask = this.nulls[j];
    if (!escaped && isMissing(bytes, start, end)) {
      codes[row] = 0;
      (mask ?? this.nullMask(j))[row] = 1;
      return;
    }
    const table = this.tables[j] as LevelTable;
    if (escaped) {
      const length = this.unescape(bytes, start, end);
      codes[row] = table.intern(this.unescaped, 0, length);
    } else {
      codes[row] = table.intern(bytes, start, end);
    }
    if (mask !== null && mask !== undefined) mask[row] = 0;
  }

  /** Copies bytes[start, end) of a quoted field into `unescaped`, each doubled quote as one. */
  private unescape(bytes: Uint8Array, start: number, end: number): number {
    if (this.unescaped.length < end - start) this.unescaped = new Uint8Array(2 * (end - start));
    const out = this.unescaped;
    let n = 0;
    for (let i = start; i < end; i++) {
      const b = bytes[i] as number;
      out[n++] = b;
      if (b === QUOTE) i++;
    }
    return n;
  }

  private newBatch(): void {
    const n = this.options.columns.length;
    this.columns = Array.from({ length: n }, () => new Float64Array(this.batchRows));
    this.nulls = new Array<Uint8Array | null>(n).fill(null);
    this.rows = 0;
  }

  private nullMask(j: number): Uint8Array {
    const mask = new Uint8Array(this.batchRows);
    this.nulls[j] = mask;
    return mask;
  }

  private pushBatch(rows: number): void {
    const full = rows === this.batchRows;
    const batch: ColumnBatch = {
      rows,
      names: this.options.columns,
      columns: full ? this.columns : this.columns.map((c) => c.subarray(0, rows)),
      nulls: full ? this.nulls : this.nulls.map((m) => (m === null ? null : m.subarray(0, rows))),
    };
    this.ready.push(this.levelLists === undefined ? batch : { ...batch, levels: this.levelLists });
  }

  private error(column: string | undefined, problem: string): IoError {
    return new IoError(
      'bad-value',
      { file: this.options.file, column, where: `line ${this.line}` },
      problem,
    );
  }
}

/**
 * Whether the field bytes[start, end) is missing by number.ts's rule: empty
 * or only spaces, or `NA`, `null`, `NULL` with optional spaces around.
 */
function isMissing(bytes: Uint8Array, start: number, end: number): boolean {
  let s = start;
  let e = end;
  while (s < e && bytes[s] === SPACE) s += 1;
  while (e > s && bytes[e - 1] === SPACE) e -= 1;
  const n = e - s;
  if (n === 0) return true;
  if (n === 2) return bytes[s] === 0x4e && bytes[s + 1] === 0x41; // NA
  if (n !== 4) return false;
  const a = bytes[s];
  const b = bytes[s + 1];
  const c = bytes[s + 2];
  const d = bytes[s + 3];
  if (a === 0x6e) return b === 0x75 && c === 0x6c && d === 0x6c; // null
  return a === 0x4e && b === 0x55 && c === 0x4c && d === 0x4c; // NULL
}
