/**
 * A merged pass as data: its task kind, the rows it read and its merged
 * state as bytes. The states of the exact fit's passes (accumulator, level
 * findings, refinement, residual sums) are plain objects of numbers,
 * strings, arrays and typed arrays, written by our own documented value
 * encoding (value-codec.ts, docs/state-format.md "Value encoding"), bit for
 * bit, without a codec per kind and whatever Node version reads them.
 */
import type { PassCounts } from '../run/pass.js';
import { decodeValue, encodeValue } from './value-codec.js';

export interface PassRecord {
  readonly kind: string;
  readonly counts: PassCounts;
  /** The merged state's value encoding; undefined when the pass had no units. */
  readonly state: Uint8Array | undefined;
}

export const encodeState = (state: unknown): Uint8Array => encodeValue(state);

/**
 * The state, in buffers of its own (the decoder copies every typed array):
 * a merge that works in place then never writes into a file's bytes or a
 * record kept for the next round document. `file` (and `where`) name the
 * source in the error a damaged state gives.
 */
export function decodeState<S>(
  bytes: Uint8Array | undefined,
  file: string,
  where?: string,
): S | undefined {
  if (bytes === undefined) return undefined;
  return decodeValue(bytes, file, where) as S;
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
