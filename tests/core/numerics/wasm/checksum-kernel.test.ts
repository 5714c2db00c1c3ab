/**
 * The state checksum's stripe loop in WebAssembly SIMD (wasm/checksum.ts,
 * numerics/wasm/checksum-kernel.ts) gives the JS loop's hash — libxxhash's
 * XXH32 — at every length, including states of several 64 KiB chunks, so a
 * state sealed on one path opens on the other.
 */
import { describe, expect, it } from 'vitest';
import { S_CHECKSUM, stateChecksum } from '../../../../packages/core/src/numerics/state/index.js';
import { restoreKernelsAfterEach } from '../../support/kernel-paths.js';
import { seededRandom } from '../accumulate/accumulator-reference.js';

restoreKernelsAfterEach();

function bothPaths(data: Float64Array): [js: number, wasm: number] {
  process.env.LINREG_KERNELS = 'js';
  const js = stateChecksum(data);
  delete process.env.LINREG_KERNELS;
  return [js, stateChecksum(data)];
}

/** Bytes (31 i + 7) mod 256, as state-format.test.ts's pattern. */
function pattern(bytes: number): Float64Array {
  const data = new Float64Array(bytes / 8);
  const u8 = new Uint8Array(data.buffer);
  for (let i = 0; i < bytes; i++) u8[i] = (31 * i + 7) & 255;
  return data;
}

describe('WebAssembly XXH32 stripes', () => {
  it("is libxxhash's XXH32 on both paths (xxhsum -H32 of the pattern, slot zeroed)", () => {
    // 200,008 bytes: four chunks, the last partial, and two words after the last stripe.
    for (const [bytes, hash] of [
      [8000, 0x38224de5],
      [200008, 0x24713082],
    ] as const) {
      const data = pattern(bytes);
      data[S_CHECKSUM] = 42; // read as zeros
      expect(bothPaths(data)).toEqual([hash, hash]);
    }
  });

  it('gives the JS hash at every length around the thresholds and chunk edges', () => {
    const rnd = seededRandom(3);
    for (const doubles of [7, 8, 64, 127, 128, 129, 130, 1000, 8191, 8192, 8193, 16385, 20000]) {
      const data = Float64Array.from({ length: doubles }, () => (rnd() - 0.5) * 1e6);
      const [js, wasm] = bothPaths(data);
      expect(wasm).toBe(js);
    }
  });

  it('sees a one-bit change anywhere but in the checksum slot', () => {
    const data = pattern(80000);
    const before = stateChecksum(data);
    const u32 = new Uint32Array(data.buffer);
    for (const w of [0, 11, 14, 16383, 16384, 19999]) {
      u32[w] ^= 1;
      expect(stateChecksum(data)).not.toBe(before);
      u32[w] ^= 1;
    }
    u32[12] ^= 1;
    expect(stateChecksum(data)).toBe(before);
  });
});
