/**
 * XXH32's stripe loop on its own small WebAssembly SIMD module
 * (wasm/checksum.ts, built into checksum-binary.ts), for the state checksum
 * (state/checksum.ts): the words are copied into the module's memory a chunk
 * at a time and folded into the four lanes there. Integer arithmetic mod
 * 2³², so the same hash as the JS loop on every engine.
 *
 * Why: every state a worker hands over is hashed twice (sealed in the
 * worker, verified on the main thread). The JS loop runs a few times per
 * process, mostly before V8 has optimized it (≈ 9 ms for an 80 KB state on
 * the main thread of the CLI); WebAssembly is compiled before its first run.
 *
 * Its own module and memory, not the kernels' (kernel-module.ts): a state
 * may be hashed while another kernel keeps data in that memory (the SGD
 * rows of an epoch). Used unless LINREG_KERNELS is `js` or the engine lacks
 * SIMD, like the kernels.
 */
import { CHECKSUM_WASM_BASE64 } from './checksum-binary.js';
import { instantiateBase64, PAGE_BYTES, type WasmMemory } from './wasm-instance.js';

interface ChecksumExports {
  readonly memory: WasmMemory;
  xxh32Stripes(stripes: number): void;
}

/** Byte offsets of the lanes and of the first stripe (wasm/checksum.ts). */
const ACC_BYTES = 64;
const DATA_BYTES = 80;
/** Words copied in per call: 64 KiB. */
const CHUNK_WORDS = 16384;

let loaded: ChecksumExports | null | undefined;

function instantiate(): ChecksumExports | null {
  const ex = instantiateBase64(CHECKSUM_WASM_BASE64) as ChecksumExports | null;
  if (ex === null) return null;
  const need = DATA_BYTES + CHUNK_WORDS * 4;
  const have = ex.memory.buffer.byteLength;
  if (have < need) ex.memory.grow(Math.ceil((need - have) / PAGE_BYTES));
  return ex;
}

/**
 * Folds the first `stripes` 16-byte stripes of `words` into XXH32's lanes
 * (in and out), with words `skip` and `skip + 1` read as zero. Returns false,
 * doing nothing, when the module cannot be used (the caller runs its JS loop).
 */
export function wasmXxh32Stripes(
  words: Uint32Array,
  stripes: number,
  skip: number,
  lanes: Int32Array,
): boolean {
  if (typeof process !== 'undefined' && process.env.LINREG_KERNELS === 'js') return false;
  if (loaded === undefined) loaded = instantiate();
  if (loaded === null) return false;
  const ex = loaded;
  const mem = new Uint32Array(ex.memory.buffer);
  const acc = new Int32Array(ex.memory.buffer, ACC_BYTES, 4);
  const data = DATA_BYTES / 4;
  acc.set(lanes);
  const total = stripes * 4;
  for (let i0 = 0; i0 < total; i0 += CHUNK_WORDS) {
    const n = Math.min(CHUNK_WORDS, total - i0);
    mem.set(words.subarray(i0, i0 + n), data);
    if (skip >= i0 && skip < i0 + n) mem[data + skip - i0] = 0;
    if (skip + 1 >= i0 && skip + 1 < i0 + n) mem[data + skip + 1 - i0] = 0;
    ex.xxh32Stripes(n / 4);
  }
  lanes.set(acc);
  return true;
}
