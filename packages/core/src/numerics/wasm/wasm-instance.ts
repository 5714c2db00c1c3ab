/**
 * Instantiates a WebAssembly module shipped as base64, synchronously, or
 * gives null where it cannot run: no WebAssembly, or an engine without the
 * SIMD proposal (validate() is false), so callers keep their JS paths.
 */

/** The subset of the WebAssembly JS API used here (not in lib ES2022). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
}
declare const WebAssembly: WasmApi | undefined;

/** Bytes per page of WebAssembly memory. */
export const PAGE_BYTES = 65536;

/** The module's exports, or null when it cannot be used on this engine. */
export function instantiateBase64(base64: string): object | null {
  if (typeof WebAssembly === 'undefined') return null;
  const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
  if (!WebAssembly.validate(bytes)) return null;
  try {
    return new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;
  } catch {
    return null;
  }
}
