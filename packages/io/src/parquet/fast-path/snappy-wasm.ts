import { PageCorrupt } from './page-corrupt.js';
import { skipSnappyLength, snappyDecompress } from './snappy.js';
import { SNAPPY_WASM_BASE64 } from './snappy-binary.js';

/** The subset of the WebAssembly JS API used here (not in lib ES2022). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
}
declare const WebAssembly: WasmApi | undefined;

/** The exports of packages/io/wasm/snappy.ts; pointers are byte offsets into `memory`. */
interface SnappyExports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  uncompress(inPtr: number, inLen: number, outPtr: number, outLen: number): number;
  /** Where the input may start: past the module's own tables. */
  inputAt(): number;
}

const PAGE_BYTES = 65536;
/** Slack the decoder may read past the input and write past the output (snappy.ts SLACK). */
const SLACK_BYTES = 16;

/** What the module's negative return codes mean. */
const ERRORS: Record<number, string> = {
  [-1]: 'a literal length is truncated',
  [-2]: 'a literal runs past its buffer',
  [-3]: 'a copy is truncated',
  [-4]: 'a copy is out of bounds',
  [-5]: 'the stream ended before the page was full',
};

/** One instance per thread, made on first use; null when WebAssembly is unavailable. */
let loaded: SnappyExports | null | undefined;
/** Where the input goes in the module's memory (its inputAt(), asked once). */
let inputAt = 0;

function instantiate(): SnappyExports | null {
  if (typeof WebAssembly === 'undefined') return null;
  const bytes = new Uint8Array(Buffer.from(SNAPPY_WASM_BASE64, 'base64'));
  if (!WebAssembly.validate(bytes)) return null;
  try {
    const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), {})
      .exports as SnappyExports;
    inputAt = exports.inputAt();
    return exports;
  } catch {
    return null;
  }
}

/**
 * Decode a snappy stream of `size` bytes into `out` (exactly `size` bytes)
 * with our WASM decoder (packages/io/wasm/snappy.ts): the stream body is
 * copied into module memory, decoded there, and the page copied out — two
 * native copies and no allocation once the memory has grown to the largest
 * page. The stream's length header is checked against `size` first; the
 * module checks every length and offset, and a failure becomes PageCorrupt.
 * Without WebAssembly the JS decoder does the same work.
 */
export function snappyDecompressWasm(input: Uint8Array, size: number, out: Uint8Array): void {
  const start = skipSnappyLength(input, size);
  loaded ??= instantiate();
  if (loaded === null) {
    snappyDecompress(input, out);
    return;
  }
  const inLen = input.length - start;
  // Output 16-byte aligned (for the SIMD stores' speed, not correctness) past the input's slack.
  const outAt = (inputAt + inLen + SLACK_BYTES + 15) & ~15;
  const need = outAt + size + SLACK_BYTES;
  const memory = loaded.memory;
  const have = memory.buffer.byteLength;
  if (have < need) memory.grow(Math.ceil((need - have) / PAGE_BYTES));
  const heap = new Uint8Array(memory.buffer);
  heap.set(input.subarray(start), inputAt);
  const rc = loaded.uncompress(inputAt, inLen, outAt, size);
  if (rc !== 0) throw new PageCorrupt(`snappy stream is corrupt: ${ERRORS[rc] ?? `code ${rc}`}`);
  out.set(heap.subarray(outAt, outAt + size));
}
