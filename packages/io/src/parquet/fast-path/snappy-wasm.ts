import { snappyUncompressor } from 'hysnappy';
import { PageCorrupt } from './page-corrupt.js';
import { skipSnappyLength } from './snappy.js';

type Uncompress = (input: Uint8Array, outputLength: number) => Uint8Array;

/** One WASM instance per thread, made on first use (hyparquet-compressors makes one per call). */
let uncompress: Uncompress | undefined;

/**
 * Decode a snappy stream of `size` bytes with hysnappy's WASM decoder
 * (snappy-c compiled by clang), into a fresh array at offset 0 of its own
 * ArrayBuffer (hysnappy's copy out of WASM memory). The stream's length header
 * is checked against `size` first, since hysnappy sizes its output by the
 * header; hysnappy then checks every copy offset and the output's end, and any
 * failure (an error code or a WASM trap) becomes PageCorrupt.
 */
export function snappyDecompressWasm(input: Uint8Array, size: number): Uint8Array {
  skipSnappyLength(input, size);
  uncompress ??= snappyUncompressor();
  try {
    return uncompress(input, size);
  } catch (e) {
    throw new PageCorrupt(
      `snappy stream is corrupt: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}
