/**
 * The state checksum: XXH32 (seed 0) of the state's bytes in little-endian
 * order, with the checksum slot (bytes 48–55) read as zeros. It is computed at
 * serialize time and verified at deserialize time only; updates and merges
 * never pay for it. The stripe loop runs in WebAssembly SIMD when available
 * (wasm/checksum-kernel.ts, the same hash), else over 32-bit words with
 * Math.imul (docs/state-format.md).
 */
import { wasmXxh32Stripes } from '../wasm/index.js';
import { HOST_LITTLE_ENDIAN, S_CHECKSUM, S_MAGIC } from './kinds.js';

const P1 = 0x9e3779b1;
const P2 = 0x85ebca77;
const P3 = 0xc2b2ae3d;
const P4 = 0x27d4eb2f;
const P5 = 0x165667b1;

/**
 * From this many words on the stripes go to WebAssembly (wasm/checksum-kernel.ts):
 * below, the copy and the call cost more than they save.
 */
const WASM_MIN_WORDS = 256;

/** XXH32's four lanes, in and out of the WebAssembly stripe loop. */
const lanes = new Int32Array(4);

/** First of the two 32-bit words of the checksum slot; a multiple of 4, so it starts a stripe. */
const SKIP = 2 * S_CHECKSUM;

/**
 * XXH32 (seed 0) of `words` taken as little-endian 32-bit words (byte length
 * 4·words.length), with words SKIP and SKIP + 1 read as 0.
 */
function xxh32Words(words: Uint32Array): number {
  const n = words.length;
  let i = 0;
  let h: number;
  if (n >= 4) {
    let v1 = (P1 + P2) | 0;
    let v2 = P2 | 0;
    let v3 = 0;
    let v4 = -P1 | 0;
    if (n >= WASM_MIN_WORDS) {
      // The stripes in WebAssembly SIMD when available (same hash); the JS loop finishes.
      const stripes = Math.floor(n / 4);
      lanes[0] = v1;
      lanes[1] = v2;
      lanes[2] = v3;
      lanes[3] = v4;
      if (wasmXxh32Stripes(words, stripes, SKIP, lanes)) {
        v1 = lanes[0];
        v2 = lanes[1];
        v3 = lanes[2];
        v4 = lanes[3];
        i = 4 * stripes;
      }
    }
    for (const limit = n - 4; i <= limit; i += 4) {
      let a = words[i];
      let b = words[i + 1];
      if (i === SKIP) {
        a = 0;
        b = 0;
      }
      v1 = (v1 + Math.imul(a, P2)) | 0;
      v1 = Math.imul((v1 << 13) | (v1 >>> 19), P1);
      v2 = (v2 + Math.imul(b, P2)) | 0;
      v2 = Math.imul((v2 << 13) | (v2 >>> 19), P1);
      v3 = (v3 + Math.imul(words[i + 2], P2)) | 0;
      v3 = Math.imul((v3 << 13) | (v3 >>> 19), P1);
      v4 = (v4 + Math.imul(words[i + 3], P2)) | 0;
      v4 = Math.imul((v4 << 13) | (v4 >>> 19), P1);
    }
    h =
      (((v1 << 1) | (v1 >>> 31)) +
        ((v2 << 7) | (v2 >>> 25)) +
        ((v3 << 12) | (v3 >>> 20)) +
        ((v4 << 18) | (v4 >>> 14))) |
      0;
  } else {
    h = P5 | 0;
  }
  h = (h + n * 4) | 0;
  for (; i < n; i++) {
    const w = i === SKIP || i === SKIP + 1 ? 0 : words[i];
    h = (h + Math.imul(w, P3)) | 0;
    h = Math.imul((h << 17) | (h >>> 15), P4);
  }
  h ^= h >>> 15;
  h = Math.imul(h, P2);
  h ^= h >>> 13;
  h = Math.imul(h, P3);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The 32-bit words of the state's little-endian form: a view of `data` when
 * it is already little-endian on a little-endian machine (the usual case),
 * else a converted copy. `littleEndian` is the byte order `data` was written in.
 */
function littleEndianWords(data: Float64Array, littleEndian: boolean): Uint32Array {
  const n = data.length * 2;
  if (littleEndian && HOST_LITTLE_ENDIAN) return new Uint32Array(data.buffer, data.byteOffset, n);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const words = new Uint32Array(n);
  for (let s = 0; s < data.length; s++) {
    const o = 8 * s;
    if (littleEndian || s === S_MAGIC) {
      // Little-endian numbers, or the magic (bytes, the same in both orders).
      words[2 * s] = view.getUint32(o, true);
      words[2 * s + 1] = view.getUint32(o + 4, true);
    } else {
      // A big-endian 8-byte number: its low half is its last four bytes.
      words[2 * s] = view.getUint32(o + 4, false);
      words[2 * s + 1] = view.getUint32(o, false);
    }
  }
  return words;
}

/**
 * The checksum of a state: XXH32 (seed 0) of its bytes in little-endian order
 * with the checksum slot read as zeros. `littleEndian` is the byte order the
 * state's numbers are stored in (the machine's own by default).
 */
export function stateChecksum(data: Float64Array, littleEndian = HOST_LITTLE_ENDIAN): number {
  return xxh32Words(littleEndianWords(data, littleEndian));
}
