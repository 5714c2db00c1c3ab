/**
 * Where a batch's kept rows came from: after rows are dropped (missing
 * values) or filtered (`--where`), row i of what is left was row place[i]
 * before. Top-row lists and the report name rows as read, so they map back
 * through this. The buffer is reused across batches (no allocation per batch
 * once it is large enough).
 */
export class KeptRows {
  #place = new Int32Array(0);

  /**
   * Positions of the first `n` rows with `mask[i] === keep`, in order. The
   * returned array is this object's buffer, valid until the next call.
   */
  of(mask: Uint8Array, n: number, keep: 0 | 1): Int32Array {
    if (this.#place.length < n) this.#place = new Int32Array(Math.max(n, 2 * this.#place.length));
    const place = this.#place;
    let k = 0;
    for (let i = 0; k < n; i++) if (mask[i] === keep) place[k++] = i;
    return place;
  }
}
