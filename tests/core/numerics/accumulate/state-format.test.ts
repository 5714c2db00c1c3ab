import { StateFormatError } from '@linreg/errors';
import { describe, expect, it } from 'vitest';
import {
  type AccumulatorState,
  createAccumulator,
  deserializeAccumulator,
  finalizeAccumulator,
  H_ACCUMULATOR_KIND,
  H_FLAGS,
  H_P,
  H_ROWS,
  H_ROWS_POSITIVE,
  H_SUM_LOG_WEIGHTS,
  H_SUM_WEIGHTS,
  HEADER_LENGTH,
  mergeAccumulators,
  serializeAccumulator,
  updateAccumulator,
} from '../../../../packages/core/src/numerics/accumulate/index.js';
import {
  PREFIX_LENGTH,
  S_KIND,
  S_MAGIC,
  S_PAYLOAD_LENGTH,
  S_VERSION,
  sealState,
} from '../../../../packages/core/src/numerics/state/index.js';
import type { AccumulatorKind } from '../../../../packages/core/src/numerics/types.js';
import { realDataset, slice } from './accumulator-reference.js';

const kinds: AccumulatorKind[] = ['qr', 'normal'];

function filled(kind: AccumulatorKind, weighted = false): AccumulatorState {
  const d = realDataset(150, 5, 21);
  const s = createAccumulator({ kind, p: 5, intercept: true, weighted });
  const w = weighted ? Float64Array.from({ length: 150 }, (_, i) => (i % 5) * 0.5) : undefined;
  updateAccumulator(s, slice({ ...d, w }, 0, 150));
  return s;
}

/**
 * A copy of the state's bytes with one header double replaced and the checksum
 * recomputed, as a buggy writer would produce (else the checksum catches it first).
 */
function corrupt(s: AccumulatorState, index: number, value: number): ArrayBuffer {
  const copy = s.data.slice();
  copy[index] = value;
  sealState(copy);
  return copy.buffer;
}

function errorOf(buf: ArrayBuffer): StateFormatError {
  try {
    deserializeAccumulator(buf);
  } catch (e) {
    expect(e).toBeInstanceOf(StateFormatError);
    return e as StateFormatError;
  }
  throw new Error('expected deserializeAccumulator to throw');
}

describe('accumulator state format', () => {
  for (const kind of kinds) {
    it(`${kind}: round-trips bit-exactly and without a copy`, () => {
      const s = filled(kind, true);
      const buf = serializeAccumulator(s);
      expect(buf).toBe(s.data.buffer);
      // Through a byte copy, as a file or a structured clone would do.
      const bytes = new Uint8Array(buf).slice();
      const back = deserializeAccumulator(bytes.buffer);
      expect(back.spec).toEqual(s.spec);
      expect(new Uint8Array(back.data.buffer)).toEqual(new Uint8Array(buf));
      expect(finalizeAccumulator(back)).toEqual(finalizeAccumulator(s));
    });

    it(`${kind}: a deserialized state keeps accumulating and merging`, () => {
      const d = realDataset(200, 5, 22);
      const direct = createAccumulator({ kind, p: 5, intercept: true, weighted: false });
      updateAccumulator(direct, slice(d, 0, 120));
      updateAccumulator(direct, slice(d, 120, 200));
      const first = createAccumulator({ kind, p: 5, intercept: true, weighted: false });
      updateAccumulator(first, slice(d, 0, 120));
      const revived = deserializeAccumulator(
        new Uint8Array(serializeAccumulator(first)).slice().buffer,
      );
      updateAccumulator(revived, slice(d, 120, 200));
      // Same operations in the same order: identical bits (checksums included).
      expect(new Uint8Array(serializeAccumulator(revived))).toEqual(
        new Uint8Array(serializeAccumulator(direct)),
      );
      const other = createAccumulator({ kind, p: 5, intercept: true, weighted: false });
      updateAccumulator(other, slice(d, 0, 50));
      const merged = mergeAccumulators(
        deserializeAccumulator(serializeAccumulator(other)),
        revived,
      );
      expect(merged.data[H_ROWS]).toBe(250);
    });
  }

  it('copies when the state is a view into a larger buffer', () => {
    const s = filled('qr');
    const big = new Float64Array(s.data.length + 8);
    big.set(s.data, 4);
    const view: AccumulatorState = { spec: s.spec, data: big.subarray(4, 4 + s.data.length) };
    const buf = serializeAccumulator(view);
    expect(buf).not.toBe(big.buffer);
    expect(new Float64Array(buf)).toEqual(new Float64Array(serializeAccumulator(s)));
    expect(deserializeAccumulator(buf).spec).toEqual(s.spec);
  });

  it('names the header field at fault', () => {
    const s = filled('normal');
    const sealed = () => new Uint8Array(serializeAccumulator(s)).slice().buffer;
    const cases: [string, ArrayBuffer, RegExp][] = [
      ['magic', corrupt(s, S_MAGIC, 12345), /magic: .*not a linreg state/],
      ['kind', corrupt(s, S_KIND, 7), /kind: unknown state kind code 7/],
      ['version', corrupt(s, S_VERSION, 2), /version: format version 2 is not supported/],
      ['accumulator kind', corrupt(s, H_ACCUMULATOR_KIND, 7), /accumulator kind: unknown code 7/],
      ['p', corrupt(s, H_P, 2.5), /p: 2.5 is not a feature count/],
      ['flags', corrupt(s, H_FLAGS, 9), /flags: 9/],
      ['length', corrupt(s, S_PAYLOAD_LENGTH, 3), /length: .* 3 payload doubles/],
      ['rows', corrupt(s, H_ROWS_POSITIVE, 1e9), /rows: row counts/],
      ['sum of weights', corrupt(s, H_SUM_WEIGHTS, -1), /sum of weights/],
      ['sum of log weights', corrupt(s, H_SUM_LOG_WEIGHTS, Number.NaN), /not finite/],
      ['length', sealed().slice(0, s.data.byteLength - 24), /length: .* \(truncated\?\)/],
      ['length', sealed().slice(0, 100), /100 bytes is not a whole number/],
      ['length', new ArrayBuffer(48), /shorter than the 56-byte common header/],
    ];
    for (const [field, buf, message] of cases) {
      const err = errorOf(buf);
      expect(err.field, field).toBe(field);
      expect(err.message).toMatch(message);
    }
    // A p that disagrees with the payload size is caught by the payload check.
    expect(errorOf(corrupt(s, H_P, 4)).field).toBe('payload length');
    // The accumulator's fields follow the common prefix.
    expect(H_ACCUMULATOR_KIND).toBe(PREFIX_LENGTH);
    expect(s.data.length - HEADER_LENGTH).toBe(2 * 6 + 6 * 6);
  });

  it('refuses a header field changed after serialization by its checksum', () => {
    const s = filled('qr', true);
    const copy = new Float64Array(serializeAccumulator(s).slice(0));
    copy[H_ROWS] += 1;
    expect(errorOf(copy.buffer).field).toBe('checksum');
  });
});
