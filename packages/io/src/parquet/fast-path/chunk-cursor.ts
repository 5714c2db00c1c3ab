import { crc32 } from 'node:zlib';
import { IoError } from '../../errors.js';
import type { ColumnCursor } from '../column-cursor.js';
import { AlignedScratch } from './aligned-scratch.js';
import { decodeByteStreamSplit } from './byte-stream-split.js';
import { type Codec, decompress, PageBuffer } from './decompress.js';
import { decodeDeltaBinaryPacked } from './delta-binary-packed.js';
import { decodeDictionaryIndices } from './dictionary.js';
import { decodeHybrid, decodeNullMask } from './hybrid.js';
import { Encoding, emptyPageHeader, type PageHeader, PageType, readPageHeader } from './page-header.js';
import { PageCorrupt } from './page-corrupt.js';
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

/**
 * Fast path for one flat (non-repeated, definition level 0 or 1) numeric
 * column chunk: page headers parsed in place, bodies decompressed once,
 * definition levels decoded straight into a null mask, values decoded
 * straight into float64 (PLAIN, dictionary, DELTA_BINARY_PACKED,
 * BYTE_STREAM_SPLIT), data pages v1 and v2. Memory is the chunk's compressed
 * bytes plus one decoded page; each next() copies from the current page.
 * Page CRCs are verified when the writer stored them (node's native crc32).
 */
export class ChunkCursor implements ColumnCursor {
  private segment = 0;
  private pos = 0;
  private pageIndex = -1;
  private rowsSeen: number;
  private readonly header: PageHeader = emptyPageHeader();
  private dictionary: Float64Array | null = null;
  private readonly scratch = new AlignedScratch();
  private pageValues: Float64Array = new Float64Array(0);
  private pageMask: Uint8Array | null = null;
  private pageRows = 0;
  private cursor = 0;
  private ownValues: Float64Array = new Float64Array(0);
  private ownMask = new Uint8Array(0);
  private dense: Float64Array = new Float64Array(0);
  private indices = new Uint32Array(0);
  private readonly pageBuffer = new PageBuffer();

  constructor(
    private readonly bytes: ChunkBytes,
    private readonly kind: ValueKind,
    private readonly maxDef: number,
    private readonly codec: Codec,
    private readonly ctx: ChunkContext,
  ) {
    this.rowsSeen = bytes.firstRow;
    this.skip(bytes.skipRows);
  }

  next(values: Float64Array, mask: Uint8Array, at: number, count: number): number {
    let filled = 0;
    let nulls = 0;
    while (filled < count) {
      if (this.cursor === this.pageRows) this.loadPage();
      const take = Math.min(count - filled, this.pageRows - this.cursor);
      const from = this.cursor;
      values.set(this.pageValues.subarray(from, from + take), at + filled);
      const pm = this.pageMask;
      if (pm !== null) {
        const o = at + filled;
        for (let i = 0; i < take; i++) {
          const m = pm[from + i] as number;
          mask[o + i] = m;
          nulls += m;
        }
      }
      this.cursor += take;
      filled += take;
    }
    return nulls;
  }

  private skip(rows: number): void {
    let left = rows;
    while (left > 0) {
      if (this.cursor === this.pageRows) this.loadPage();
      const take = Math.min(left, this.pageRows - this.cursor);
      this.cursor += take;
      left -= take;
    }
  }

  private where(): string {
    return `row group ${this.ctx.rowGroup} page ${this.pageIndex}`;
  }

  private fail(problem: string): IoError {
    return new IoError('corrupt', { file: this.ctx.file, column: this.ctx.column, where: this.where() }, problem);
  }

  /** Advance to the next data page (decoding any dictionary page on the way). */
  private loadPage(): void {
    for (;;) {
      const seg = this.bytes.segments[this.segment];
      if (seg === undefined) {
        throw this.fail(`column chunk ends after row ${this.rowsSeen} of ${this.ctx.groupRows}`);
      }
      if (this.pos >= seg.length) {
        this.segment++;
        this.pos = 0;
        continue;
      }
      this.pageIndex++;
      try {
        if (this.readOnePage(seg)) return;
      } catch (e: unknown) {
        if (e instanceof IoError) throw e;
        throw this.fail(e instanceof Error ? e.message : String(e));
      }
    }
  }

  /** Decode the page at this.pos of `seg`; true when it was a data page. */
  private readOnePage(seg: Uint8Array): boolean {
    const reader = new CompactReader(seg, this.pos);
    const h = readPageHeader(reader, this.header);
    const bodyStart = reader.pos;
    if (h.compressedSize < 0 || h.compressedSize > MAX_PAGE_BYTES || bodyStart + h.compressedSize > seg.length) {
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
    const data = decompress(this.codec, body, h.uncompressedSize);
    const n = h.numValues;
    if (n < 0 || n > data.length * 8) throw new PageCorrupt(`dictionary claims ${n} values in ${data.length} bytes`);
    if (h.encoding !== Encoding.PLAIN && h.encoding !== Encoding.PLAIN_DICTIONARY) {
      throw this.unsupported(`dictionary page encoding ${h.encoding}`);
    }
    const dict = new Float64Array(n);
    decodePlain(this.kind, data, 0, data.length, n, dict, 0, this.scratch);
    this.dictionary = dict;
  }

  private checkRows(n: number): void {
    const left = this.ctx.groupRows - this.rowsSeen;
    if (n < 0 || n > left) throw new PageCorrupt(`page claims ${n} rows, the row group has ${left} left`);
    this.rowsSeen += n;
  }

  private readDataPageV1(h: PageHeader, body: Uint8Array): void {
    const n = h.numValues;
    this.checkRows(n);
    const data = decompress(this.codec, body, h.uncompressedSize, this.pageBuffer);
    let p = 0;
    let nulls = 0;
    const mask = this.maskBuffer(n);
    if (this.maxDef > 0) {
      if (h.defLevelEncoding !== Encoding.RLE) throw this.unsupported(`definition level encoding ${h.defLevelEncoding}`);
      if (p + 4 > data.length) throw new PageCorrupt('definition levels length past end of page');
      const len = ((data[0] as number) | ((data[1] as number) << 8) | ((data[2] as number) << 16) | ((data[3] as number) << 24)) >>> 0;
      p = 4;
      if (p + len > data.length) throw new PageCorrupt(`definition levels of ${len} bytes past end of page`);
      nulls = decodeNullMask(data, p, p + len, n, mask, 0);
      p += len;
    }
    this.decodeValues(h.encoding, data, p, n, nulls, mask);
  }

  private readDataPageV2(h: PageHeader, body: Uint8Array): void {
    const n = h.numValues;
    this.checkRows(n);
    const rep = h.repLevelsByteLength;
    const def = h.defLevelsByteLength;
    if (rep < 0 || def < 0 || rep + def > body.length) throw new PageCorrupt('level lengths exceed the page');
    const mask = this.maskBuffer(n);
    let nulls = 0;
    if (this.maxDef > 0) nulls = decodeNullMask(body, rep, rep + def, n, mask, 0);
    if (h.numNulls >= 0 && h.numNulls !== nulls) {
      throw new PageCorrupt(`page header says ${h.numNulls} nulls, levels say ${nulls}`);
    }
    const valuesBytes = body.subarray(rep + def);
    const size = h.uncompressedSize - rep - def;
    const data = h.isCompressed ? decompress(this.codec, valuesBytes, size, this.pageBuffer) : valuesBytes;
    this.decodeValues(h.encoding, data, 0, n, nulls, mask);
  }

  private maskBuffer(n: number): Uint8Array {
    if (this.ownMask.length < n) this.ownMask = new Uint8Array(n);
    return this.ownMask.subarray(0, n);
  }

  /** Decode the n - nulls present values and place them by the mask into the page buffer. */
  private decodeValues(encoding: number, data: Uint8Array, p: number, n: number, nulls: number, mask: Uint8Array): void {
    const present = n - nulls;
    this.pageRows = n;
    this.cursor = 0;
    this.pageMask = nulls > 0 ? mask : null;
    const kind = this.kind;
    if (
      nulls === 0 &&
      encoding === Encoding.PLAIN &&
      kind.physical === 'DOUBLE' &&
      (data.byteOffset + p) % 8 === 0 &&
      p + n * 8 <= data.length
    ) {
      // Zero-copy: the page body is already an aligned run of float64.
      this.pageValues = new Float64Array(data.buffer, data.byteOffset + p, n);
      return;
    }
    if (this.ownValues.length < n) this.ownValues = new Float64Array(n);
    const values = this.ownValues.subarray(0, n);
    this.pageValues = values;
    let target = values;
    if (nulls > 0) {
      if (this.dense.length < present) this.dense = new Float64Array(present);
      target = this.dense;
    }
    const end = data.length;
    switch (encoding) {
      case Encoding.PLAIN:
        decodePlain(kind, data, p, end, present, target, 0, this.scratch);
        break;
      case Encoding.RLE_DICTIONARY:
      case Encoding.PLAIN_DICTIONARY: {
        if (this.dictionary === null) throw new PageCorrupt('dictionary-encoded page without a dictionary page');
        if (this.indices.length < present) this.indices = new Uint32Array(present);
        decodeDictionaryIndices(this.dictionary, data, p, end, present, target, 0, this.indices);
        break;
      }
      case Encoding.DELTA_BINARY_PACKED:
        if (kind.physical !== 'INT32' && kind.physical !== 'INT64') {
          throw new PageCorrupt(`DELTA_BINARY_PACKED on a ${kind.physical} column`);
        }
        decodeDeltaBinaryPacked(kind, data, p, end, present, target, 0);
        break;
      case Encoding.BYTE_STREAM_SPLIT:
        decodeByteStreamSplit(kind, data, p, end, present, target, 0, this.scratch);
        break;
      case Encoding.RLE:
        if (kind.physical !== 'BOOLEAN') throw new PageCorrupt(`RLE values on a ${kind.physical} column`);
        this.decodeRleBooleans(data, p, end, present, target);
        break;
      default:
        throw this.unsupported(`value encoding ${encoding}`);
    }
    if (nulls > 0) scatter(target, mask, n, values);
  }

  /** RLE booleans (data page v2): a 4-byte length, then the hybrid at bit width 1. */
  private decodeRleBooleans(data: Uint8Array, p: number, end: number, count: number, out: Float64Array): void {
    if (p + 4 > end) throw new PageCorrupt('boolean RLE length past end of page');
    if (this.indices.length < count) this.indices = new Uint32Array(count);
    decodeHybrid(data, p + 4, end, 1, count, this.indices);
    for (let i = 0; i < count; i++) out[i] = this.indices[i] as number;
  }

  private unsupported(what: string): IoError {
    return new IoError(
      'unsupported',
      { file: this.ctx.file, column: this.ctx.column, where: this.where() },
      `${what} is not supported`,
    );
  }
}

/** Spread dense present values over n rows; null rows get NaN. */
function scatter(dense: Float64Array, mask: Uint8Array, n: number, out: Float64Array): void {
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (mask[i] === 0) out[i] = dense[k++] as number;
    else out[i] = Number.NaN;
  }
}
