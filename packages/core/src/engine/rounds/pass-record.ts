/**
 * A merged pass as data: its task kind, the rows it read and its merged
 * state as bytes. The states of the exact fit's passes (accumulator, level
 * findings, refinement, residual sums) are plain objects of numbers,
 * strings, arrays, Maps and Float64Arrays, so Node's structured-clone
 * serializer (v8.serialize) writes every one of them exactly, bit for bit,
 * without a codec per kind. Typed arrays go in the host's byte order; the
 * files that hold these bytes record it (state-file.ts) and refuse the other.
 */
import { deserialize, serialize } from 'node:v8';
import type { PassCounts } from '../run/pass.js';

export interface PassRecord {
  readonly kind: string;
  readonly counts: PassCounts;
  /** v8.serialize of the merged state; undefined when the pass had no units. */
  readonly state: Uint8Array | undefined;
}

export const encodeState = (state: unknown): Uint8Array => new Uint8Array(serialize(state));

/**
 * The state, in buffers of its own: the deserializer makes aligned typed
 * arrays views of the bytes it reads, so it reads a copy — a merge that works
 * in place then never writes into a file's bytes or a record kept for the
 * next round document.
 */
export function decodeState<S>(bytes: Uint8Array | undefined): S | undefined {
  if (bytes === undefined) return undefined;
  // Buffer.alloc, not Buffer.from: small copies would share the allocation pool's slab.
  const own = Buffer.alloc(bytes.length);
  own.set(bytes);
  return deserialize(own) as S;
}

export const zeroCounts = (): PassCounts => ({
  rowsRead: 0,
  rowsUsed: 0,
  rowsDropped: 0,
  bytes: 0,
});

export function addCounts(a: PassCounts, b: PassCounts): PassCounts {
  return {
    rowsRead: a.rowsRead + b.rowsRead,
    rowsUsed: a.rowsUsed + b.rowsUsed,
    rowsDropped: a.rowsDropped + b.rowsDropped,
    bytes: a.bytes + b.bytes,
  };
}
