import { PageCorrupt } from './page-corrupt.js';

/**
 * The RLE / bit-packing hybrid encoding (Parquet `Encodings.md`, "Run Length
 * Encoding / Bit-Packing Hybrid"): a sequence of runs, each introduced by a
 * ULEB128 header h. If h is even, h/2 copies of one value stored in
 * ceil(bitWidth/8) little-endian bytes follow; if h is odd, (h>>1) groups of 8
 * values bit-packed LSB first (bitWidth bytes per group) follow. The last
 * bit-packed group may be padded past the values the page holds.
 */

function varint(bytes: Uint8Array, pos: number, end: number, at: Cursor): number {
  let result = 0;
  let scale = 1;
  for (let i = 0; i < 5; i++) {
    if (pos >= end) throw new PageCorrupt('RLE run header past end of levels');
    const b = bytes[pos++] as number;
    result += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) {
      at.pos = pos;
      return result;
    }
    scale *= 128;
  }
  throw new PageCorrupt('RLE run header longer than 5 bytes');
}

interface Cursor {
  pos: number;
}

/**
 * Decode `count` definition levels of bit width 1 (a flat optional column:
 * level 1 = present, 0 = null) straight into `mask[maskAt ..]` as 1 = null.
 * Returns the number of nulls. Bytes are read only inside [pos, end).
 */
export function decodeNullMask(
  bytes: Uint8Array,
  pos: number,
  end: number,
  count: number,
  mask: Uint8Array,
  maskAt: number,
): number {
  const at: Cursor = { pos };
  let i = 0;
  let nulls = 0;
  while (i < count) {
    const header = varint(bytes, at.pos, end, at);
    let p = at.pos;
    if (header === 0) throw new PageCorrupt('empty RLE run');
    if ((header & 1) === 0) {
      const run = Math.min(header / 2, count - i);
      if (p >= end) throw new PageCorrupt('RLE run value past end of levels');
      const isNull = (bytes[p++] as number) === 0 ? 1 : 0;
      mask.fill(isNull, maskAt + i, maskAt + i + run);
      nulls += isNull * run;
      i += run;
    } else {
      const values = Math.min((header >>> 1) * 8, count - i);
      const byteCount = Math.ceil(values / 8);
      if (p + byteCount > end) throw new PageCorrupt('bit-packed levels past end of levels');
      const o = maskAt + i;
      for (let k = 0; k < values; k++) {
        const isNull = 1 - (((bytes[p + (k >>> 3)] as number) >>> (k & 7)) & 1);
        mask[o + k] = isNull;
        nulls += isNull;
      }
      // One byte per group of 8 at bit width 1, padding included.
      p += header >>> 1;
      i += values;
    }
    at.pos = p;
  }
  return nulls;
}

/**
 * Decode `count` unsigned values of `bitWidth` (0..32) bits into `out[0 ..]`
 * (dictionary indices, boolean RLE). Returns the position after the last run read.
 */
export function decodeHybrid(
  bytes: Uint8Array,
  pos: number,
  end: number,
  bitWidth: number,
  count: number,
  out: Uint32Array,
): number {
  if (bitWidth < 0 || bitWidth > 32) throw new PageCorrupt(`RLE bit width ${bitWidth} exceeds 32`);
  const at: Cursor = { pos };
  const valueBytes = (bitWidth + 7) >>> 3;
  let i = 0;
  while (i < count) {
    const header = varint(bytes, at.pos, end, at);
    let p = at.pos;
    if (header === 0) throw new PageCorrupt('empty RLE run');
    if ((header & 1) === 0) {
      const run = Math.min(header / 2, count - i);
      if (p + valueBytes > end) throw new PageCorrupt('RLE run value past end of page');
      let v = 0;
      for (let b = 0; b < valueBytes; b++) v += (bytes[p + b] as number) * 2 ** (8 * b);
      p += valueBytes;
      out.fill(v, i, i + run);
      i += run;
    } else {
      const groups = header >>> 1;
      const values = Math.min(groups * 8, count - i);
      const needed = Math.ceil((values * bitWidth) / 8);
      if (p + needed > end) throw new PageCorrupt('bit-packed run past end of page');
      unpack(bytes, p, bitWidth, values, out, i);
      p += groups * bitWidth;
      i += values;
    }
    at.pos = p;
  }
  return at.pos;
}

/** Unpack `count` LSB-first values of `bitWidth` bits from bytes[pos ..] into out[at ..]. */
export function unpack(
  bytes: Uint8Array,
  pos: number,
  bitWidth: number,
  count: number,
  out: Uint32Array,
  at: number,
): void {
  if (bitWidth === 0) {
    out.fill(0, at, at + count);
    return;
  }
  if (bitWidth <= 24) {
    // A 32-bit accumulator holds at most bitWidth + 7 <= 31 pending bits.
    const mask = (1 << bitWidth) - 1;
    let acc = 0;
    let bits = 0;
    let p = pos;
    for (let k = 0; k < count; k++) {
      while (bits < bitWidth) {
        acc |= (bytes[p++] as number) << bits;
        bits += 8;
      }
      out[at + k] = acc & mask;
      acc >>>= bitWidth;
      bits -= bitWidth;
    }
    return;
  }
  // Wide values (rare: dictionaries over 16M entries) in exact double arithmetic.
  const modulus = 2 ** bitWidth;
  for (let k = 0; k < count; k++) {
    const bit = k * bitWidth;
    const b = pos + (bit >>> 3);
    let combined = 0;
    const span = Math.ceil(((bit & 7) + bitWidth) / 8);
    for (let j = span - 1; j >= 0; j--) combined = combined * 256 + (bytes[b + j] as number);
    out[at + k] = Math.floor(combined / 2 ** (bit & 7)) % modulus;
  }
}
