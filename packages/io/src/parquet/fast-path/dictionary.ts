import { decodeHybrid } from './hybrid.js';
import { PageCorrupt } from './page-corrupt.js';

/**
 * RLE_DICTIONARY / PLAIN_DICTIONARY data pages: one byte of index bit width,
 * then the indices in the RLE / bit-packing hybrid. The dictionary page's
 * values were already converted to float64 once, so each value is a gather
 * dictionary[index], checked against the dictionary size (a corrupt index
 * throws instead of reading garbage). `indices` is a reusable buffer of at
 * least `count` entries.
 */
export function decodeDictionaryIndices(
  dictionary: Float64Array,
  bytes: Uint8Array,
  pos: number,
  end: number,
  count: number,
  out: Float64Array,
  outAt: number,
  indices: Uint32Array,
): void {
  if (count === 0) return;
  if (pos >= end) throw new PageCorrupt('dictionary index bit width past end of page');
  const bitWidth = bytes[pos] as number;
  decodeHybrid(bytes, pos + 1, end, bitWidth, count, indices);
  const size = dictionary.length;
  let bad = 0;
  for (let i = 0; i < count; i++) {
    const k = indices[i] as number;
    // Out-of-range indices read undefined (NaN); `bad` remembers them without a branch per value.
    bad |= k >= size ? 1 : 0;
    out[outAt + i] = dictionary[k] as number;
  }
  if (bad !== 0) throw new PageCorrupt(`dictionary index out of range for a dictionary of ${size} values`);
}
