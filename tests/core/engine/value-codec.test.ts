/**
 * The value encoding of state files (value-codec.ts, docs/state-format.md
 * "Value encoding"): random nested values read back bit for bit in either
 * byte order; the documented layout byte for byte; and damaged or hostile
 * bytes refused with an IoError naming the file and the byte — never another
 * exception, a huge allocation or a runaway recursion.
 */
import { IoError } from '@linreg/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeValue,
  encodeValue,
  VALUE_MAX_DEPTH,
} from '../../../packages/core/src/engine/rounds/value-codec.js';

const SEED = 20261207;

const TYPED = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
] as const;

/** A number from 64 random bits: every NaN payload, −0, ±∞ and subnormals included. */
const bitsNumber = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((b) => {
  const f = new Float64Array(1);
  new BigUint64Array(f.buffer)[0] = b;
  return f[0] as number;
});

/** A typed array of every kind from random bytes (NaN payloads in the float ones). */
const typedArray = fc
  .tuple(fc.integer({ min: 0, max: TYPED.length - 1 }), fc.uint8Array({ maxLength: 80 }))
  .map(([k, bytes]) => {
    const Type = TYPED[k] as (typeof TYPED)[number];
    const n = Math.floor(bytes.length / Type.BYTES_PER_ELEMENT);
    const out = new Type(n);
    new Uint8Array(out.buffer).set(bytes.subarray(0, n * Type.BYTES_PER_ELEMENT));
    return out;
  });

const leaf = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  bitsNumber,
  fc.double(),
  fc.constantFrom(-0, 0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.bigInt({ min: -(2n ** 100n), max: 2n ** 100n }),
  typedArray,
  fc.uint8Array({ maxLength: 20 }).map((b) => b.slice().buffer),
);

const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(
      fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', 'constructor', '0', '')),
      tie('value'),
      { maxKeys: 5 },
    ),
    fc
      .array(fc.tuple(fc.oneof(fc.string({ maxLength: 4 }), fc.integer()), tie('value')), {
        maxLength: 4,
      })
      .map((entries) => new Map(entries)),
  ),
}));

const bitsOf = (x: number): bigint => {
  const f = Float64Array.of(x);
  return new BigUint64Array(f.buffer)[0] as bigint;
};

/**
 * Bit-exact equality: numbers by their bits (scalar NaNs as NaN: V8 may
 * canonicalize a NaN held in an array of doubles, so only a typed array
 * promises its payload), typed arrays by class and bytes, objects by key
 * order too.
 */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number') {
    if (typeof b !== 'number') return false;
    return Number.isNaN(a) ? Number.isNaN(b) : bitsOf(a) === bitsOf(b);
  }
  if (ArrayBuffer.isView(a)) {
    if (!ArrayBuffer.isView(b) || a.constructor !== b.constructor) return false;
    return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
      Buffer.from(b.buffer, b.byteOffset, b.byteLength),
    );
  }
  if (a instanceof ArrayBuffer) {
    return b instanceof ArrayBuffer && Buffer.from(a).equals(Buffer.from(b));
  }
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    const bs = [...b];
    return [...a].every(([k, v], i) => same(k, bs[i]?.[0]) && same(v, bs[i]?.[1]));
  }
  if (a !== null && typeof a === 'object') {
    if (b === null || typeof b !== 'object' || Object.getPrototypeOf(b) !== Object.prototype) {
      return false;
    }
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every(
        (k, i) =>
          k === kb[i] && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
      )
    );
  }
  return Object.is(a, b);
}

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

/** The message of the IoError `bytes` give, or 'accepted'; any other exception fails the test. */
function refusal(bytes: Uint8Array): string {
  try {
    decodeValue(bytes, 'x.lrstate', 'block 1');
  } catch (error) {
    expect(error).toBeInstanceOf(IoError);
    return (error as Error).message;
  }
  return 'accepted';
}

describe('value encoding', () => {
  it('round-trips random nested values bit for bit, in either byte order', () => {
    fc.assert(
      fc.property(value, fc.boolean(), (v, littleEndian) => {
        const bytes = encodeValue(v, { littleEndian });
        return same(v, decodeValue(bytes, 'x.lrstate'));
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('keeps a scalar NaN payload, −0 and subnormals', () => {
    const bits = [0x7ff4000000000abcn, 0xfff0000000000001n, 0x8000000000000000n, 1n];
    const f = new Float64Array(bits.length);
    new BigUint64Array(f.buffer).set(bits);
    for (const littleEndian of [true, false]) {
      bits.forEach((b, i) => {
        const back = decodeValue(encodeValue(f[i], { littleEndian }), 'x') as number;
        expect(bitsOf(back)).toBe(b);
      });
    }
  });

  it('writes the documented layout (docs/state-format.md example)', () => {
    const v = { a: Float64Array.of(1), b: [true, null, -0], s: 'é' };
    expect(Buffer.from(encodeValue(v, { littleEndian: true })).toString('hex')).toBe(
      Buffer.from(
        hex(`4c525376 01 01 0000
             07 03000000
               01000000 61  09 09 0100000000000000 00000000 000000000000f03f
               01000000 62  06 03000000 03 01 04 0000000000000080
               01000000 73  05 02000000 c3a9`),
      ).toString('hex'),
    );
    expect(Buffer.from(encodeValue(v, { littleEndian: false })).toString('hex')).toBe(
      Buffer.from(
        hex(`4c525376 01 02 0000
             07 00000003
               00000001 61  09 09 0000000000000001 00000000 3ff0000000000000
               00000001 62  06 00000003 03 01 04 8000000000000000
               00000001 73  05 00000002 c3a9`),
      ).toString('hex'),
    );
  });

  it('aligns typed-array payloads to 8 bytes from the start, copies on reading', () => {
    const data = Float64Array.of(1.5, -2);
    const bytes = encodeValue(['x', data]);
    const at = Buffer.from(bytes).indexOf(Buffer.from(data.buffer));
    expect(at % 8).toBe(0);
    const back = (decodeValue(bytes, 'x') as [string, Float64Array])[1];
    back[0] = 99;
    expect((decodeValue(bytes, 'x') as [string, Float64Array])[1][0]).toBe(1.5);
    expect(back.byteOffset).toBe(0);
  });

  it('a key __proto__ is an own property, not the prototype', () => {
    const v = JSON.parse('{"__proto__": {"polluted": 1}}') as Record<string, unknown>;
    const back = decodeValue(encodeValue(v), 'x') as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses what is not plain data', () => {
    class Point {
      x = 1;
    }
    const cycle: unknown[] = [];
    cycle.push(cycle);
    for (const v of [new Point(), () => 1, Symbol('s'), new Date(0), '\ud800', cycle]) {
      expect(() => encodeValue(v)).toThrow(/value encoding: /);
    }
  });
});

describe('damaged and hostile bytes', () => {
  const good = encodeValue({ spec: { p: 2 }, data: Float64Array.of(1, 2, 3), keys: ['a', 7] });

  it('each damage refused by name, with the file and the byte', () => {
    const edit = (at: number, ...b: number[]): Uint8Array => {
      const c = Uint8Array.from(good);
      c.set(b, at);
      return c;
    };
    expect(refusal(good)).toBe('accepted');
    expect(refusal(edit(0, 0x41))).toMatch(
      /^x\.lrstate: block 1: not a linreg state value \(no LRSv magic\) at byte 0$/,
    );
    expect(refusal(edit(4, 2))).toMatch(/encoding version 2; this linreg reads version 1/);
    expect(refusal(edit(5, 3))).toMatch(/bad byte-order code 3 at byte 5/);
    expect(refusal(edit(6, 1))).toMatch(/reserved header bytes are not zero/);
    expect(refusal(edit(8, 0x7f))).toMatch(/unknown value tag 0x7f at byte 8$/);
    expect(refusal(Uint8Array.of(...good, 0))).toMatch(/1 bytes after the value/);
    // 'ab': tag at 8, length at 9–12 (the byte named), text at 13
    expect(refusal(encodeValue('ab').fill(0xff, 13, 14))).toMatch(/string is not UTF-8 at byte 9$/);
    expect(refusal(encodeValue(Uint8Array.of(1)).fill(12, 9, 10))).toMatch(
      /unknown typed array element type 12 at byte 9$/,
    );
  });

  it('a huge length is refused before anything is allocated', () => {
    const header = '4c525376 01 01 0000';
    // an array, an object, a map, a string of 2^32 − 1
    for (const tag of ['06', '07', '08', '05']) {
      expect(refusal(hex(`${header} ${tag} ffffffff`))).toMatch(
        /runs past the end \(0 bytes left\)/,
      );
    }
    // a Float64Array and an ArrayBuffer of 2^53 and 2^64 − 1 elements
    for (const n of ['0000000000002000', 'ffffffffffffffff']) {
      expect(refusal(hex(`${header} 09 09 ${n} 000000000000 00`))).toMatch(
        /typed array of (9007199254740992|Infinity) elements runs past the end/,
      );
      expect(refusal(hex(`${header} 0a ${n} 00000000000000`))).toMatch(
        /ArrayBuffer of (9007199254740992|Infinity) bytes runs past the end/,
      );
    }
    expect(refusal(hex(`${header} 09 09 0100000000000000 01000000 000000000000f03f`))).toMatch(
      /alignment padding is not zero at byte 18/,
    );
  });

  it('deep nesting is refused, not a stack overflow', () => {
    const bomb = new Uint8Array(8 + 5 * 100_000);
    bomb.set(encodeValue(null).subarray(0, 8));
    for (let i = 0; i < 100_000; i++) bomb.set([0x06, 1, 0, 0, 0], 8 + 5 * i);
    expect(refusal(bomb)).toMatch(new RegExp(`nested deeper than ${VALUE_MAX_DEPTH}`));
  });

  it('every truncation and random damage is an IoError or a value, nothing else', () => {
    for (let n = 0; n < good.length; n++) expect(refusal(good.subarray(0, n))).not.toBe('accepted');
    fc.assert(
      fc.property(
        value,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (v, edits) => {
          const bytes = encodeValue(v);
          for (const [at, b] of edits) bytes[8 + (at % Math.max(1, bytes.length - 8))] = b;
          refusal(bytes);
        },
      ),
      { seed: SEED + 1, numRuns: 400 },
    );
  });
});
