/**
 * Recycles the large byte buffers of the fast path (compressed column chunks,
 * decompressed pages) from one unit to the next in the same thread. Without
 * it every unit allocates its row group's size twice over in fresh memory,
 * and the kernel zeroing those pages plus the collector freeing them cost
 * more CPU than decoding. A read takes buffers through a {@link BufferLease}
 * and gives them all back when it ends; nothing it yields points into them
 * (batches are copies), so reuse is safe. Memory is not zeroed: every byte a
 * reader looks at was written by the file read or the decompressor first.
 */
export type Allocate = (size: number) => Uint8Array;

/** Buffers kept for reuse at most (bytes), so an idle worker holds little. */
const CAPACITY = 256 * 2 ** 20;
const free: ArrayBuffer[] = [];
let freeBytes = 0;

export class BufferLease {
  private readonly taken: ArrayBuffer[] = [];

  /** `size` bytes at offset 0 (so 8-byte aligned) of a recycled or new buffer. */
  readonly take: Allocate = (size) => {
    let best = -1;
    for (let i = 0; i < free.length; i++) {
      const b = free[i] as ArrayBuffer;
      if (
        b.byteLength >= size &&
        (best < 0 || b.byteLength < (free[best] as ArrayBuffer).byteLength)
      )
        best = i;
    }
    let buffer: ArrayBuffer;
    if (best >= 0) {
      buffer = free[best] as ArrayBuffer;
      free.splice(best, 1);
      freeBytes -= buffer.byteLength;
    } else {
      const fresh = Buffer.allocUnsafeSlow(size);
      buffer = fresh.buffer as ArrayBuffer;
    }
    this.taken.push(buffer);
    return new Uint8Array(buffer, 0, size);
  };

  /** Return every buffer taken; none may be used afterwards. */
  release(): void {
    for (const b of this.taken) {
      if (freeBytes + b.byteLength > CAPACITY) continue;
      free.push(b);
      freeBytes += b.byteLength;
    }
    this.taken.length = 0;
  }
}
