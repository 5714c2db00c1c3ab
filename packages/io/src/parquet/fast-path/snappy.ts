import { PageCorrupt } from './page-corrupt.js';

/**
 * Snappy raw-format decoder (google/snappy `format_description.txt`) in plain
 * JS. Of the two snappy decoders (see decompress.ts) this one serves pages made
 * mostly of long literals, which it copies with one native `set` each straight
 * into the output, where the WASM decoder (snappy-wasm.ts) is no faster and
 * adds a copy in and out of its memory for a page not already there; it is
 * also the fallback without WebAssembly and the reference for the tests.
 *
 * Stream: ULEB128 uncompressed length, then elements whose tag's low 2 bits
 * say: 00 literal (length - 1 in the upper 6 bits, or in the next 1-4 bytes
 * when those say 60-63); 01 copy of 4 + bits 2-4 bytes at an 11-bit offset;
 * 10 copy of (tag >> 2) + 1 bytes at a 16-bit offset; 11 the same with a
 * 32-bit offset. Copies may overlap their own output (offset < length),
 * which repeats a pattern. Every length and offset is checked, so corrupt input
 * throws PageCorrupt instead of reading or writing out of bounds.
 *
 * Speed: away from both buffers' ends, the common elements (a literal of at
 * most 8 bytes, a copy with a 1- or 2-byte offset of at least 8) move 8 bytes
 * at a time as two unaligned 32-bit DataView reads and writes, rounding the
 * length up: the bytes past the element's end are overwritten by the elements
 * that follow, and a copy from 8 or more back reads only bytes already final,
 * even when it overlaps itself.
 * Per-tag tables give length, offset width and the offset's high bits without
 * branches. Everything else goes through the checked element-by-element path.
 */
export function snappyDecompress(input: Uint8Array, output: Uint8Array): void {
  const inEnd = input.length;
  const outEnd = output.length;
  let pos = skipSnappyLength(input, outEnd);
  const src = new DataView(input.buffer, input.byteOffset, inEnd);
  const dst = new DataView(output.buffer, output.byteOffset, outEnd);
  // The fast path reads at most 1 + 8 (literal) or 1 + 4 (copy) bytes from pos
  // and writes 8 from out.
  const inFast = inEnd - 9;
  const outFast = outEnd - 8;
  let out = 0;
  for (;;) {
    while (pos <= inFast && out <= outFast) {
      const tag = input[pos] as number;
      const info = TAG_INFO[tag] as number;
      if (info < 0) break;
      const len = info & 127;
      if ((tag & 3) === 0) {
        dst.setInt32(out, src.getInt32(pos + 1, true), true);
        dst.setInt32(out + 4, src.getInt32(pos + 5, true), true);
        pos += 1 + len;
      } else {
        const offset = (src.getInt32(pos + 1, true) & (TAG_MASK[tag] as number)) + (info >>> 16);
        // From at least 8 back (8-byte steps then read only final bytes), after
        // the start, and room for the last step's overshoot.
        if (((offset - 8) | (out - offset) | (outFast - out - len)) < 0) break;
        const from = out - offset;
        for (let k = 0; k < len; k += 8) {
          const a = dst.getInt32(from + k, true);
          const b = dst.getInt32(from + k + 4, true);
          dst.setInt32(out + k, a, true);
          dst.setInt32(out + k + 4, b, true);
        }
        pos += 1 + (tag & 3);
      }
      out += len;
    }
    if (pos >= inEnd) break;
    // One element through the checked path, then back to the fast loop.
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
    } else if (len > 16 && out + len + 8 <= outEnd) {
      // A repeating pattern: the output is periodic from `from` on, so after the
      // first `step` bytes (a multiple of the offset, at least 8) it can be
      // copied 8 bytes at a time from `step` back.
      const step = offset >= 8 ? offset : offset * Math.ceil(8 / offset);
      for (let k = 0; k < step; k++) output[out + k] = output[from + k] as number;
      for (let k = step; k < len; k += 8) {
        const a = dst.getInt32(out + k - step, true);
        const b = dst.getInt32(out + k - step + 4, true);
        dst.setInt32(out + k, a, true);
        dst.setInt32(out + k + 4, b, true);
      }
    } else {
      // Overlapping copies repeat the last `offset` bytes, so go byte by byte.
      for (let k = 0; k < len; k++) output[out + k] = output[from + k] as number;
    }
    out += len;
  }
  if (out !== outEnd) throw new PageCorrupt(`snappy stream ended after ${out} of ${outEnd} bytes`);
}

/**
 * Read the stream's ULEB128 uncompressed length, check it equals `size` (the
 * page header's), and return the position of the first element.
 */
export function skipSnappyLength(input: Uint8Array, size: number): number {
  const inEnd = input.length;
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
  if (declared !== size)
    throw new PageCorrupt(`snappy stream holds ${declared} bytes, page header says ${size}`);
  return pos;
}

/**
 * Per tag byte: bits 0-6 the element's length when the tag holds it, bits 7-9
 * the offset's width in bytes (copies), bits 24-26 the high 3 bits of a 1-byte
 * copy's offset (so `info >>> 16` is them times 256), and the sign bit set when
 * the fast path must not take the element (a literal longer than 8 bytes or
 * with its length in extra bytes, a copy with a 4-byte offset).
 */
const TAG_INFO = new Int32Array(256);
/** Per tag byte: the mask keeping a copy's offset bytes of a 32-bit read. */
const TAG_MASK = new Int32Array(256);
for (let tag = 0; tag < 256; tag++) {
  const type = tag & 3;
  let len = (tag >>> 2) + 1;
  let width = 0;
  let high = 0;
  if (type === 1) {
    len = ((tag >>> 2) & 7) + 4;
    width = 1;
    high = tag >>> 5;
    TAG_MASK[tag] = 0xff;
  } else if (type === 2) {
    width = 2;
    TAG_MASK[tag] = 0xffff;
  } else if (type === 3) {
    width = 4;
    TAG_MASK[tag] = -1;
  }
  const slow = (type === 0 && len > 8) || type === 3;
  TAG_INFO[tag] = (len & 127) | (width << 7) | (high << 24) | (slow ? 1 << 31 : 0);
}
