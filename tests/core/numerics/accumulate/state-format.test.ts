import { describe, expect, it } from 'vitest';
import {
  type AccumulatorState,
  createAccumulator,
  deserializeAccumulator,
  finalizeAccumulator,
  H_FLAGS,
  H_KIND,
  H_MAGIC,
  H_P,
  H_PAYLOAD_LENGTH,
  H_ROWS_POSITIVE,
  H_SUM_WEIGHTS,
  H_VERSION,
  mergeAccumulators,
  StateFormatError,
  serializeAccumulator,
  updateAccumulator,
} from '../../../../packages/core/src/numerics/accumulate/index.js';
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

/** A copy of the state's bytes with one header double replaced. */
function corrupt(s: AccumulatorState, index: number, value: number): ArrayBuffer {
  const copy = s.data.slice();
  copy[index] = value;
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
      // Same operations in the same order: identical bits.
      expect(revived.data).toEqual(direct.data);
      const other = createAccumulator({ kind, p: 5, intercept: true, weighted: false });
      updateAccumulator(other, slice(d, 0, 50));
      const merged = mergeAccumulators(
        deserializeAccumulator(serializeAccumulator(other)),
        revived,
      );
      expect(merged.data[5]).toBe(250);
    });
  }

  it('copies when the state is a view into a larger buffer', () => {
    const s = filled('qr');
    const big = new Float64Array(s.data.length + 8);
    big.set(s.data, 4);
    const view: AccumulatorState = { spec: s.spec, data: big.subarray(4, 4 + s.data.length) };
    const buf = serializeAccumulator(view);
    expect(buf).not.toBe(big.buffer);
    expect(new Float64Array(buf)).toEqual(s.data);
  });

  it('names the header field at fault', () => {
    const s = filled('normal');
    const cases: [string, ArrayBuffer, RegExp][] = [
      ['magic', corrupt(s, H_MAGIC, 12345), /magic.*not a linreg accumulator state/],
      ['version', corrupt(s, H_VERSION, 2), /version: format version 2 is not supported/],
      ['kind', corrupt(s, H_KIND, 7), /kind: unknown kind code 7/],
      ['p', corrupt(s, H_P, 2.5), /p: 2.5 is not a feature count/],
      ['flags', corrupt(s, H_FLAGS, 9), /flags: 9/],
      ['payload length', corrupt(s, H_PAYLOAD_LENGTH, 3), /payload length: header says 3/],
      ['rows', corrupt(s, H_ROWS_POSITIVE, 1e9), /rows: row counts/],
      ['sum of weights', corrupt(s, H_SUM_WEIGHTS, -1), /sum of weights/],
      ['length', s.data.slice(0, s.data.length - 3).buffer, /length: .* \(truncated\?\)/],
      [
        'length',
        new Uint8Array(serializeAccumulator(s)).slice(0, 100).buffer,
        /100 bytes is not a whole number/,
      ],
      ['length', new ArrayBuffer(64), /shorter than the 128-byte header/],
    ];
    for (const [field, buf, message] of cases) {
      const err = errorOf(buf);
      expect(err.field, field).toBe(field);
      expect(err.message).toMatch(message);
    }
    // A p that disagrees with the payload size is caught by the length check.
    expect(errorOf(corrupt(s, H_P, 4)).field).toBe('payload length');
  });
});
