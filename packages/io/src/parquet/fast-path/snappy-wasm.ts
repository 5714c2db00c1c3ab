import { PageCorrupt } from './page-corrupt.js';
import { skipSnappyLength, snappyDecompress } from './snappy.js';
import { snappyInstance } from './snappy-instance.js';
import { arenaFree, arenaTake } from './wasm-arena.js';

/** What the module's negative return codes mean. */
const ERRORS: Record<number, string> = {
  [-1]: 'a literal length is truncated',
  [-2]: 'a literal runs past its buffer',
  [-3]: 'a copy is truncated',
  [-4]: 'a copy is out of bounds',
  [-5]: 'the stream ended before the page was full',
};

/**
 * Decode a snappy stream of `size` bytes into `out` (exactly `size` bytes)
 * with our WASM decoder (packages/io/wasm/snappy.ts). A stream or an output
 * that lies in the decoder's memory (the fast path's buffers do:
 * wasm-arena.ts) is read or written there in place; otherwise it is copied
 * in, or the page decoded into a region of that memory and copied out — the
 * region taken for the call and given back after it. The stream's length
 * header is checked against `size` first; the module checks every length and
 * offset, and a failure becomes PageCorrupt. Without WebAssembly, or when no
 * region can be had for a copy, the JS decoder does the same work.
 */
export function snappyDecompressWasm(input: Uint8Array, size: number, out: Uint8Array): void {
  const start = skipSnappyLength(input, size);
  const module = snappyInstance();
  if (module === null) {
    snappyDecompress(input, out);
    return;
  }
  const inLen = input.length - start;
  const inPlace = input.buffer === module.memory.buffer;
  const outPlace = out.buffer === module.memory.buffer;
  let inPtr = input.byteOffset + start;
  let outPtr = out.byteOffset;
  let scratch: Uint8Array | null = null;
  if (!inPlace || !outPlace) {
    // One region for what must be copied: the stream, then the page (64-byte aligned).
    // Taking it may grow the memory only when no region is out: neither side was in place.
    const inBytes = inPlace ? 0 : Math.ceil(inLen / 64) * 64;
    scratch = arenaTake(inBytes + (outPlace ? 0 : size));
    if (scratch === null) {
      snappyDecompress(input, out);
      return;
    }
    if (!inPlace) {
      scratch.set(input.subarray(start));
      inPtr = scratch.byteOffset;
    }
    if (!outPlace) outPtr = scratch.byteOffset + inBytes;
  }
  try {
    const rc = module.uncompress(inPtr, inLen, outPtr, size);
    if (rc !== 0) throw new PageCorrupt(`snappy stream is corrupt: ${ERRORS[rc] ?? `code ${rc}`}`);
    if (!outPlace) out.set(new Uint8Array(module.memory.buffer, outPtr, size));
  } finally {
    if (scratch !== null) arenaFree(scratch);
  }
}
