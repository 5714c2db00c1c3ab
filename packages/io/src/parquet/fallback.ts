import { IoError } from '@linreg/errors';
import type { AsyncBuffer, FileMetaData } from 'hyparquet';
import { parquetScan } from 'hyparquet';
import type { ByteSource } from '../bytes/byte-source.js';
import type { LevelTable } from '../categorical.js';
import type { ColumnCursor } from './column-cursor.js';
import { loadCompressors } from './compressors.js';
import { decodeProblem } from './decode-error.js';

/** Keep dates and timestamps as their stored integers, as the fast path does (SecondsCursor converts both). */
const rawParsers = {
  dateFromDays: (days: number): number => days,
  timestampFromMilliseconds: (v: bigint): bigint => v,
  timestampFromMicroseconds: (v: bigint): bigint => v,
  timestampFromNanoseconds: (v: bigint): bigint => v,
};

export interface FallbackRequest {
  readonly bytes: ByteSource;
  readonly metadata: FileMetaData;
  readonly column: string;
  /** File rows [rowStart, rowEnd). */
  readonly rowStart: number;
  readonly rowEnd: number;
  readonly where: string;
  /**
   * Read text as codes of this table (categorical.ts) instead of numbers:
   * byte arrays (kept as bytes, decoded once per distinct value) or strings
   * become codes, null rows code 0.
   */
  readonly levels?: LevelTable | undefined;
}

/**
 * Byte arrays stay bytes (the level table decodes each distinct one once);
 * typed as hyparquet's string parser, whose result the reader only passes on.
 */
const keepBytes = ((bytes: Uint8Array | undefined) => bytes) as unknown as (
  bytes: Uint8Array,
) => string;

/**
 * hyparquet's general reader for what the fast path does not take (nested or
 * legacy level encodings, DECIMAL in BYTE_ARRAY, LZO, newer encodings):
 * correct but slower, and it holds the unit's rows of the column in memory
 * (bounded by the row group). Values convert to float64 here: numbers as is,
 * bigints rounded once, booleans 0/1, null/undefined as nulls.
 */
export async function fallbackCursor(req: FallbackRequest): Promise<ColumnCursor> {
  const n = req.rowEnd - req.rowStart;
  const values = new Float64Array(n);
  const mask = new Uint8Array(n);
  let nulls = 0;
  let data: ArrayLike<unknown>;
  try {
    const scan = await parquetScan({
      file: asyncBuffer(req.bytes, req.where, req.column),
      metadata: req.metadata,
      columns: [req.column],
      compressors: (await loadCompressors()).compressors,
      utf8: false,
      parsers:
        req.levels === undefined ? rawParsers : { ...rawParsers, stringFromBytes: keepBytes },
    });
    data = await scan.readColumn({
      column: req.column,
      rowStart: req.rowStart,
      rowEnd: req.rowEnd,
    });
  } catch (e: unknown) {
    if (e instanceof IoError) throw e;
    const problem = decodeProblem(e, 'column chunk');
    // hyparquet says 'not supported' / 'unsupported' for codecs and encodings it lacks (e.g. LZO).
    const code = /unsupported|not supported/i.test(problem) ? 'unsupported' : 'corrupt';
    throw new IoError(
      code,
      { file: req.bytes.file, column: req.column, where: req.where },
      problem,
    );
  }
  if (data.length !== n) {
    throw new IoError(
      'corrupt',
      { file: req.bytes.file, column: req.column, where: req.where },
      `decoded ${data.length} rows, expected ${n}`,
    );
  }
  const levels = req.levels;
  if (levels !== undefined) return textCursor(req, data, levels);
  for (let i = 0; i < n; i++) {
    const v = data[i];
    if (typeof v === 'number') values[i] = v;
    else if (v === null || v === undefined) {
      values[i] = Number.NaN;
      mask[i] = 1;
      nulls++;
    } else if (typeof v === 'bigint') values[i] = Number(v);
    else if (typeof v === 'boolean') values[i] = v ? 1 : 0;
    else {
      throw new IoError(
        'non-numeric',
        { file: req.bytes.file, column: req.column, where: req.where },
        `holds a non-numeric value (${typeof v})`,
      );
    }
  }
  return new ArrayCursor(values, nulls > 0 ? mask : null);
}

/** Decoded text (byte arrays or strings) as codes of `levels`; null rows code 0. */
function textCursor(
  req: FallbackRequest,
  data: ArrayLike<unknown>,
  levels: LevelTable,
): ColumnCursor {
  const n = data.length;
  const codes = new Float64Array(n);
  const mask = new Uint8Array(n);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i];
    if (v instanceof Uint8Array) codes[i] = levels.intern(v, 0, v.length);
    else if (typeof v === 'string') codes[i] = levels.internText(v);
    else if (v === null || v === undefined) {
      mask[i] = 1;
      nulls++;
    } else {
      throw new IoError(
        'corrupt',
        { file: req.bytes.file, column: req.column, where: req.where },
        `holds a value that is not text (${typeof v})`,
      );
    }
  }
  return new ArrayCursor(codes, nulls > 0 ? mask : null);
}

/**
 * A boolean column read as a category: the inner cursor's 0/1 values are the
 * codes of FALSE/TRUE; null rows, NaN from the inner cursor, become code 0.
 */
export class BooleanCodesCursor implements ColumnCursor {
  constructor(private readonly inner: ColumnCursor) {}

  next(values: Float64Array, mask: Uint8Array, at: number, count: number): number {
    const nulls = this.inner.next(values, mask, at, count);
    if (nulls > 0) for (let i = at; i < at + count; i++) if (mask[i] === 1) values[i] = 0;
    return nulls;
  }
}

/** A cursor over a column already decoded into memory. */
class ArrayCursor implements ColumnCursor {
  private at = 0;
  constructor(
    private readonly values: Float64Array,
    private readonly mask: Uint8Array | null,
  ) {}

  next(values: Float64Array, mask: Uint8Array, at: number, count: number): number {
    const from = this.at;
    values.set(this.values.subarray(from, from + count), at);
    let nulls = 0;
    if (this.mask !== null) {
      const m = this.mask.subarray(from, from + count);
      mask.set(m, at);
      for (let i = 0; i < count; i++) nulls += m[i] as number;
    }
    this.at += count;
    return nulls;
  }
}

export function asyncBuffer(bytes: ByteSource, where: string, column: string): AsyncBuffer {
  return {
    byteLength: bytes.size,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const u8 = await bytes.read(start, end ?? bytes.size, where, column);
      // hyparquet wants a whole ArrayBuffer; small Buffers live inside node's shared pool.
      if (u8.byteOffset === 0 && u8.byteLength === u8.buffer.byteLength)
        return u8.buffer as ArrayBuffer;
      return u8.slice().buffer;
    },
  };
}
