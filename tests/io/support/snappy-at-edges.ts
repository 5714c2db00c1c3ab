/**
 * Our WASM snappy module run on a memory of its own, with the stream placed so
 * that its last byte is the memory's last byte and the output just before it
 * between sentinel bytes: a read past the stream traps (RuntimeError, not
 * PageCorrupt), and a write outside the output changes a sentinel. This is
 * the module's contract that lets the reader place streams and pages
 * anywhere in its memory (wasm-arena.ts): it reads only the stream and the
 * output, and writes only the output.
 */
import { PageCorrupt } from '../../../packages/io/src/parquet/fast-path/page-corrupt.js';
import { skipSnappyLength } from '../../../packages/io/src/parquet/fast-path/snappy.js';
import { instantiateSnappy } from '../../../packages/io/src/parquet/fast-path/snappy-instance.js';

const SENTINEL = 0x5a;
const GUARD = 16;

const loaded = instantiateSnappy();
if (loaded === null) throw new Error('WebAssembly is unavailable');
const exports = loaded;

/** Decode `input` (with its length header) to `size` bytes at the memory's end, as described above. */
export function snappyAtEdges(input: Uint8Array, size: number): Uint8Array {
  const start = skipSnappyLength(input, size);
  const body = input.subarray(start);
  const memory = exports.memory;
  const need = exports.inputAt() + GUARD + size + GUARD + body.length;
  const have = memory.buffer.byteLength;
  if (have < need) memory.grow(Math.ceil((need - have) / 65536));
  const heap = new Uint8Array(memory.buffer);
  const inPtr = heap.length - body.length;
  const outPtr = inPtr - GUARD - size;
  heap.fill(SENTINEL, outPtr - GUARD, inPtr);
  heap.set(body, inPtr);
  const rc = exports.uncompress(inPtr, body.length, outPtr, size);
  for (let k = 0; k < GUARD; k++) {
    if (heap[outPtr - GUARD + k] !== SENTINEL || heap[outPtr + size + k] !== SENTINEL) {
      throw new Error(`the decoder wrote outside its output (rc ${rc})`);
    }
  }
  if (rc !== 0) throw new PageCorrupt(`snappy stream is corrupt: code ${rc}`);
  return heap.slice(outPtr, outPtr + size);
}
