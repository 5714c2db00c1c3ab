/**
 * Reusable work buffers for the accumulator kernels, one set per thread
 * (module state is per worker thread in Node). Buffers only grow, so a
 * steady stream of batches allocates nothing after the first one.
 *
 * Each caller takes a distinct slot, so two buffers in use at the same time
 * never alias. The kernels are synchronous: a slot is never held across an
 * `await`, so there is no re-entrancy.
 */

/** The column-major row block being annihilated or accumulated. */
export const SLOT_BLOCK = 0;
/** Per-row square roots of the weights of one block. */
export const SLOT_ROOT_WEIGHTS = 1;
/** Column-major copy of the second triangle during a merge. */
export const SLOT_MERGE_TRIANGLE = 2;

/** One of the SLOT_* constants; each is an independent buffer. */
export type ScratchSlot = typeof SLOT_BLOCK | typeof SLOT_ROOT_WEIGHTS | typeof SLOT_MERGE_TRIANGLE;

const buffers: Float64Array[] = [new Float64Array(0), new Float64Array(0), new Float64Array(0)];

/**
 * A buffer of at least `length` doubles for `slot`. Its contents are
 * unspecified (left over from the previous use) unless `zero` is set.
 */
export function scratch(slot: ScratchSlot, length: number, zero = false): Float64Array {
  let buf = buffers[slot] as Float64Array;
  if (buf.length < length) {
    buf = new Float64Array(Math.max(length, buf.length * 2));
    buffers[slot] = buf;
  } else if (zero) {
    buf.fill(0, 0, length);
  }
  return buf;
}
