import type { AlignedScratch } from './aligned-scratch.js';
import { PageCorrupt } from './page-corrupt.js';
import { bigEndianSigned, halfToNumber, int64ToNumber, type ValueKind } from './value-kind.js';

/**
 * PLAIN encoding (Parquet `Encodings.md`): values back to back, little-endian,
 * BOOLEAN one bit each LSB first, FIXED_LEN_BYTE_ARRAY `width` bytes each.
 * Decodes `count` values at bytes[pos ..] (not past `end`) into
 * out[outAt ..] as float64 and returns the position after them. Assumes a
 * little-endian host (every platform Node supports).
 */
export function decodePlain(
  kind: ValueKind,
  bytes: Uint8Array,
  pos: number,
  end: number,
  count: number,
  out: Float64Array,
  outAt: number,
  scratch: AlignedScratch,
): number {
  const length = kind.physical === 'BOOLEAN' ? Math.ceil(count / 8) : count * kind.width;
  if (pos + length > end) {
    throw new PageCorrupt(
      `${count} PLAIN ${kind.physical} values need ${length} bytes, page has ${end - pos}`,
    );
  }
  switch (kind.physical) {
    case 'DOUBLE':
      // One byte copy into the output, aligned or not.
      new Uint8Array(out.buffer, out.byteOffset + outAt * 8, length).set(
        bytes.subarray(pos, pos + length),
      );
      break;
    case 'FLOAT': {
      const src = scratch.aligned(bytes, pos, length);
      const f = new Float32Array(src.buffer, src.byteOffset, count);
      for (let i = 0; i < count; i++) out[outAt + i] = f[i] as number;
      break;
    }
    case 'INT32': {
      const src = scratch.aligned(bytes, pos, length);
      const v = new Int32Array(src.buffer, src.byteOffset, count);
      convertInt32(v, count, kind, out, outAt);
      break;
    }
    case 'INT64': {
      const src = scratch.aligned(bytes, pos, length);
      const v = new Int32Array(src.buffer, src.byteOffset, count * 2);
      convertInt64Pairs(v, count, kind, out, outAt);
      break;
    }
    case 'BOOLEAN':
      for (let i = 0; i < count; i++)
        out[outAt + i] = ((bytes[pos + (i >>> 3)] as number) >>> (i & 7)) & 1;
      break;
    case 'FIXED_LEN_BYTE_ARRAY':
      decodeFixed(kind, bytes, pos, count, out, outAt);
      break;
    case 'BYTE_ARRAY':
      // Text has no float64 value; ChunkCursor reads it as categories instead.
      throw new PageCorrupt('BYTE_ARRAY values are not numbers');
  }
  return pos + length;
}

/** INT32 values (signed, or unsigned when annotated) with the decimal scale applied. */
export function convertInt32(
  v: Int32Array,
  count: number,
  kind: ValueKind,
  out: Float64Array,
  outAt: number,
): void {
  const divisor = 10 ** kind.scale;
  if (kind.unsigned) {
    for (let i = 0; i < count; i++) out[outAt + i] = ((v[i] as number) >>> 0) / divisor;
  } else if (kind.scale === 0) {
    for (let i = 0; i < count; i++) out[outAt + i] = v[i] as number;
  } else {
    for (let i = 0; i < count; i++) out[outAt + i] = (v[i] as number) / divisor;
  }
}

/** INT64 values given as (lo, hi) Int32 pairs, rounded once to float64, then scaled. */
export function convertInt64Pairs(
  v: Int32Array,
  count: number,
  kind: ValueKind,
  out: Float64Array,
  outAt: number,
): void {
  const unsigned = kind.unsigned;
  if (kind.scale === 0) {
    for (let i = 0; i < count; i++) {
      out[outAt + i] = int64ToNumber(v[2 * i] as number, v[2 * i + 1] as number, unsigned);
    }
  } else {
    const divisor = 10 ** kind.scale;
    for (let i = 0; i < count; i++) {
      out[outAt + i] =
        int64ToNumber(v[2 * i] as number, v[2 * i + 1] as number, unsigned) / divisor;
    }
  }
}

function decodeFixed(
  kind: ValueKind,
  bytes: Uint8Array,
  pos: number,
  count: number,
  out: Float64Array,
  outAt: number,
): void {
  const w = kind.width;
  if (kind.float16) {
    for (let i = 0; i < count; i++) {
      const p = pos + 2 * i;
      out[outAt + i] = halfToNumber((bytes[p] as number) | ((bytes[p + 1] as number) << 8));
    }
    return;
  }
  const divisor = 10 ** kind.scale;
  for (let i = 0; i < count; i++) out[outAt + i] = bigEndianSigned(bytes, pos + i * w, w) / divisor;
}
