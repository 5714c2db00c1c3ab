import { SNAPPY_WASM_BASE64 } from './snappy-binary.js';

/** The subset of the WebAssembly JS API used here (not in lib ES2022). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
}
declare const WebAssembly: WasmApi | undefined;

/** The exports of packages/io/wasm/snappy.ts; pointers are byte offsets into `memory`. */
export interface SnappyExports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  /**
   * Decode the stream body at [inPtr, inPtr + inLen) into exactly outLen
   * bytes at outPtr: 0, or a negative code for a corrupt stream. Reads and
   * writes nothing outside those two regions.
   */
  uncompress(inPtr: number, inLen: number, outPtr: number, outLen: number): number;
  /** The first byte past the module's own tables (16-byte aligned). */
  inputAt(): number;
}

/** One instance per thread, made on first use; null when WebAssembly is unavailable. */
let loaded: SnappyExports | null | undefined;

/**
 * This thread's instance of our snappy decoder (packages/io/wasm/snappy.ts),
 * or null without WebAssembly. Its memory is also where the fast path's
 * buffers live when they can (wasm-arena.ts): only that module grows it.
 */
export function snappyInstance(): SnappyExports | null {
  loaded ??= instantiateSnappy();
  return loaded;
}

/** A new instance with a memory of its own (tests place streams in it), or null without WebAssembly. */
export function instantiateSnappy(): SnappyExports | null {
  if (typeof WebAssembly === 'undefined') return null;
  const bytes = new Uint8Array(Buffer.from(SNAPPY_WASM_BASE64, 'base64'));
  if (!WebAssembly.validate(bytes)) return null;
  try {
    return new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as SnappyExports;
  } catch {
    return null;
  }
}
