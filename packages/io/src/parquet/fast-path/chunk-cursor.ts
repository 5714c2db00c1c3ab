import { crc32 } from 'node:zlib';
import { IoError } from '@linreg/errors';
import type { LevelTable } from '../../categorical.js';
import type { ColumnCursor } from '../column-cursor.js';
import { decodeProblem } from '../decode-error.js';
import { AlignedScratch } from './aligned-scratch.js';
import { checkByteStreamSplit, decodeByteStreamSplitRange } from './byte-stream-split.js';
import {
  type Codec,
  decompress,
  decompressInto,
  PageBuffer,
  uninitializedBytes,
} from './decompress.js';
import { decodeDeltaBinaryPacked } from './delta-binary-packed.js';
import { decodeDictionaryIndices, gatherDictionary } from './dictionary.js';
import { decodeHybrid, decodeNullMask } from './hybrid.js';
import { PageCorrupt } from './page-corrupt.js';
import {
  Encoding,
  emptyPageHeader,
  type PageHeader,
  PageType,
  readPageHeader,
} from './page-header.js';
import { decodePlain } from './plain.js';
import { CompactReader } from './thrift-compact.js';
import type { ValueKind } from './value-kind.js';

/** Where a chunk sits, for error messages and sanity bounds. */
export interface ChunkContext {
  readonly file: string;
  readonly column: string;
  readonly rowGroup: number;
  /** Rows of the row group; no page may claim more than remain. */
  readonly groupRows: number;
}

/**
 * The bytes of one column chunk to decode. Without an offset index this is
 * one segment, the whole chunk (dictionary page first when there is one);
 * with one, the dictionary region and the run of data pages that covers the
 * unit's rows, and `firstRow` is the row (within the group) of the first page.
 */
export interface ChunkBytes {
  readonly segments: readonly Uint8Array[];
  readonly firstRow: number;
  /** Rows to discard before the first one returned (unit start - firstRow). */
  readonly skipRows: number;
}

/** Largest page body accepted; a larger claimed size is taken as corruption. */
const MAX_PAGE_BYTES = 1 << 30;

// Empty arrays every cursor starts with (each is replaced before it is written):
// shared, since a wide unit makes a thousand cursors.
const EMPTY_BYTES = new Uint8Array(0);
const EMPTY_INT32 = new Int32Array(0);
const EMPTY_FLOAT64 = new Float64Array(0);
const EMPTY_UINT32 = new Uint32Array(0);

/** How the present (non-null) values of the current page are produced on demand. */
const VALUES_PLAIN = 0; // fixed-width PLAIN bytes at data[valuesAt ..]
const VALUES_SPLIT = 1; // BYTE_STREAM_SPLIT streams at data[valuesAt ..]
const VALUES_DICT = 2; // dictionary indices, gathered per batch
const VALUES_DECODED = 3; // decoded up front (DELTA_BINARY_PACKED, booleans)
const VALUES_TEXT = 4; // PLAIN byte arrays, located up front, interned per batch
const VALUES_TEXT_DICT = 5; // dictionary indices into a byte-array dictionary, interned per entry
const VALUES_DEFERRED = 6; // compressed PLAIN doubles in `deferred`, decompressed when asked for

/**
 * Fast path for one flat (non-repeated, definition level 0 or 1) numeric
 * column chunk: page headers parsed in place, each page body decompressed
 * once into a buffer reused page after page, definition levels decoded
 * straight into a null mask, and values decoded lazily, batch by batch,
 * straight into the caller's float64 output: a PLAIN double page is one byte
 * copy from the decompressed page into the batch. A compressed page of PLAIN
 * doubles and nothing else (no levels before them, no nulls) is not
 * decompressed when it loads: when one batch slice asks for all of it, it
 * decompresses straight into the batch (no page buffer, no copy), else into
 * the page buffer as any other page. Nulls are placed by
 * decoding the batch's present values to the front of its slice and
 * spreading them backwards over the mask, in place. Encodings: PLAIN,
 * dictionary (PLAIN_DICTIONARY / RLE_DICTIONARY), DELTA_BINARY_PACKED,
 * BYTE_STREAM_SPLIT, RLE booleans; definition levels RLE or (old parquet-mr)
 * BIT_PACKED; data pages v1 and v2. Memory: the chunk's
 * compressed bytes, one decompressed page, its mask (1 byte per row) and, for
 * dictionary pages, its indices. Page CRCs are verified when the writer
 * stored them (node's native crc32).
 *
 * Text (BYTE_ARRAY, kind BYTE_ARRAY_KIND) is read as categories when a
 * level table is given: the output is codes (categorical.ts), null rows hold
 * code 0. PLAIN pages: each value's length prefix is checked against the page
 * once when the page loads, then values are interned batch by batch.
 * Dictionary pages (PLAIN byte arrays): the entries are located when the
 * dictionary page loads (not decoded); a data page's indices are checked
 * against the dictionary size, and an entry is interned the first time a row
 * uses it, so the per-row cost is one array lookup.
 */
export class ChunkCursor implements ColumnCursor {
  /** The chunk's byte segments; each is dropped (null) once fully decoded. */
  private readonly segments: (Uint8Array | null)[];
  private segment = 0;
  private pos = 0;
  private pageIndex = -1;
  private rowsSeen: number;
  private readonly header: PageHeader = emptyPageHeader();
  private dictionary: Float64Array | null = null;
  /** Entries of the dictionary page, or -1 before one was read. */
  private dictionarySize = -1;
  // A byte-array dictionary: entry e is dictBytes[dictStart[e], dictEnd[e]); dictCode[e] its code or -1.
  private dictBytes: Uint8Array = EMPTY_BYTES;
  private dictStart = EMPTY_INT32;
  private dictEnd = EMPTY_INT32;
  private dictCode = EMPTY_INT32;
  /** Text pages: value i of the page is data[textAt[i] + 4, textAt[i + 1]). */
  private textAt = EMPTY_INT32;
  /** What a null row holds: NaN for numbers, code 0 for categories. */
  private readonly nullValue: number;
  private readonly scratch = new AlignedScratch();
  private readonly pageBuffer: PageBuffer;
  // The current data page.
  private mode = VALUES_PLAIN;
  private data: Uint8Array = EMPTY_BYTES;
  private valuesAt = 0;
  private present = 0;
  private pageMask: Uint8Array | null = null;
  /** VALUES_DEFERRED: the page's compressed body (its values once decompressed). */
  private deferred: Uint8Array | null = null;
  private pageRows = 0;
  private cursor = 0;
  private denseCursor = 0;
  // Reusable buffers, grown to the largest page.
  private ownMask: Uint8Array = EMPTY_BYTES;
  /** Source of the page and mask buffers (recycled across units by read()). */
  private readonly allocate: (size: number) => Uint8Array;
  private decoded: Float64Array = EMPTY_FLOAT64;
  private indices = EMPTY_UINT32;

  constructor(
    bytes: ChunkBytes,
    private readonly kind: ValueKind,
    private readonly maxDef: number,
    private readonly codec: Codec,
    private readonly ctx: ChunkContext,
    allocate: (size: number) => Uint8Array = uninitializedBytes,
    /** Read BYTE_ARRAY text as codes of this table (with kind BYTE_ARRAY_KIND). */
    private readonly levels: LevelTable | null = null,
  ) {
    if ((levels === null) !== (kind.physical !== 'BYTE_ARRAY')) {
      throw new TypeError('a level table goes with BYTE_ARRAY, and only with it');
    }
    this.nullValue = levels === null ? Number.NaN : 0;
    this.allocate = allocate;
    this.pageBuffer = new PageBuffer(allocate);
    this.rowsSeen = bytes.firstRow;
    this.segments = [...bytes.segments];
    this.skip(bytes.skipRows);
  }

  next(values: Float64Array, mask: Uint8Array, at: number, count: number): number {
    let filled = 0;
    let nulls = 0;
    while (filled < count) {
      if (this.cursor === this.pageRows) this.loadPage();
      const take = Math.min(count - filled, this.pageRows - this.cursor);
      const o = at + filled;
      let nullsHere = 0;
      const pm = this.pageMask;
      if (pm !== null) {
        const from = this.cursor;
        for (let i = 0; i < take; i++) {
          const m = pm[from + i] as number;
          mask[o + i] = m;
          nullsHere += m;
        }
      }
      const present = take - nullsHere;
      this.produce(this.denseCursor, present, values, o);
      if (nullsHere > 0) spreadOverNulls(values, mask, o, take, present, this.nullValue);
      this.denseCursor += present;
      this.cursor += take;
      filled += take;
      nulls += nullsHere;
    }
    return nulls;
  }

  /** Write present values [from, from + count) of the page to out[outAt ..]. */
  private produce(from: number, count: number, out: Float64Array, outAt: number): void {
    if (count === 0) return;
    if (this.mode === VALUES_DEFERRED) {
      const body = this.deferred as Uint8Array;
      this.deferred = null;
      if (from === 0 && count === this.present) {
        this.inflate(body, new Uint8Array(out.buffer, out.byteOffset + outAt * 8, count * 8));
        return;
      }
      this.data = this.inflate(body, this.pageBuffer.take(this.present * 8));
      this.mode = VALUES_PLAIN;
    }
    switch (this.mode) {
      case VALUES_PLAIN:
        decodePlain(
          this.kind,
          this.data,
          this.valuesAt + from * this.kind.width,
          this.data.length,
          count,
          out,
          outAt,
          this.scratch,
        );
        return;
      case VALUES_SPLIT:
        decodeByteStreamSplitRange(
          this.kind,
          this.data,
          this.valuesAt,
          this.present,
          from,
          count,
          out,
          outAt,
          this.scratch,
        );
        return;
      case VALUES_DICT:
        gatherDictionary(this.dictionary as Float64Array, this.indices, from, count, out, outAt);
        return;
      case VALUES_TEXT: {
        const levels = this.levels as LevelTable;
        const data = this.data;
        const at = this.textAt;
        for (let i = 0; i < count; i++) {
          const k = from + i;
          out[outAt + i] = levels.intern(data, (at[k] as number) + 4, at[k + 1] as number);
        }
        return;
      }
      case VALUES_TEXT_DICT: {
        const indices = this.indices;
        const codes = this.dictCode;
        for (let i = 0; i < count; i++) {
          const e = indices[from + i] as number;
          let code = codes[e] as number;
          if (code < 0) {
            code = (this.levels as LevelTable).intern(
              this.dictBytes,
              this.dictStart[e] as number,
              this.dictEnd[e] as number,
            );
            codes[e] = code;
          }
          out[outAt + i] = code;
        }
        return;
      }
      default:
        out.set(this.decoded.subarray(from, from + count), outAt);
    }
  }

  /** Decompress a deferred page body into `out`, failing as loadPage would. */
  private inflate(body: Uint8Array, out: Uint8Array): Uint8Array {
    try {
      decompressInto(this.codec, body, out);
    } catch (e: unknown) {
      throw this.fail(decodeProblem(e, 'page'));
    }
    return out;
  }

  /**
   * Whether a compressed page of n rows, all present, whose body decompresses
   * to `size` bytes of values only, may wait in VALUES_DEFERRED: PLAIN
   * doubles (a batch's bytes as they are), and exactly n of them.
   */
  private deferrable(encoding: number, size: number, n: number): boolean {
    return (
      this.kind.physical === 'DOUBLE' &&
      this.levels === null &&
      encoding === Encoding.PLAIN &&
      this.codec !== 'UNCOMPRESSED' &&
      size === n * 8
    );
  }

  /** Make a deferrable page (see deferrable) current without decompressing it. */
  private startDeferred(body: Uint8Array, n: number): void {
    this.deferred = body;
    this.data = EMPTY_BYTES;
    this.valuesAt = 0;
    this.present = n;
    this.pageRows = n;
    this.cursor = 0;
    this.denseCursor = 0;
    this.pageMask = null;
    this.mode = VALUES_DEFERRED;
  }

  private skip(rows: number): void {
    let left = rows;
    while (left > 0) {
      if (this.cursor === this.pageRows) this.loadPage();
      const take = Math.min(left, this.pageRows - this.cursor);
      let nullsHere = 0;
      const pm = this.pageMask;
      if (pm !== null) for (let i = 0; i < take; i++) nullsHere += pm[this.cursor + i] as number;
      this.denseCursor += take - nullsHere;
      this.cursor += take;
      left -= take;
    }
  }

  private where(): string {
    return `row group ${this.ctx.rowGroup} page ${this.pageIndex}`;
  }

  private fail(problem: string): IoError {
    return new IoError(
      'corrupt',
      { file: this.ctx.file, column: this.ctx.column, where: this.where() },
      problem,
    );
  }

  /** Advance to the next data page (decoding any dictionary page on the way). */
  private loadPage(): void {
    for (;;) {
      if (this.segment >= this.segments.length) {
        throw this.fail(`column chunk ends after row ${this.rowsSeen} of ${this.ctx.groupRows}`);
      }
      const seg = this.segments[this.segment];
      if (seg === null || seg === undefined || this.pos >= seg.length) {
        this.segments[this.segment] = null;
        this.segment++;
        this.pos = 0;
        continue;
      }
      this.pageIndex++;
      let isData: boolean;
      try {
        isData = this.readOnePage(seg);
      } catch (e: unknown) {
        if (e instanceof IoError) throw e;
        throw this.fail(decodeProblem(e, 'page'));
      }
      // Once its last page is decompressed, a segment's compressed bytes can be collected.
      if (this.pos >= seg.length) this.segments[this.segment] = null;
      if (isData) return;
    }
  }

  /** Decode the page at this.pos of `seg`; true when it was a data page. */
  private readOnePage(seg: Uint8Array): boolean {
    const reader = new CompactReader(seg, this.pos);
    const h = readPageHeader(reader, this.header);
    const bodyStart = reader.pos;
    if (
      h.compressedSize < 0 ||
      h.compressedSize > MAX_PAGE_BYTES ||
      bodyStart + h.compressedSize > seg.length
    ) {
      throw new PageCorrupt(`page of ${h.compressedSize} bytes runs past the column chunk`);
    }
    if (h.uncompressedSize < 0 || h.uncompressedSize > MAX_PAGE_BYTES) {
      throw new PageCorrupt(`page claims ${h.uncompressedSize} uncompressed bytes`);
    }
    const body = seg.subarray(bodyStart, bodyStart + h.compressedSize);
    this.pos = bodyStart + h.compressedSize;
    if (h.crc !== undefined && crc32(body) !== h.crc) {
      throw new PageCorrupt('page CRC-32 does not match its bytes');
    }
    switch (h.type) {
      case PageType.DICTIONARY_PAGE:
        this.readDictionary(h, body);
        return false;
      case PageType.DATA_PAGE:
        this.readDataPageV1(h, body);
        return true;
      case PageType.DATA_PAGE_V2:
        this.readDataPageV2(h, body);
        return true;
      case PageType.INDEX_PAGE:
        return false;
      default:
        throw new PageCorrupt(`unknown page type ${h.type}`);
    }
  }

  private readDictionary(h: PageHeader, body: Uint8Array): void {
    if (h.encoding !== Encoding.PLAIN && h.encoding !== Encoding.PLAIN_DICTIONARY) {
      throw this.unsupported(`dictionary page encoding ${h.encoding}`);
    }
    const data = decompress(this.codec, body, h.uncompressedSize);
    const n = h.numValues;
    if (n < 0 || n > data.length * 8)
      throw new PageCorrupt(`dictionary claims ${n} values in ${data.length} bytes`);
    if (this.levels !== null) {
      this.readTextDictionary(data, n);
      return;
    }
    const dict = new Float64Array(n);
    decodePlain(this.kind, data, 0, data.length, n, dict, 0, this.scratch);
    this.dictionary = dict;
    this.dictionarySize = n;
  }

  /**
   * A dictionary of n PLAIN byte arrays (4-byte little-endian length, then the
   * bytes): locate each entry inside the page; no entry is decoded yet. The
   * page's bytes are kept (a fresh buffer, or the chunk's own bytes when
   * uncompressed, which outlive the cursor's read).
   */
  private readTextDictionary(data: Uint8Array, n: number): void {
    if (n > data.length / 4) {
      throw new PageCorrupt(`dictionary claims ${n} byte arrays in ${data.length} bytes`);
    }
    const start = new Int32Array(n);
    const end = new Int32Array(n);
    let p = 0;
    for (let e = 0; e < n; e++) {
      if (p + 4 > data.length) throw new PageCorrupt(`dictionary entry ${e} past end of page`);
      const length = readLength(data, p);
      if (length > data.length - p - 4) {
        throw new PageCorrupt(`dictionary entry ${e} of ${length} bytes past end of page`);
      }
      start[e] = p + 4;
      p += 4 + length;
      end[e] = p;
    }
    this.dictBytes = data;
    this.dictStart = start;
    this.dictEnd = end;
    this.dictCode = new Int32Array(n).fill(-1);
    this.dictionarySize = n;
  }

  private checkRows(n: number): void {
    const left = this.ctx.groupRows - this.rowsSeen;
    if (n < 0 || n > left)
      throw new PageCorrupt(`page claims ${n} rows, the row group has ${left} left`);
    this.rowsSeen += n;
  }

  private readDataPageV1(h: PageHeader, body: Uint8Array): void {
    const n = h.numValues;
    this.checkRows(n);
    if (this.maxDef === 0 && this.deferrable(h.encoding, h.uncompressedSize, n)) {
      this.startDeferred(body, n);
      return;
    }
    const data = decompress(this.codec, body, h.uncompressedSize, this.pageBuffer);
    let p = 0;
    let nulls = 0;
    const mask = this.maxDef > 0 ? this.maskBuffer(n) : EMPTY_BYTES;
    if (this.maxDef > 0 && h.defLevelEncoding === Encoding.BIT_PACKED) {
      // Deprecated levels (old parquet-mr): ceil(n / 8) bytes, MSB first, no length prefix.
      const len = Math.ceil(n / 8);
      if (len > data.length)
        throw new PageCorrupt(`definition levels of ${len} bytes past end of page`);
      nulls = decodeNullMaskMsbFirst(data, n, mask);
      p = len;
    } else if (this.maxDef > 0) {
      if (h.defLevelEncoding !== Encoding.RLE) {
        throw this.unsupported(`definition level encoding ${h.defLevelEncoding}`);
      }
      if (p + 4 > data.length) throw new PageCorrupt('definition levels length past end of page');
      const len =
        ((data[0] as number) |
          ((data[1] as number) << 8) |
          ((data[2] as number) << 16) |
          ((data[3] as number) << 24)) >>>
        0;
      p = 4;
      if (p + len > data.length) {
        throw new PageCorrupt(`definition levels of ${len} bytes past end of page`);
      }
      nulls = decodeNullMask(data, p, p + len, n, mask, 0);
      p += len;
    }
    this.startPage(h.encoding, data, p, n, nulls, mask);
  }

  private readDataPageV2(h: PageHeader, body: Uint8Array): void {
    const n = h.numValues;
    this.checkRows(n);
    const rep = h.repLevelsByteLength;
    const def = h.defLevelsByteLength;
    if (rep < 0 || def < 0 || rep + def > body.length)
      throw new PageCorrupt('level lengths exceed the page');
    const mask = this.maxDef > 0 ? this.maskBuffer(n) : EMPTY_BYTES;
    let nulls = 0;
    if (this.maxDef > 0) nulls = decodeNullMask(body, rep, rep + def, n, mask, 0);
    if (h.numNulls >= 0 && h.numNulls !== nulls) {
      throw new PageCorrupt(`page header says ${h.numNulls} nulls, levels say ${nulls}`);
    }
    const valuesBytes = body.subarray(rep + def);
    const size = h.uncompressedSize - rep - def;
    if (nulls === 0 && h.isCompressed && this.deferrable(h.encoding, size, n)) {
      this.startDeferred(valuesBytes, n);
      return;
    }
    const data = h.isCompressed
      ? decompress(this.codec, valuesBytes, size, this.pageBuffer)
      : valuesBytes;
    this.startPage(h.encoding, data, 0, n, nulls, mask);
  }

  /**
   * Mask for a page of n rows; not zeroed, since level decoding writes all n
   * entries. Only columns with definition levels need one (a required
   * column's page has no nulls): the others pass EMPTY_BYTES.
   */
  private maskBuffer(n: number): Uint8Array {
    if (this.ownMask.length < n) this.ownMask = this.allocate(n);
    return this.ownMask.subarray(0, n);
  }

  /**
   * Make the page at data[p ..] current: check that its n - nulls present
   * values fit, and decode up front only what cannot be addressed by index.
   */
  private startPage(
    encoding: number,
    data: Uint8Array,
    p: number,
    n: number,
    nulls: number,
    mask: Uint8Array,
  ): void {
    const present = n - nulls;
    const kind = this.kind;
    const end = data.length;
    this.deferred = null;
    this.data = data;
    this.valuesAt = p;
    this.present = present;
    this.pageRows = n;
    this.cursor = 0;
    this.denseCursor = 0;
    this.pageMask = nulls > 0 ? mask : null;
    if (this.levels !== null) {
      this.startTextPage(encoding, data, p, present);
      return;
    }
    switch (encoding) {
      case Encoding.PLAIN:
        if (kind.physical === 'BOOLEAN') {
          decodePlain(kind, data, p, end, present, this.decodedBuffer(present), 0, this.scratch);
          this.mode = VALUES_DECODED;
          return;
        }
        if (p + present * kind.width > end) {
          throw new PageCorrupt(
            `${present} PLAIN ${kind.physical} values need ${present * kind.width} bytes, page has ${end - p}`,
          );
        }
        this.mode = VALUES_PLAIN;
        return;
      case Encoding.BYTE_STREAM_SPLIT:
        checkByteStreamSplit(kind, p, end, present);
        this.mode = VALUES_SPLIT;
        return;
      case Encoding.RLE_DICTIONARY:
      case Encoding.PLAIN_DICTIONARY:
        this.decodeIndices(data, p, present);
        this.mode = VALUES_DICT;
        return;
      case Encoding.DELTA_BINARY_PACKED:
        if (kind.physical !== 'INT32' && kind.physical !== 'INT64') {
          throw new PageCorrupt(`DELTA_BINARY_PACKED on a ${kind.physical} column`);
        }
        decodeDeltaBinaryPacked(kind, data, p, end, present, this.decodedBuffer(present), 0);
        this.mode = VALUES_DECODED;
        return;
      case Encoding.RLE: {
        if (kind.physical !== 'BOOLEAN')
          throw new PageCorrupt(`RLE values on a ${kind.physical} column`);
        // A 4-byte length, then the hybrid at bit width 1.
        if (p + 4 > end) throw new PageCorrupt('boolean RLE length past end of page');
        if (this.indices.length < present) this.indices = new Uint32Array(present);
        decodeHybrid(data, p + 4, end, 1, present, this.indices);
        const out = this.decodedBuffer(present);
        for (let i = 0; i < present; i++) out[i] = this.indices[i] as number;
        this.mode = VALUES_DECODED;
        return;
      }
      default:
        throw this.unsupported(`value encoding ${encoding}`);
    }
  }

  /** The page's `present` dictionary indices, checked against the dictionary's size. */
  private decodeIndices(data: Uint8Array, p: number, present: number): void {
    if (this.dictionarySize < 0)
      throw new PageCorrupt('dictionary-encoded page without a dictionary page');
    if (this.indices.length < present) this.indices = new Uint32Array(present);
    decodeDictionaryIndices(this.dictionarySize, data, p, data.length, present, this.indices);
  }

  /** startPage for text read as categories: PLAIN byte arrays or dictionary indices. */
  private startTextPage(encoding: number, data: Uint8Array, p: number, present: number): void {
    switch (encoding) {
      case Encoding.PLAIN: {
        if (this.textAt.length < present + 1) this.textAt = new Int32Array(present + 1);
        const at = this.textAt;
        const end = data.length;
        let q = p;
        for (let i = 0; i < present; i++) {
          if (q + 4 > end) throw new PageCorrupt(`byte array ${i} past end of page`);
          const length = readLength(data, q);
          if (length > end - q - 4) {
            throw new PageCorrupt(`byte array ${i} of ${length} bytes past end of page`);
          }
          at[i] = q;
          q += 4 + length;
        }
        at[present] = q;
        this.mode = VALUES_TEXT;
        return;
      }
      case Encoding.RLE_DICTIONARY:
      case Encoding.PLAIN_DICTIONARY:
        this.decodeIndices(data, p, present);
        this.mode = VALUES_TEXT_DICT;
        return;
      default:
        throw this.unsupported(`value encoding ${encoding} for text`);
    }
  }

  private decodedBuffer(n: number): Float64Array {
    if (this.decoded.length < n) this.decoded = new Float64Array(n);
    return this.decoded;
  }

  private unsupported(what: string): IoError {
    return new IoError(
      'unsupported',
      { file: this.ctx.file, column: this.ctx.column, where: this.where() },
      `${what} is not supported`,
    );
  }
}

/** The unsigned 32-bit little-endian length prefix of a PLAIN byte array at bytes[p ..]. */
function readLength(bytes: Uint8Array, p: number): number {
  return (
    ((bytes[p] as number) |
      ((bytes[p + 1] as number) << 8) |
      ((bytes[p + 2] as number) << 16) |
      ((bytes[p + 3] as number) << 24)) >>>
    0
  );
}

/**
 * values[o, o + present) hold the slice's present values in order; move them
 * to their rows in values[o, o + take) and put `nullValue` (NaN, or code 0)
 * on the null rows. Walking
 * backwards, the source index never passes the target, so it works in place;
 * once they meet, the rest is already where it belongs.
 */
function spreadOverNulls(
  values: Float64Array,
  mask: Uint8Array,
  o: number,
  take: number,
  present: number,
  nullValue: number,
): void {
  let k = o + present;
  for (let i = o + take - 1; i >= o; i--) {
    if (k === i + 1) return;
    if (mask[i] === 0) values[i] = values[--k] as number;
    else values[i] = nullValue;
  }
}

/** BIT_PACKED definition levels of bit width 1, most significant bit first: 1 = null in `mask`. */
function decodeNullMaskMsbFirst(data: Uint8Array, n: number, mask: Uint8Array): number {
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const isNull = 1 - (((data[i >>> 3] as number) >>> (7 - (i & 7))) & 1);
    mask[i] = isNull;
    nulls += isNull;
  }
  return nulls;
}
