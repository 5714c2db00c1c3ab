import type { AlignedScratch } from './aligned-scratch.js';
import { PageCorrupt } from './page-corrupt.js';
import { decodePlain } from './plain.js';
import type { ValueKind } from './value-kind.js';

/**
 * BYTE_STREAM_SPLIT (Parquet `Encodings.md`): for N values of W bytes, byte k
 * of value i is stored at k * N + i (W streams, one per byte position).
 * Gathering the streams back into little-endian values gives PLAIN bytes,
 * decoded as such. Decodes `count` values and returns the position after them.
 */
export function decodeByteStreamSplit(
  kind: ValueKind,
  bytes: Uint8Array,
  pos: number,
  end: number,
  count: number,
  out: Float64Array,
  outAt: number,
  scratch: AlignedScratch,
): number {
  const w = kind.width;
  if (w === 0) throw new PageCorrupt('BYTE_STREAM_SPLIT is not defined for BOOLEAN');
  const length = count * w;
  if (pos + length > end) {
    throw new PageCorrupt(`${count} BYTE_STREAM_SPLIT values need ${length} bytes, page has ${end - pos}`);
  }
  const plain = scratch.take(length);
  for (let k = 0; k < w; k++) {
    const stream = pos + k * count;
    for (let i = 0; i < count; i++) plain[i * w + k] = bytes[stream + i] as number;
  }
  decodePlain(kind, plain, 0, length, count, out, outAt, scratch);
  return pos + length;
}
