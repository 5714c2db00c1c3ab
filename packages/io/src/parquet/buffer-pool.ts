import { arenaFree, arenaReserve, arenaTake, onArenaGrow } from './fast-path/wasm-arena.js';

/**
 * Recycles the large byte buffers of the fast path (compressed column chunks,
 * decompressed pages, reused batch columns) from one unit to the next in the
 * same thread. A lease takes them from the snappy decoder's memory first
 * (fast-path/wasm-arena.ts: file reads land where the decoder reads, pages
 * decode straight into batch columns), and from the free lists below when
 * the arena has no room. Without
 * it every unit allocates its row group's size twice over in fresh memory,
 * and the kernel zeroing those pages plus the collector freeing them cost
 * more CPU than decoding. A read takes buffers through a {@link BufferLease}
 * and gives them all back when it ends; nothing it yields points into them
 * (batches are copies), so reuse is safe. Memory is not zeroed: every byte a
 * reader looks at was written by the file read or the decompressor first.
 *
 * Free buffers are kept by size class (see {@link sizeClass}), so taking one
 * is a map lookup: a wide unit takes thousands of buffers (1,000 columns ×
 * chunk, page and batch column), and a best-fit scan of the free list made
 * that quadratic (60–100 ms a unit on 20,000 × 1,000).
 */
export type Allocate = (size: number) => Uint8Array;

/** Buffers kept for reuse at most (bytes), so an idle worker holds little. */
const CAPACITY = 256 * 2 ** 20;
/** Smallest class: smaller requests share it (a page mask, a tiny chunk). */
const MIN_CLASS = 1024;
/** Above this a buffer is its exact size (such sizes are rare and unlikely to repeat). */
const MAX_CLASSED = 2 ** 30;
/** Free buffers by class size; every buffer in a list is exactly that size. */
const free = new Map<number, ArrayBuffer[]>();
let freeBytes = 0;

/**
 * The byte length of buffers that serve a request of `size` bytes: `size`
 * rounded up to one of eight steps between consecutive powers of two (at most
 * 12.5% over; the untouched tail of an unzeroed allocation costs no memory).
 * Any buffer of a class serves any request that rounds to it.
 */
export function sizeClass(size: number): number {
  if (size <= MIN_CLASS) return MIN_CLASS;
  if (size > MAX_CLASSED) return size;
  const base = 2 ** (31 - Math.clz32(size - 1)); // base < size <= 2 * base
  const step = base / 8;
  return base + Math.ceil((size - base) / step) * step;
}

export class BufferLease {
  private readonly taken: ArrayBuffer[] = [];
  /** Regions of the arena taken (given back to it, not to the free lists). */
  private readonly regions: Uint8Array[] = [];

  /** `useArena` false: ordinary buffers only (tests of the free lists). */
  constructor(private readonly useArena = true) {}

  /**
   * `size` bytes, 8-byte aligned (64 in the arena): a region of the arena,
   * else offset 0 of a recycled or new buffer.
   */
  readonly take: Allocate = (size) => {
    if (this.useArena) {
      const region = arenaTake(size);
      if (region !== null) {
        this.regions.push(region);
        return region;
      }
    }
    const bytes = sizeClass(size);
    let buffer = free.get(bytes)?.pop();
    if (buffer === undefined) {
      const fresh = Buffer.allocUnsafeSlow(bytes);
      buffer = fresh.buffer as ArrayBuffer;
    } else {
      freeBytes -= bytes;
    }
    this.taken.push(buffer);
    return new Uint8Array(buffer, 0, size);
  };

  /**
   * Return one buffer before the lease ends (a span every column of which is
   * decoded), so the unit's next take can reuse it; a view of a buffer this
   * lease did not take is ignored. It may not be used afterwards.
   */
  giveBack(view: Uint8Array): void {
    const region = this.regions.indexOf(view);
    if (region >= 0) {
      this.regions.splice(region, 1);
      arenaFree(view);
      return;
    }
    const at = this.taken.indexOf(view.buffer as ArrayBuffer);
    if (at < 0) return;
    this.taken.splice(at, 1);
    keep(view.buffer as ArrayBuffer);
  }

  /** Return every buffer taken; none may be used afterwards. */
  release(): void {
    for (const b of this.taken) keep(b);
    this.taken.length = 0;
    for (const r of this.regions) arenaFree(r);
    this.regions.length = 0;
  }

  /**
   * The read about to start will hold about `bytes` at once: let the arena
   * grow to that now if it can (only while no region is out anywhere).
   */
  expect(bytes: number): void {
    if (this.useArena) arenaReserve(bytes);
  }
}

// Once the arena has grown to what units take, the free lists' buffers would
// only sit there: let them be collected.
onArenaGrow(() => {
  free.clear();
  freeBytes = 0;
});

/** Puts a buffer on its class's free list, unless that would pass CAPACITY. */
function keep(b: ArrayBuffer): void {
  const bytes = b.byteLength;
  if (freeBytes + bytes > CAPACITY) return;
  let list = free.get(bytes);
  if (list === undefined) {
    list = [];
    free.set(bytes, list);
  }
  list.push(b);
  freeBytes += bytes;
}
