/** A growable Float64Array column: amortized O(1) appends of whole batches, no per-row objects. */
export class ColumnBuilder {
  #data: Float64Array;
  #length = 0;

  constructor(capacity: number) {
    this.#data = new Float64Array(Math.max(16, capacity));
  }

  get length(): number {
    return this.#length;
  }

  /** Append `rows` values of `src`; where `nulls[i] === 1` append NaN instead. */
  append(src: Float64Array, rows: number, nulls: Uint8Array | null = null): void {
    this.#reserve(this.#length + rows);
    const dst = this.#data;
    const at = this.#length;
    if (nulls === null) {
      dst.set(src.subarray(0, rows), at);
    } else {
      for (let i = 0; i < rows; i++) dst[at + i] = nulls[i] === 1 ? Number.NaN : (src[i] as number);
    }
    this.#length += rows;
  }

  /** The column with its exact length, backed by its own buffer (so it can be transferred). */
  finish(): Float64Array {
    return this.#length === this.#data.length ? this.#data : this.#data.slice(0, this.#length);
  }

  #reserve(size: number): void {
    if (size <= this.#data.length) return;
    const grown = new Float64Array(Math.max(size, this.#data.length * 2));
    grown.set(this.#data.subarray(0, this.#length));
    this.#data = grown;
  }
}
