/**
 * The WebAssembly SIMD kernel module (packages/core/wasm/kernels.ts, built
 * into kernels-binary.ts): validated and instantiated synchronously on first
 * use, once per thread (module state is per worker thread in Node), and its
 * memory — which it never allocates from itself — laid out and grown here.
 *
 * The module is used only when the engine validates it (f64x2 SIMD support)
 * and the environment variable LINREG_KERNELS is not `js`; otherwise callers
 * keep the plain-JS kernels, which compute the same bits.
 */

import { WasmKernelUnavailableError } from '@linreg/errors';
import { KERNELS_WASM_BASE64 } from './kernels-binary.js';
import { instantiateBase64, PAGE_BYTES, type WasmMemory } from './wasm-instance.js';

/** The module's exports (see wasm/kernels.ts); every pointer is a byte offset into `memory`. */
export interface KernelExports {
  readonly memory: WasmMemory;
  annihilate(r: number, k: number, b: number, s: number, rows: number, triangular: number): void;
  syrkUpperAdd(rows: number, q: number, a: number, s: number, c: number, ldc: number): void;
  leverageChunk(q: number, rk: number, z: number, ldz: number, len: number, ss: number): void;
  slabMaxAbs(slab: number, slabCol: number, rows: number, count: number, out: number): void;
  qrSlab(
    r: number,
    k: number,
    block: number,
    s: number,
    blockRows: number,
    slab: number,
    slabLd: number,
    rows: number,
    intercept: number,
    w: number,
    rootW: number,
  ): void;
  gramSlab(
    c: number,
    q: number,
    block: number,
    s: number,
    blockRows: number,
    slab: number,
    slabLd: number,
    rows: number,
    means: number,
    w: number,
    rootW: number,
  ): void;
  invertUpperBlock(t: number, ld: number, n: number, j0: number, c: number, inv: number): void;
  transposeUpperRows(
    t: number,
    ld: number,
    m: number,
    i0: number,
    i1: number,
    tt: number,
    stride: number,
  ): void;
  gramApply(
    t: number,
    ld: number,
    tt: number,
    m: number,
    stride: number,
    scale: number,
    v: number,
    tv: number,
    next: number,
  ): void;
}

/**
 * Rows per block, as the JS paths' QR_BLOCK_ROWS (qr-accumulator.ts) and
 * BLOCK_ROWS (comoments.ts): the kernels reproduce the JS results bit for bit
 * only with the same blocking.
 */
export const KERNEL_BLOCK_ROWS = 128;

/**
 * Rows per slab: the batch columns are copied into module memory this many
 * rows at a time (one copy per column per slab, bounding the module memory
 * at about SLAB_ROWS·(k + 1) doubles), and the module forms and folds the
 * blocks of a slab itself. A multiple of KERNEL_BLOCK_ROWS, so the blocks
 * fall where the JS path's do.
 */
export const SLAB_ROWS = 2048;

/** First byte the kernels' buffers use; the module has no static data below it. */
const HEAP_BASE_BYTES = 64;

let loaded: KernelExports | null | undefined;
let heap = new Float64Array(0);

function instantiate(): KernelExports | null {
  return instantiateBase64(KERNELS_WASM_BASE64) as KernelExports | null;
}

function kernelsDisabled(): boolean {
  return typeof process !== 'undefined' && process.env.LINREG_KERNELS === 'js';
}

/**
 * True when the WebAssembly SIMD kernels can be used: the module validates
 * and instantiates on this engine and LINREG_KERNELS is not `js` (read on
 * every call, so tests can switch paths at run time).
 */
export function wasmKernelsAvailable(): boolean {
  if (kernelsDisabled()) return false;
  if (loaded === undefined) loaded = instantiate();
  return loaded !== null;
}

/** The instantiated module; throws WasmKernelUnavailableError naming `kernel` if unavailable. */
export function kernelExports(kernel: string): KernelExports {
  if (!wasmKernelsAvailable() || loaded == null) throw new WasmKernelUnavailableError(kernel);
  return loaded;
}

/**
 * A Float64Array view of the module memory holding at least `doubles`
 * doubles from index heapStart(); grows the memory (never shrinks it) and
 * returns a fresh view after a growth, when the old buffer is detached.
 * The view stays valid until the next call.
 */
export function heapView(ex: KernelExports, doubles: number): Float64Array {
  const bytes = HEAP_BASE_BYTES + doubles * 8;
  const have = ex.memory.buffer.byteLength;
  if (have < bytes) ex.memory.grow(Math.ceil((bytes - have) / PAGE_BYTES));
  if (heap.buffer !== ex.memory.buffer) heap = new Float64Array(ex.memory.buffer);
  return heap;
}

/** Index in the heap view of the first usable double (16-byte aligned). */
export function heapStart(): number {
  return HEAP_BASE_BYTES / 8;
}

/** `n` rounded up to an even count, so the next region stays 16-byte aligned for f64x2. */
export function evenUp(n: number): number {
  return (n + 1) & ~1;
}
