import { unpack } from './hybrid.js';
import { PageCorrupt } from './page-corrupt.js';
import { int64ToNumber, type ValueKind } from './value-kind.js';

/**
 * DELTA_BINARY_PACKED (Parquet `Encodings.md`) for INT32 and INT64.
 *
 * Header: block size, miniblocks per block, total value count (ULEB128) and the
 * first value (zigzag ULEB128). Each block: its minimum delta (zigzag), one
 * bit width per miniblock, then the miniblocks, each holding
 * blockSize / miniblocks deltas minus the minimum, bit-packed LSB first.
 * value[i] = value[i-1] + minDelta + packed[i], in wrap-around arithmetic of
 * the column's width. INT32 runs in 32-bit integer arithmetic (`| 0`); INT64
 * keeps each value as two 32-bit halves with an explicit carry, so no BigInt
 * is made per value (only the per-block header varints use BigInt).
 */
export function decodeDeltaBinaryPacked(
  kind: ValueKind,
  bytes: Uint8Array,
  pos: number,
  end: number,
  count: number,
  out: Float64Array,
  outAt: number,
): number {
  const r = { pos };
  const blockSize = uleb(bytes, r, end);
  const miniblocks = uleb(bytes, r, end);
  const total = uleb(bytes, r, end);
  const first = zigzag64(bytes, r, end);
  if (
    blockSize === 0 ||
    blockSize % 128 !== 0 ||
    miniblocks === 0 ||
    (blockSize / miniblocks) % 32 !== 0
  ) {
    throw new PageCorrupt(
      `DELTA_BINARY_PACKED block ${blockSize} with ${miniblocks} miniblocks is invalid`,
    );
  }
  if (total < count)
    throw new PageCorrupt(`DELTA_BINARY_PACKED holds ${total} values, page needs ${count}`);
  const perMini = blockSize / miniblocks;
  const packed = new Uint32Array(perMini);
  const wide = kind.physical === 'INT64';
  const divisor = 10 ** kind.scale;
  const unsigned = kind.unsigned;

  let lo = Number(BigInt.asUintN(32, first));
  let hi = Number(BigInt.asIntN(32, first >> 32n));
  if (count > 0) out[outAt] = emit(lo, hi, wide, unsigned, divisor);
  let done = 1;
  while (done < count) {
    const minDelta = zigzag64(bytes, r, end);
    const mdLo = Number(BigInt.asUintN(32, minDelta));
    const mdHi = Number(BigInt.asIntN(32, minDelta >> 32n));
    const widthsAt = r.pos;
    if (widthsAt + miniblocks > end)
      throw new PageCorrupt('DELTA_BINARY_PACKED bit widths past end of page');
    let p = widthsAt + miniblocks;
    for (let m = 0; m < miniblocks && done < count; m++) {
      const w = bytes[widthsAt + m] as number;
      if (w > 64) throw new PageCorrupt(`DELTA_BINARY_PACKED bit width ${w} exceeds 64`);
      const n = Math.min(perMini, count - done);
      if (p + Math.ceil((n * w) / 8) > end)
        throw new PageCorrupt('DELTA_BINARY_PACKED miniblock past end of page');
      if (w <= 32) {
        unpack(bytes, p, w, n, packed, 0);
        for (let i = 0; i < n; i++) {
          const sumLo = lo + mdLo + (packed[i] as number);
          if (wide) {
            const carry = sumLo >= 8589934592 ? 2 : sumLo >= 4294967296 ? 1 : 0;
            hi = (hi + mdHi + carry) | 0;
          }
          lo = sumLo >>> 0;
          out[outAt + done + i] = emit(lo, hi, wide, unsigned, divisor);
        }
      } else {
        for (let i = 0; i < n; i++) {
          const bit = i * w;
          const uLo = readBits(bytes, p, bit, 32);
          const uHi = readBits(bytes, p, bit + 32, w - 32);
          const sumLo = lo + mdLo + uLo;
          const carry = sumLo >= 8589934592 ? 2 : sumLo >= 4294967296 ? 1 : 0;
          hi = (hi + mdHi + uHi + carry) | 0;
          lo = sumLo >>> 0;
          out[outAt + done + i] = emit(lo, hi, wide, unsigned, divisor);
        }
      }
      done += n;
      p += (perMini * w) / 8;
    }
    r.pos = Math.min(p, end);
  }
  return r.pos;
}

function emit(lo: number, hi: number, wide: boolean, unsigned: boolean, divisor: number): number {
  if (wide) return int64ToNumber(lo, hi, unsigned) / divisor;
  return (unsigned ? lo >>> 0 : lo | 0) / divisor;
}

/** `n` (<= 32) bits at bit offset `bit` from bytes[base ..], LSB first, as an unsigned number. */
function readBits(bytes: Uint8Array, base: number, bit: number, n: number): number {
  if (n === 0) return 0;
  const b = base + (bit >>> 3);
  const shift = bit & 7;
  const span = Math.ceil((shift + n) / 8);
  let combined = 0;
  for (let j = span - 1; j >= 0; j--) combined = combined * 256 + (bytes[b + j] as number);
  return Math.floor(combined / 2 ** shift) % 2 ** n;
}

function uleb(bytes: Uint8Array, r: { pos: number }, end: number): number {
  let result = 0;
  let scale = 1;
  for (let i = 0; i < 8; i++) {
    if (r.pos >= end) throw new PageCorrupt('DELTA_BINARY_PACKED header past end of page');
    const b = bytes[r.pos++] as number;
    result += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) return result;
    scale *= 128;
  }
  throw new PageCorrupt('DELTA_BINARY_PACKED header varint too long');
}

function zigzag64(bytes: Uint8Array, r: { pos: number }, end: number): bigint {
  let v = 0n;
  let shift = 0n;
  for (let i = 0; i < 10; i++) {
    if (r.pos >= end) throw new PageCorrupt('DELTA_BINARY_PACKED varint past end of page');
    const b = bytes[r.pos++] as number;
    v |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return BigInt.asIntN(64, (v >> 1n) ^ -(v & 1n));
    shift += 7n;
  }
  throw new PageCorrupt('DELTA_BINARY_PACKED varint longer than 10 bytes');
}
