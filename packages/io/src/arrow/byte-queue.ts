/**
 * Exact-length reads from a byte source that arrives in chunks of any size
 * (standard input, a file stream). Nothing is allocated ahead of the bytes:
 * a read of n bytes gathers the chunks as they come and copies once, so a
 * length field that claims gigabytes costs only the bytes actually sent.
 */
export class ByteQueue {
  private readonly chunks: Uint8Array[] = [];
  private buffered = 0;
  private ended = false;
  private readonly iterator: AsyncIterator<Uint8Array | string>;
  /** Total bytes read so far (the position in the source of the next byte). */
  position = 0;

  constructor(source: AsyncIterable<Uint8Array | string>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** The next `n` bytes, or fewer when the source ends first (then all that was left). */
  async read(n: number): Promise<Uint8Array> {
    while (this.buffered < n && !this.ended) {
      const next = await this.iterator.next();
      if (next.done === true) {
        this.ended = true;
        break;
      }
      const chunk =
        typeof next.value === 'string' ? new TextEncoder().encode(next.value) : next.value;
      if (chunk.byteLength === 0) continue;
      this.chunks.push(chunk);
      this.buffered += chunk.byteLength;
    }
    const take = Math.min(n, this.buffered);
    this.position += take;
    this.buffered -= take;
    const first = this.chunks[0];
    if (first !== undefined && first.byteLength >= take) {
      // The common case: inside one chunk, no copy.
      const out = first.subarray(0, take);
      if (first.byteLength === take) this.chunks.shift();
      else this.chunks[0] = first.subarray(take);
      return out;
    }
    const out = new Uint8Array(take);
    let at = 0;
    while (at < take) {
      const chunk = this.chunks[0] as Uint8Array;
      const part = Math.min(chunk.byteLength, take - at);
      out.set(chunk.subarray(0, part), at);
      at += part;
      if (part === chunk.byteLength) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(part);
    }
    return out;
  }

  /** Stops reading the source (ends a pending read of a Node stream's iterator). */
  async close(): Promise<void> {
    this.ended = true;
    await this.iterator.return?.();
  }
}
