/** What every scratch starts with (shared: a wide unit makes a thousand). */
const NO_BUFFER = new ArrayBuffer(0);

/**
 * Typed-array views need their byte offset to be a multiple of the element
 * size. Page bodies start wherever the levels end, so a view is zero-copy only
 * when it happens to be aligned; otherwise the bytes are copied once into this
 * reusable buffer (grown geometrically, never shrunk). One scratch per column
 * decoder, so two decoders never share it.
 */
export class AlignedScratch {
  private buffer = NO_BUFFER;

  /** bytes[pos, pos + length) as a Uint8Array whose byteOffset is a multiple of 8. */
  aligned(bytes: Uint8Array, pos: number, length: number): Uint8Array {
    if ((bytes.byteOffset + pos) % 8 === 0) return bytes.subarray(pos, pos + length);
    const target = this.take(length);
    target.set(bytes.subarray(pos, pos + length));
    return target;
  }

  /** A writable region of `length` bytes at offset 0 of the scratch (contents undefined). */
  take(length: number): Uint8Array {
    if (this.buffer.byteLength < length) {
      this.buffer = new ArrayBuffer(Math.max(length, this.buffer.byteLength * 2, 64));
    }
    return new Uint8Array(this.buffer, 0, length);
  }
}
