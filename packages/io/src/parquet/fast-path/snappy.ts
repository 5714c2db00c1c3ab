import { PageCorrupt } from './page-corrupt.js';

/**
 * Snappy raw-format decoder (google/snappy `format_description.txt`), written
 * for pages of float64 that barely compress: literals of any length are one
 * native `set` (hysnappy's WASM decoder copies the input in and the output out
 * of its memory, and hyparquet's JS decoder copies literals byte by byte).
 *
 * Stream: ULEB128 uncompressed length, then elements whose tag's low 2 bits
 * say: 00 literal (length - 1 in the upper 6 bits, or in the next 1-4 bytes
 * when those say 60-63); 01 copy of 4 + bits 2-4 bytes at an 11-bit offset;
 * 10 copy of (tag >> 2) + 1 bytes at a 16-bit offset; 11 the same with a
 * 32-bit offset. Copies may overlap their own output (offset < length),
 * which repeats a pattern. Every length and offset is checked, so corrupt input
 * throws PageCorrupt instead of reading or writing out of bounds.
 */
export function snappyDecompress(input: Uint8Array, output: Uint8Array): void {
  const inEnd = input.length;
  const outEnd = output.length;
  let pos = 0;
  let declared = 0;
  let scale = 1;
  for (;;) {
    if (pos >= inEnd || scale > 2 ** 28) throw new PageCorrupt('snappy length header is truncated');
    const b = input[pos++] as number;
    declared += (b & 0x7f) * scale;
    if (b < 128) break;
    scale *= 128;
  }
  if (declared !== outEnd)
    throw new PageCorrupt(`snappy stream holds ${declared} bytes, page header says ${outEnd}`);
  let out = 0;
  while (pos < inEnd) {
    const tag = input[pos++] as number;
    const type = tag & 3;
    if (type === 0) {
      let len = (tag >>> 2) + 1;
      if (len > 60) {
        const extra = len - 60;
        if (pos + extra > inEnd) throw new PageCorrupt('snappy literal length is truncated');
        len = 0;
        for (let k = extra - 1; k >= 0; k--) len = len * 256 + (input[pos + k] as number);
        len += 1;
        pos += extra;
      }
      if (pos + len > inEnd || out + len > outEnd)
        throw new PageCorrupt('snappy literal runs past its buffer');
      if (len < 32) {
        for (let k = 0; k < len; k++) output[out + k] = input[pos + k] as number;
      } else {
        output.set(input.subarray(pos, pos + len), out);
      }
      pos += len;
      out += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (type === 1) {
      if (pos >= inEnd) throw new PageCorrupt('snappy copy is truncated');
      len = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | (input[pos++] as number);
    } else if (type === 2) {
      if (pos + 2 > inEnd) throw new PageCorrupt('snappy copy is truncated');
      len = (tag >>> 2) + 1;
      offset = (input[pos] as number) | ((input[pos + 1] as number) << 8);
      pos += 2;
    } else {
      if (pos + 4 > inEnd) throw new PageCorrupt('snappy copy is truncated');
      len = (tag >>> 2) + 1;
      offset =
        ((input[pos] as number) |
          ((input[pos + 1] as number) << 8) |
          ((input[pos + 2] as number) << 16) |
          ((input[pos + 3] as number) << 24)) >>>
        0;
      pos += 4;
    }
    if (offset === 0 || offset > out || out + len > outEnd) {
      throw new PageCorrupt(`snappy copy of ${len} bytes at offset ${offset} is out of bounds`);
    }
    const from = out - offset;
    if (offset >= len && len >= 16) {
      output.copyWithin(out, from, from + len);
    } else {
      // Overlapping copies repeat the last `offset` bytes, so go byte by byte.
      for (let k = 0; k < len; k++) output[out + k] = output[from + k] as number;
    }
    out += len;
  }
  if (out !== outEnd) throw new PageCorrupt(`snappy stream ended after ${out} of ${outEnd} bytes`);
}
