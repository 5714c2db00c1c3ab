import type { ChunkBytes } from './chunk-cursor.js';
import { Encoding, emptyPageHeader, PageType, readPageHeader } from './page-header.js';
import { CompactReader } from './thrift-compact.js';
import type { ValueKind } from './value-kind.js';

/**
 * Whether every page of a chunk uses encodings the fast path decodes, found by
 * hopping from page header to page header (no decompression). The chunk
 * metadata's `encodings` list already says so for well-behaved writers; this
 * guards against writers whose list is incomplete, so such a chunk goes to
 * the fallback instead of failing half-way. Malformed headers answer true:
 * the fast path then reports them as corruption with their exact place.
 */
export function pagesSupported(bytes: ChunkBytes, kind: ValueKind, maxDef: number): boolean {
  const h = emptyPageHeader();
  for (const seg of bytes.segments) {
    let pos = 0;
    while (pos < seg.length) {
      const reader = new CompactReader(seg, pos);
      try {
        readPageHeader(reader, h);
      } catch {
        return true;
      }
      if (h.compressedSize < 0) return true;
      pos = reader.pos + h.compressedSize;
      if (h.type === PageType.DICTIONARY_PAGE) {
        if (h.encoding !== Encoding.PLAIN && h.encoding !== Encoding.PLAIN_DICTIONARY) return false;
      } else if (h.type === PageType.DATA_PAGE || h.type === PageType.DATA_PAGE_V2) {
        if (!valueEncodingSupported(h.encoding, kind)) return false;
        const levels = h.defLevelEncoding;
        if (
          h.type === PageType.DATA_PAGE &&
          maxDef > 0 &&
          levels !== Encoding.RLE &&
          levels !== Encoding.BIT_PACKED
        ) {
          return false;
        }
      }
    }
  }
  return true;
}

function valueEncodingSupported(encoding: number, kind: ValueKind): boolean {
  switch (encoding) {
    case Encoding.PLAIN:
    case Encoding.PLAIN_DICTIONARY:
    case Encoding.RLE_DICTIONARY:
      return true;
    case Encoding.DELTA_BINARY_PACKED:
      return kind.physical === 'INT32' || kind.physical === 'INT64';
    case Encoding.BYTE_STREAM_SPLIT:
      return kind.width > 0;
    case Encoding.RLE:
      return kind.physical === 'BOOLEAN';
    default:
      return false;
  }
}
