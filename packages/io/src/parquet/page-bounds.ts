import { IoError } from '@linreg/errors';
import type { ColumnChunk } from 'hyparquet';
import type { ByteSource } from '../bytes/byte-source.js';
import { emptyPageHeader, PageType, readPageHeader } from './fast-path/page-header.js';
import { CompactReader } from './fast-path/thrift-compact.js';

const PHYSICAL_TYPES = new Set([
  'BOOLEAN',
  'INT32',
  'INT64',
  'INT96',
  'FLOAT',
  'DOUBLE',
  'BYTE_ARRAY',
  'FIXED_LEN_BYTE_ARRAY',
]);

/** No page of a column linreg reads may claim more than this when decompressed (1 GiB). */
const MAX_PAGE_BYTES = 2 ** 30;

/**
 * Checks a flat column chunk's page headers against the bytes and rows that
 * exist before hyparquet (the fallback reader) decodes it: hyparquet trusts
 * them, and a damaged value count makes it fill an array of billions of
 * slots (no error, no end). The chunk must lie inside the file and have a
 * known physical type; every page must fit in the chunk, its sizes and level
 * lengths must be non-negative and consistent, and its values must not
 * exceed the rows that remain of the row group, whose rows the data pages
 * must add up to.
 */
export async function checkChunkPages(
  bytes: ByteSource,
  chunk: ColumnChunk,
  groupRows: number,
  column: string,
  where: string,
): Promise<void> {
  const fail = (problem: string): never => {
    throw new IoError('corrupt', { file: bytes.file, column, where }, problem);
  };
  const meta = chunk.meta_data;
  if (meta === undefined) return;
  if (!PHYSICAL_TYPES.has(String(meta.type))) {
    fail(
      meta.type === undefined
        ? 'the chunk has no physical type'
        : `unknown physical type ${JSON.stringify(meta.type)}`,
    );
  }
  const dictionary =
    meta.dictionary_page_offset === undefined ? -1 : Number(meta.dictionary_page_offset);
  const data = Number(meta.data_page_offset);
  const start = dictionary > 0 && dictionary < data ? dictionary : data;
  const length = Number(meta.total_compressed_size);
  if (!(Number.isSafeInteger(start) && start >= 4 && Number.isSafeInteger(length) && length >= 0)) {
    fail(`column chunk at byte ${start} of ${length} bytes`);
  }
  if (start + length > bytes.size - 8) {
    fail(`column chunk (bytes ${start}-${start + length}) extends past the data of the file`);
  }
  const chunkBytes = await bytes.read(start, start + length, `${where} column chunk`, column);
  const header = emptyPageHeader();
  let pos = 0;
  let values = 0;
  let page = 0;
  while (pos < length) {
    const reader = new CompactReader(chunkBytes, pos);
    try {
      readPageHeader(reader, header);
    } catch {
      fail(`page ${page}: malformed page header at byte ${start + pos}`);
    }
    const size = header.compressedSize;
    if (size < 0 || reader.pos + size > length) {
      fail(`page ${page}: ${size} bytes at byte ${start + reader.pos} overrun the column chunk`);
    }
    if (header.uncompressedSize < 0 || header.uncompressedSize > MAX_PAGE_BYTES) {
      fail(`page ${page}: uncompressed size ${header.uncompressedSize}`);
    }
    if (header.type === PageType.DATA_PAGE || header.type === PageType.DATA_PAGE_V2) {
      if (header.numValues < 0 || header.numValues > groupRows - values) {
        fail(`page ${page}: ${header.numValues} values, ${groupRows - values} rows remain`);
      }
      if (header.type === PageType.DATA_PAGE_V2) {
        const levels = header.defLevelsByteLength + header.repLevelsByteLength;
        if (header.defLevelsByteLength < 0 || header.repLevelsByteLength < 0 || levels > size) {
          fail(
            `page ${page}: level lengths ${header.repLevelsByteLength}+${header.defLevelsByteLength} of a ${size}-byte page`,
          );
        }
        if (header.numNulls < 0 || header.numNulls > header.numValues) {
          fail(`page ${page}: ${header.numNulls} nulls of ${header.numValues} values`);
        }
      }
      values += header.numValues;
    } else if (header.type === PageType.DICTIONARY_PAGE) {
      if (header.numValues < 0 || header.numValues > header.uncompressedSize) {
        fail(`dictionary page: ${header.numValues} values in ${header.uncompressedSize} bytes`);
      }
    }
    pos = reader.pos + size;
    page += 1;
  }
  if (values !== groupRows)
    fail(`the pages hold ${values} values, the row group ${groupRows} rows`);
}
