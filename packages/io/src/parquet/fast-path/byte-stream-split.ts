import type { AlignedScratch } from './aligned-scratch.js';
import { PageCorrupt } from './page-corrupt.js';
import { decodePlain } from './plain.js';
import type { ValueKind } from './value-kind.js';

/**
 * BYTE_STREAM_SPLIT (Parquet `Encodings.md`): for N values of W bytes, byte k
 * of value i is stored at k * N + i (W streams, one per byte position).
 * Gathering the streams back into little-endian values gives PLAIN bytes,
 * decoded as such. Values are addressable by index, so this decodes any
 * range [from, from + count) of the page's `total` values straight into
 * out[outAt ..], without decoding the page up front.
 */
export function decodeByteStreamSplitRange(
  kind: ValueKind,
  bytes: Uint8Array,
  pos: number,
  total: number,
  from: number,
  count: number,
  out: Float64Array,
  outAt: number,
  scratch: AlignedScratch,
): void {
  const w = kind.width;
  const length = count * w;
  const plain = scratch.take(length);
  for (let k = 0; k < w; k++) {
    const stream = pos + k * total + from;
    for (let i = 0; i < count; i++) plain[i * w + k] = bytes[stream + i] as number;
  }
  decodePlain(kind, plain, 0, length, count, out, outAt, scratch);
}

/** Check that `total` values of the kind fit in bytes[pos, end). */
export function checkByteStreamSplit(
  kind: ValueKind,
  pos: number,
  end: number,
  total: number,
): void {
  if (kind.width === 0) throw new PageCorrupt('BYTE_STREAM_SPLIT is not defined for BOOLEAN');
  if (pos + total * kind.width > end) {
    throw new PageCorrupt(
      `${total} BYTE_STREAM_SPLIT values need ${total * kind.width} bytes, page has ${end - pos}`,
    );
  }
}
