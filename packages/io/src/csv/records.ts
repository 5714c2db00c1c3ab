import { IoError } from '@linreg/errors';
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
 */
export class RecordParser {
  private readonly scanner = new NumberScanner();
  private readonly fieldCount: number;
  /** For each field of a record, its output column or -1. */
  private readonly target: Int32Array;
  private readonly delimiter: number;
  private readonly batchRows: number;
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
    this.newBatch();
  }

  /** Parses the complete records at the front of `bytes`; returns the number of bytes used. */
  consume(bytes: Uint8Array, atEof: boolean): number {
    const end = bytes.length;
    const delimiter = this.delimiter;
    const target = this.target;
    const fieldCount = this.fieldCount;
    const scanner = this.scanner;
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
          if (j >= 0) {
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
        if (j >= 0 && !fast) {
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
    this.ready.push({
      rows,
      names: this.options.columns,
      columns: full ? this.columns : this.columns.map((c) => c.subarray(0, rows)),
      nulls: full ? this.nulls : this.nulls.map((m) => (m === null ? null : m.subarray(0, rows))),
    });
  }

  private error(column: string | undefined, problem: string): IoError {
    return new IoError(
      'bad-value',
      { file: this.options.file, column, where: `line ${this.line}` },
      problem,
    );
  }
}
