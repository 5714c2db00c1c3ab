import { decodeHybrid } from './hybrid.js';
import { PageCorrupt } from './page-corrupt.js';

/**
 * RLE_DICTIONARY / PLAIN_DICTIONARY data pages: one byte of index bit width,
 * then `count` indices in the RLE / bit-packing hybrid, decoded into
 * `indices` (a reusable buffer of at least `count` entries). The largest index
 * is checked against the dictionary size once here, so the later gathers
 * (dictionary[index], values already converted to float64 once) need no check.
 */
export function decodeDictionaryIndices(
  dictionarySize: number,
  bytes: Uint8Array,
  pos: number,
  end: number,
  count: number,
  indices: Uint32Array,
): void {
  if (count === 0) return;
  if (pos >= end) throw new PageCorrupt('dictionary index bit width past end of page');
  const bitWidth = bytes[pos] as number;
  decodeHybrid(bytes, pos + 1, end, bitWidth, count, indices);
  let max = 0;
  for (let i = 0; i < count; i++) max = Math.max(max, indices[i] as number);
  if (max >= dictionarySize) {
    throw new PageCorrupt(
      `dictionary index ${max} out of range for a dictionary of ${dictionarySize} values`,
    );
  }
}

/** out[outAt + i] = dictionary[indices[from + i]] for i < count. */
export function gatherDictionary(
  dictionary: Float64Array,
  indices: Uint32Array,
  from: number,
  count: number,
  out: Float64Array,
  outAt: number,
): void {
  for (let i = 0; i < count; i++)
    out[outAt + i] = dictionary[indices[from + i] as number] as number;
}
