import { snappyInstance } from './snappy-instance.js';

/**
 * Buffers carved out of the snappy decoder's WebAssembly memory, so that the
 * fast path's file reads land where the decoder reads its streams and its
 * batch columns are where it writes its pages: the decoder then works in
 * place (snappy-wasm.ts), instead of copying each compressed page into its
 * memory and each decompressed page out of it. The buffer pool
 * (buffer-pool.ts) serves its leases from here first.
 *
 * Growing a WebAssembly memory detaches its ArrayBuffer: every view of it
 * (a span a read is still filling, a batch column a consumer is reading)
 * would silently become empty. So the memory grows only while no region is
 * out: when a unit's first buffer is taken, to what the previous units asked
 * for at once (or the unit's own estimate, {@link arenaReserve}). A request
 * that does not fit while regions are out is refused (null; the pool serves
 * it from ordinary memory) and counted, so the next growth covers it.
 *
 * Regions: first fit in a free list kept in address order, freed ones merged
 * with their neighbours; starts and lengths are multiples of 64 bytes (SIMD
 * stores, Float64Array views). At most {@link ARENA_MAX_BYTES}: the memory
 * never shrinks, so that is what an idle thread may keep (as the pool's own
 * cap, 256 MiB).
 */
export const ARENA_MAX_BYTES = 256 * 2 ** 20;

const ALIGN = 64;
const WASM_PAGE = 65536;

/** Free blocks, by start address (parallel arrays). */
const freeAt: number[] = [];
const freeSize: number[] = [];
/** Regions out: start -> length. */
const live = new Map<number, number>();
let liveBytes = 0;
/** Bytes refused since the arena was last empty. */
let refused = 0;
/** The most bytes ever wanted at once (out plus refused): what the next growth aims at. */
let demand = 0;
/** Arena bounds in the module's memory, set on first use; base is -1 before. */
let base = -1;
let end = 0;
const growListeners: (() => void)[] = [];

/** Run `listener` whenever the arena grows (the pool drops the buffers it no longer needs). */
export function onArenaGrow(listener: () => void): void {
  growListeners.push(listener);
}

/**
 * `size` bytes (not zeroed) in the decoder's memory, or null when they do
 * not fit now (or without WebAssembly). Give it back with {@link arenaFree}.
 */
export function arenaTake(size: number): Uint8Array | null {
  const memory = snappyInstance()?.memory;
  if (memory === undefined || size === 0 || size > ARENA_MAX_BYTES) return null;
  const bytes = roundUp(size);
  if (live.size === 0) ensure(bytes);
  const at = firstFit(bytes);
  if (at < 0) {
    refused += bytes;
    demand = Math.max(demand, liveBytes + refused);
    return null;
  }
  live.set(at, bytes);
  liveBytes += bytes;
  demand = Math.max(demand, liveBytes + refused);
  return new Uint8Array(memory.buffer, at, size);
}

/**
 * When no region is out, grow to hold `bytes` (a unit's estimate of what it
 * will take at once) or what earlier units took, whichever is more; true
 * when the memory grew. With regions out it does nothing.
 */
export function arenaReserve(bytes: number): boolean {
  if (live.size > 0 || snappyInstance() === null) return false;
  return ensure(Math.min(roundUp(bytes), ARENA_MAX_BYTES));
}

/** Return a region taken by arenaTake (its view, as given); false for any other view. */
export function arenaFree(view: Uint8Array): boolean {
  const memory = snappyInstance()?.memory;
  if (memory === undefined || view.buffer !== memory.buffer) return false;
  const at = view.byteOffset;
  const bytes = live.get(at);
  if (bytes === undefined) return false;
  live.delete(at);
  liveBytes -= bytes;
  release(at, bytes);
  return true;
}

/** Whether `view` lies in the decoder's memory (the decoder then reads or writes it in place). */
export function inArena(view: Uint8Array): boolean {
  const memory = snappyInstance()?.memory;
  return memory !== undefined && view.buffer === memory.buffer;
}

/** What the arena holds now, for tests: its size, the bytes out, the regions out. */
export function arenaStats(): { size: number; liveBytes: number; regions: number } {
  return { size: base < 0 ? 0 : end - base, liveBytes, regions: live.size };
}

/** With nothing out: one free block of everything, grown first to max(bytes, demand) plus 1/8. */
function ensure(bytes: number): boolean {
  const module = snappyInstance();
  if (module === null) return false;
  const memory = module.memory;
  if (base < 0) base = roundUp(module.inputAt());
  const want = Math.min(Math.max(bytes, demand) * 1.125, ARENA_MAX_BYTES);
  let grew = false;
  if (base + want > memory.buffer.byteLength) {
    const pages = Math.ceil((base + want - memory.buffer.byteLength) / WASM_PAGE);
    try {
      memory.grow(pages);
      grew = true;
    } catch {
      // Out of address space or memory: the arena stays as it is; the pool serves the rest.
    }
  }
  end = Math.min(memory.buffer.byteLength, base + ARENA_MAX_BYTES);
  freeAt.length = 0;
  freeSize.length = 0;
  if (end > base) {
    freeAt.push(base);
    freeSize.push(end - base);
  }
  refused = 0;
  if (grew) for (const listener of growListeners) listener();
  return grew;
}

function firstFit(bytes: number): number {
  for (let k = 0; k < freeAt.length; k++) {
    const size = freeSize[k] as number;
    if (size < bytes) continue;
    const at = freeAt[k] as number;
    if (size === bytes) {
      freeAt.splice(k, 1);
      freeSize.splice(k, 1);
    } else {
      freeAt[k] = at + bytes;
      freeSize[k] = size - bytes;
    }
    return at;
  }
  return -1;
}

/** Put [at, at + bytes) back in the free list, merged with free neighbours. */
function release(at: number, bytes: number): void {
  let k = 0;
  while (k < freeAt.length && (freeAt[k] as number) < at) k++;
  const before = k - 1;
  const joinsBefore =
    before >= 0 && (freeAt[before] as number) + (freeSize[before] as number) === at;
  const joinsAfter = k < freeAt.length && at + bytes === freeAt[k];
  if (joinsBefore && joinsAfter) {
    freeSize[before] = (freeSize[before] as number) + bytes + (freeSize[k] as number);
    freeAt.splice(k, 1);
    freeSize.splice(k, 1);
  } else if (joinsBefore) {
    freeSize[before] = (freeSize[before] as number) + bytes;
  } else if (joinsAfter) {
    freeAt[k] = at;
    freeSize[k] = (freeSize[k] as number) + bytes;
  } else {
    freeAt.splice(k, 0, at);
    freeSize.splice(k, 0, bytes);
  }
}

function roundUp(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}
