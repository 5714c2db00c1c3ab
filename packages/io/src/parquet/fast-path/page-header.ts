import { CompactReader, T_STOP, THRIFT_STRUCT } from './thrift-compact.js';

/** parquet.thrift `PageType`. */
export const PageType = {
  DATA_PAGE: 0,
  INDEX_PAGE: 1,
  DICTIONARY_PAGE: 2,
  DATA_PAGE_V2: 3,
} as const;

/** parquet.thrift `Encoding` values the fast path distinguishes. */
export const Encoding = {
  PLAIN: 0,
  PLAIN_DICTIONARY: 2,
  RLE: 3,
  BIT_PACKED: 4,
  DELTA_BINARY_PACKED: 5,
  RLE_DICTIONARY: 8,
  BYTE_STREAM_SPLIT: 9,
} as const;

/**
 * The fields of parquet.thrift `PageHeader` (and of whichever of its
 * DataPageHeader / DataPageHeaderV2 / DictionaryPageHeader is present) that
 * reading flat numeric columns needs, flattened into one plain record.
 * Statistics and index pages are skipped. -1 marks an absent field.
 */
export interface PageHeader {
  type: number;
  uncompressedSize: number;
  compressedSize: number;
  /** CRC-32 of the compressed page bytes, or undefined. */
  crc: number | undefined;
  numValues: number;
  encoding: number;
  defLevelEncoding: number;
  /** Data page v2 only. */
  numNulls: number;
  numRows: number;
  defLevelsByteLength: number;
  repLevelsByteLength: number;
  isCompressed: boolean;
}

export function emptyPageHeader(): PageHeader {
  return {
    type: -1,
    uncompressedSize: -1,
    compressedSize: -1,
    crc: undefined,
    numValues: -1,
    encoding: -1,
    defLevelEncoding: Encoding.RLE,
    numNulls: -1,
    numRows: -1,
    defLevelsByteLength: -1,
    repLevelsByteLength: -1,
    isCompressed: true,
  };
}

/**
 * Parse one PageHeader at `reader.pos` into `out` (reused across pages), leaving
 * the reader at the first byte of the page body. Throws ThriftOverrun on
 * truncation; the caller validates sizes against the chunk.
 */
export function readPageHeader(reader: CompactReader, out: PageHeader): PageHeader {
  Object.assign(out, emptyPageHeader());
  let id = 0;
  for (;;) {
    const f = reader.fieldHeader(id);
    if (f.type === T_STOP) return out;
    id = f.id;
    switch (id) {
      case 1:
        out.type = reader.i32();
        break;
      case 2:
        out.uncompressedSize = reader.i32();
        break;
      case 3:
        out.compressedSize = reader.i32();
        break;
      case 4:
        // The CRC is an i32 on the wire; keep it as the unsigned value crc32 computes.
        out.crc = reader.i32() >>> 0;
        break;
      case 5:
        expectStruct(f.type);
        readDataPageHeader(reader, out);
        break;
      case 7:
        expectStruct(f.type);
        readDictionaryPageHeader(reader, out);
        break;
      case 8:
        expectStruct(f.type);
        readDataPageHeaderV2(reader, out);
        break;
      default:
        reader.skip(f.type);
    }
  }
}

function expectStruct(type: number): void {
  if (type !== THRIFT_STRUCT)
    throw new RangeError(`page header field has thrift type ${type}, not struct`);
}

function readDataPageHeader(reader: CompactReader, out: PageHeader): void {
  let id = 0;
  for (;;) {
    const f = reader.fieldHeader(id);
    if (f.type === T_STOP) return;
    id = f.id;
    if (id === 1) out.numValues = reader.i32();
    else if (id === 2) out.encoding = reader.i32();
    else if (id === 3) out.defLevelEncoding = reader.i32();
    else reader.skip(f.type);
  }
}

function readDictionaryPageHeader(reader: CompactReader, out: PageHeader): void {
  let id = 0;
  for (;;) {
    const f = reader.fieldHeader(id);
    if (f.type === T_STOP) return;
    id = f.id;
    if (id === 1) out.numValues = reader.i32();
    else if (id === 2) out.encoding = reader.i32();
    else reader.skip(f.type);
  }
}

function readDataPageHeaderV2(reader: CompactReader, out: PageHeader): void {
  let id = 0;
  for (;;) {
    const f = reader.fieldHeader(id);
    if (f.type === T_STOP) return;
    id = f.id;
    if (id === 1) out.numValues = reader.i32();
    else if (id === 2) out.numNulls = reader.i32();
    else if (id === 3) out.numRows = reader.i32();
    else if (id === 4) out.encoding = reader.i32();
    else if (id === 5) out.defLevelsByteLength = reader.i32();
    else if (id === 6) out.repLevelsByteLength = reader.i32();
    else if (id === 7) out.isCompressed = CompactReader.bool(f.type);
    else reader.skip(f.type);
  }
}
