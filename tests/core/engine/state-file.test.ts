/**
 * The `.lrstate` container: what is written reads back bit for bit, and
 * each damage is refused by the check docs/state-format.md names, with the
 * file's name in the message.
 */
import { describe, expect, it } from 'vitest';
import { decodeState, encodeState } from '../../../packages/core/src/engine/rounds/pass-record.js';
import {
  decodePartialFile,
  decodePartialHeader,
  encodePartialFile,
  PARTIAL_PREFIX_BYTES,
  type PartialFile,
} from '../../../packages/core/src/engine/rounds/state-file.js';

const state = { spec: { p: 2 }, data: Float64Array.of(1, -0, Number.NaN, 2 ** -1074, Math.PI) };

const file: PartialFile = {
  header: {
    kind: 'linreg-partial',
    fingerprint: 'f'.repeat(64),
    spec: { target: 'y' },
    plan: { shards: [], columns: [], units: [] },
    units: 5,
    range: [1, 4],
    part: null,
    pass: { index: 0, kind: 'accumulate' },
    previous: null,
    counts: { rowsRead: 3, rowsUsed: 3, rowsDropped: 0, bytes: 10 },
    blocks: [],
  },
  states: [],
};

function withBlocks(): Uint8Array {
  const bytes = [encodeState(state), encodeState({ ...state, data: Float64Array.of(7) })];
  return encodePartialFile({
    header: {
      ...file.header,
      blocks: [
        { start: 1, level: 0, bytes: (bytes[0] as Uint8Array).length },
        { start: 2, level: 1, bytes: (bytes[1] as Uint8Array).length },
      ],
    },
    states: bytes,
  });
}

const refusal = (bytes: Uint8Array): string => {
  try {
    decodePartialFile(bytes, 'x.lrstate');
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
};

describe('state file container', () => {
  it('round-trips the header and every bit of the states', () => {
    const read = decodePartialFile(withBlocks(), 'x.lrstate');
    expect(read.header.range).toEqual([1, 4]);
    expect(read.states).toHaveLength(2);
    const back = decodeState<typeof state>(read.states[0], 'x.lrstate') as typeof state;
    const bytes = (a: Float64Array): Uint8Array =>
      new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    expect(bytes(back.data)).toEqual(bytes(state.data));
    // the decoded state does not write through to the file's bytes
    back.data[0] = 99;
    expect((decodeState<typeof state>(read.states[0], 'x.lrstate') as typeof state).data[0]).toBe(
      1,
    );
    expect(Object.is(back.data[1], -0)).toBe(true);
  });

  it('refuses each damage by its check, naming the file', () => {
    const good = withBlocks();
    const copy = (): Uint8Array => Uint8Array.from(good);
    const magic = copy();
    magic[0] = 0x41;
    expect(refusal(magic)).toMatch(/^x\.lrstate: not a linreg partial state file/);
    const order = copy();
    order.set(Uint8Array.from(good.subarray(8, 16)).reverse(), 8);
    expect(refusal(order)).toMatch(/^x\.lrstate: written on a big-endian machine/);
    const version = copy();
    new DataView(version.buffer).setUint32(16, 9, true);
    expect(refusal(version)).toMatch(/state file version 9; this linreg reads version 2/);
    expect(refusal(good.subarray(0, good.length - 1))).toMatch(/truncated state file/);
    expect(refusal(Uint8Array.of(...good, 0))).toMatch(/1 bytes after the end/);
    const flipped = copy();
    flipped[100] = (flipped[100] as number) ^ 0x10;
    expect(refusal(flipped)).toMatch(/^x\.lrstate: checksum mismatch/);
    expect(refusal(good)).toBe('accepted');
  });

  it("reads the header from the file's first bytes and its size, with the same refusals", () => {
    const good = withBlocks();
    const headerLength = new DataView(good.buffer).getUint32(20, true);
    const head = good.subarray(0, PARTIAL_PREFIX_BYTES + headerLength);
    const { header, headerEnd } = decodePartialHeader(head, good.length, 'x.lrstate');
    expect(header).toEqual(decodePartialFile(good, 'x.lrstate').header);
    expect(headerEnd).toBe(head.length);
    const headRefusal = (bytes: Uint8Array, size: number): string => {
      try {
        decodePartialHeader(bytes, size, 'x.lrstate');
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(headRefusal(head, good.length - 1)).toMatch(/^x\.lrstate: truncated state file/);
    expect(headRefusal(head, good.length + 3)).toMatch(/^x\.lrstate: 3 bytes after the end/);
    expect(headRefusal(head.subarray(0, head.length - 1), good.length)).toMatch(
      /^x\.lrstate: truncated state file header/,
    );
    const magic = Uint8Array.from(head);
    magic[0] = 0x41;
    expect(headRefusal(magic, good.length)).toMatch(/^x\.lrstate: not a linreg partial state file/);
    // The checksum covers the states: only decodePartialFile, which reads them, checks it.
    const flipped = Uint8Array.from(good);
    flipped[flipped.length - 40] = (flipped[flipped.length - 40] as number) ^ 0x10;
    expect(headRefusal(flipped.subarray(0, head.length), good.length)).toBe('accepted');
    expect(refusal(flipped)).toMatch(/^x\.lrstate: checksum mismatch/);
  });

  it('an empty slice is a valid file', () => {
    const read = decodePartialFile(encodePartialFile(file), 'empty.lrstate');
    expect(read.states).toEqual([]);
    expect(read.header.counts.rowsRead).toBe(3);
  });
});
