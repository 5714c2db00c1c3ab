/**
 * The common state header (packages/core/src/numerics/state, docs/state-format.md)
 * as every binary state uses it: round trips, the checksum, the other byte
 * order, and a buffer of one kind given to another kind's reader.
 */
import { readFileSync } from 'node:fs';
import { StateFormatError } from '@linreg/errors';
import { describe, expect, it } from 'vitest';
import {
  createAccumulator,
  createMoments,
  deserializeAccumulator,
  deserializeMoments,
  finalizeAccumulator,
  readMoments,
  serializeAccumulator,
  serializeMoments,
  updateAccumulator,
  updateMoments,
} from '../../../../packages/core/src/numerics/accumulate/index.js';
import {
  DiagnosticsAccumulator,
  deserializeDiagnosticsState,
  diagnosticsSums,
  serializeDiagnosticsState,
} from '../../../../packages/core/src/numerics/diagnostics/index.js';
import {
  deserializeMeatState,
  MeatAccumulator,
  meatHighLeverageRows,
  meatMatrix,
  meatRows,
  serializeMeatState,
} from '../../../../packages/core/src/numerics/meat/index.js';
import {
  createRefineState,
  deserializeRefineState,
  refineCoefficients,
  refineRows,
  serializeRefineState,
  updateRefineState,
} from '../../../../packages/core/src/numerics/refine/index.js';
import {
  ACCUMULATOR_STATE,
  BYTE_ORDER_MARK,
  DIAGNOSTICS_STATE,
  headerLength,
  MEAT_STATE,
  MOMENTS_STATE,
  PREFIX_LENGTH,
  REFINE_STATE,
  S_BYTE_ORDER,
  S_CHECKSUM,
  S_HEADER_LENGTH,
  STATE_LAYOUTS,
  STATE_MAGIC,
  type StateLayout,
  sealState,
  stateChecksum,
} from '../../../../packages/core/src/numerics/state/index.js';
import type { DesignBatch } from '../../../../packages/core/src/numerics/types.js';

const P = 3;

function batch(rows: number, seed: number): DesignBatch {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
  const x = Array.from({ length: P }, () => Float64Array.from({ length: rows }, next));
  const y = Float64Array.from({ length: rows }, (_, i) => 1 + x[0][i] - 2 * x[2][i] + next() / 10);
  const w = Float64Array.from({ length: rows }, (_, i) => (i % 4) * 0.5);
  return { rows, x, y, w };
}

/** One filled state of each kind, its reader, and what must survive a round trip. */
interface Case {
  readonly name: string;
  readonly layout: StateLayout;
  /** A fresh filled state's bytes, sealed (the state's own buffer). */
  readonly make: () => ArrayBuffer;
  readonly read: (buf: ArrayBuffer) => unknown;
  /** What a reader must reproduce, from a deserialized state. */
  readonly summary: (buf: ArrayBuffer) => unknown;
}

const spec = { kind: 'qr', p: P, intercept: true, weighted: true } as const;
const beta = Float64Array.of(1, 1, 0, -2);

const cases: Case[] = [
  ...(['qr', 'normal'] as const).map(
    (kind): Case => ({
      name: `accumulator (${kind})`,
      layout: ACCUMULATOR_STATE,
      make: () => {
        const s = createAccumulator({ ...spec, kind });
        updateAccumulator(s, batch(40, 1));
        return serializeAccumulator(s);
      },
      read: deserializeAccumulator,
      summary: (buf) => finalizeAccumulator(deserializeAccumulator(buf)),
    }),
  ),
  ...[true, false].map(
    (gram): Case => ({
      name: `refine (${gram ? 'with' : 'without'} Gram)`,
      layout: REFINE_STATE,
      make: () => {
        const s = createRefineState(spec, beta, { gram });
        updateRefineState(s, batch(40, 2));
        return serializeRefineState(s);
      },
      read: deserializeRefineState,
      summary: (buf) => {
        const s = deserializeRefineState(buf);
        return {
          spec: s.spec,
          m: s.m,
          gram: s.gram,
          rows: refineRows(s),
          beta: refineCoefficients(s),
        };
      },
    }),
  ),
  {
    name: 'moments',
    layout: MOMENTS_STATE,
    make: () => {
      const s = createMoments(P);
      updateMoments(s, batch(40, 3));
      return serializeMoments(s);
    },
    read: deserializeMoments,
    summary: (buf) => readMoments(deserializeMoments(buf)),
  },
  {
    name: 'meat (HC3)',
    layout: MEAT_STATE,
    make: () => {
      // Identified columns: all 4 of [1 x0 x1 x2]; R of a diagonal Gram keeps the test about the bytes.
      const factor = new Float64Array(16);
      for (let i = 0; i < 4; i++) factor[i * 5] = 10 + i;
      const m = new MeatAccumulator({
        p: P,
        intercept: true,
        beta,
        kept: [0, 1, 2, 3],
        factor,
        type: 'hc3',
      });
      m.update(batch(40, 4));
      return serializeMeatState(m.state);
    },
    read: deserializeMeatState,
    summary: (buf) => {
      const s = deserializeMeatState(buf);
      return { q: s.q, rows: meatRows(s), high: meatHighLeverageRows(s), meat: meatMatrix(s) };
    },
  },
  {
    name: 'diagnostics',
    layout: DIAGNOSTICS_STATE,
    make: () => {
      const d = new DiagnosticsAccumulator({
        p: P,
        intercept: true,
        beta,
        kept: [0, 1, 2, 3],
        shift: 0.01,
      });
      d.update(batch(40, 5));
      return serializeDiagnosticsState(d.state);
    },
    read: deserializeDiagnosticsState,
    summary: (buf) => diagnosticsSums(deserializeDiagnosticsState(buf)),
  },
];

/** A byte copy, as a file or a structured clone would make. */
const copyOf = (buf: ArrayBuffer): ArrayBuffer => buf.slice(0);

function errorOf(read: (buf: ArrayBuffer) => unknown, buf: ArrayBuffer): StateFormatError {
  try {
    read(buf);
  } catch (e) {
    expect(e).toBeInstanceOf(StateFormatError);
    return e as StateFormatError;
  }
  throw new Error('expected the reader to throw');
}

/**
 * The state as a machine of the other byte order would have written it: every
 * 8-byte slot reversed except the magic (bytes, the same in both orders).
 */
function otherByteOrder(buf: ArrayBuffer): ArrayBuffer {
  const src = new DataView(buf);
  const out = new ArrayBuffer(buf.byteLength);
  const dst = new DataView(out);
  new Uint8Array(out).set(new Uint8Array(buf, 0, 8));
  const little = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
  for (let o = 8; o < buf.byteLength; o += 8) {
    dst.setFloat64(o, src.getFloat64(o, little), !little);
  }
  return out;
}

describe('state header: every state kind', () => {
  for (const c of cases) {
    describe(c.name, () => {
      it('round-trips bit-exactly, zero-copy, through a byte copy', () => {
        const buf = c.make();
        const bytes = new Uint8Array(buf).slice();
        const back = c.read(bytes.buffer) as { data: Float64Array };
        expect(back.data.buffer).toBe(bytes.buffer);
        expect(new Uint8Array(back.data.buffer)).toEqual(new Uint8Array(buf));
        expect(c.summary(copyOf(buf))).toEqual(c.summary(buf));
        const head = new Float64Array(buf);
        expect(new TextDecoder().decode(new Uint8Array(buf, 0, 8))).toBe(STATE_MAGIC);
        expect(head[S_BYTE_ORDER]).toBe(BYTE_ORDER_MARK);
        expect(head[S_HEADER_LENGTH]).toBe(headerLength(c.layout));
        expect(head[S_CHECKSUM]).toBe(stateChecksum(head));
      });

      it('catches any one flipped byte by the checksum', () => {
        const buf = c.make();
        const length = buf.byteLength;
        const payloadStart = 8 * headerLength(c.layout);
        const positions = [
          payloadStart,
          payloadStart + 13,
          length - 1,
          (length + payloadStart) >> 1,
        ];
        // Kind fields too: a flipped bit in a count still reads as a valid count.
        positions.push(8 * PREFIX_LENGTH + 7, payloadStart - 2);
        for (const at of positions) {
          for (const bit of [0, 3, 7]) {
            const bytes = new Uint8Array(copyOf(buf));
            bytes[at] ^= 1 << bit;
            const err = errorOf(c.read, bytes.buffer);
            expect(err.field, `byte ${at} bit ${bit}`).toBe('checksum');
            expect(err.message).toMatch(/checksum: stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}/);
          }
        }
      });

      it('reads a state written in the other byte order, swapping it in place', () => {
        const buf = c.make();
        const swapped = otherByteOrder(buf);
        expect(new Uint8Array(swapped)).not.toEqual(new Uint8Array(buf));
        const back = c.read(swapped) as { data: Float64Array };
        expect(back.data.buffer).toBe(swapped);
        expect(new Uint8Array(swapped)).toEqual(new Uint8Array(buf));
        expect(c.summary(swapped)).toEqual(c.summary(buf));
        // The checksum is of the little-endian form, so it verifies in either order.
        const corrupt = new Uint8Array(otherByteOrder(buf));
        corrupt[corrupt.length - 5] ^= 0x10;
        expect(errorOf(c.read, corrupt.buffer).field).toBe('checksum');
      });

      it("is refused by every other kind's reader, naming 'kind'", () => {
        const buf = c.make();
        for (const other of cases) {
          if (other.layout === c.layout) continue;
          const err = errorOf(other.read, copyOf(buf));
          expect(err.field).toBe('kind');
          expect(err.message).toMatch(
            new RegExp(`this is an? ${c.layout.kind} state, not an? ${other.layout.kind} state`),
          );
        }
      });
    });
  }

  it("names 'byte order' when the mark is neither order, and 'header length' when it disagrees", () => {
    const c = cases[0];
    const bytes = new Uint8Array(copyOf(c.make()));
    bytes[8 * S_BYTE_ORDER + 3] ^= 0xff;
    expect(errorOf(c.read, bytes.buffer).field).toBe('byte order');
    const longer = new Float64Array(copyOf(c.make()));
    longer[S_HEADER_LENGTH] += 1;
    sealState(longer);
    expect(errorOf(c.read, longer.buffer).message).toMatch(/header length: header says 15 doubles/);
  });

  it('updates never compute the checksum (only serialize does)', () => {
    const s = createAccumulator(spec);
    updateAccumulator(s, batch(20, 4));
    expect(s.data[S_CHECKSUM]).toBe(0);
    serializeAccumulator(s);
    const sealed = s.data[S_CHECKSUM];
    updateAccumulator(s, batch(20, 5));
    expect(s.data[S_CHECKSUM]).toBe(sealed);
    expect(errorOf(deserializeAccumulator, s.data.slice().buffer).field).toBe('checksum');
  });
});

describe('state checksum', () => {
  /** Bytes (31 i + 7) mod 256 with the checksum slot zeroed; the XXH32 values are libxxhash's. */
  const pattern = (bytes: number): Float64Array => {
    const data = new Float64Array(bytes / 8);
    const u8 = new Uint8Array(data.buffer);
    for (let i = 0; i < bytes; i++) u8[i] = (31 * i + 7) & 255;
    return data;
  };

  it('is XXH32 (seed 0) of the little-endian bytes with the checksum slot read as zeros', () => {
    expect(stateChecksum(pattern(56))).toBe(0xa66296a7);
    expect(stateChecksum(pattern(80))).toBe(0x888ad77b);
    expect(stateChecksum(pattern(8000))).toBe(0x38224de5);
    // Whatever the slot holds does not count.
    const d = pattern(80);
    d[S_CHECKSUM] = 12345;
    expect(stateChecksum(d)).toBe(0x888ad77b);
  });

  it('of a big-endian state equals that of the same state little-endian', () => {
    for (const c of cases) {
      const buf = c.make();
      const big = new Float64Array(otherByteOrder(buf));
      expect(stateChecksum(big, false)).toBe(stateChecksum(new Float64Array(buf), true));
    }
  });
});

describe('docs/state-format.md', () => {
  it('documents every kind and every field', () => {
    const doc = readFileSync(new URL('../../../../docs/state-format.md', import.meta.url), 'utf8');
    for (const layout of STATE_LAYOUTS) {
      expect(doc).toContain(`\`${layout.kind}\``);
      for (const field of layout.fields) expect(doc, layout.kind).toContain(`\`${field.name}\``);
    }
  });
});
