/**
 * The fast path's snappy decoders (our JS one, our WASM one, and
 * decompress.ts's choice between them) against two real compressors and
 * against a stream writer of our own that emits every element form, including
 * the ones compressors rarely write (4-byte offsets, 1-4 byte literal lengths,
 * copies overlapping their own output). Corrupt streams must throw PageCorrupt
 * and nothing else. fast-check with fixed seeds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { snappyCompressor } from '../../packages/io/node_modules/hysnappy/js/index.js';
import { BufferLease } from '../../packages/io/src/parquet/buffer-pool.js';
import {
  decompressSnappy,
  PageBuffer,
} from '../../packages/io/src/parquet/fast-path/decompress.js';
import { PageCorrupt } from '../../packages/io/src/parquet/fast-path/page-corrupt.js';
import { snappyDecompress } from '../../packages/io/src/parquet/fast-path/snappy.js';
import { snappyDecompressWasm } from '../../packages/io/src/parquet/fast-path/snappy-wasm.js';
import { inArena } from '../../packages/io/src/parquet/fast-path/wasm-arena.js';
import { snappyAtEdges } from './support/snappy-at-edges.js';

const hysnappyCompress = snappyCompressor();

const reused = new PageBuffer();

/** A decoder under test: the stream and the page size in, the page out. */
type Decoder = (input: Uint8Array, size: number) => Uint8Array;
const decoders: [string, Decoder][] = [
  [
    'js',
    (input, size) => {
      // Poison the output so bytes the decoder forgot to write show up.
      const out = new Uint8Array(size).fill(0xa5);
      snappyDecompress(input, out);
      return out;
    },
  ],
  [
    'wasm',
    (input, size) => {
      const out = new Uint8Array(size).fill(0xa5);
      snappyDecompressWasm(input, size, out);
      return out;
    },
  ],
  [
    'wasm, stream at the end of memory, output between sentinels',
    (input, size) => snappyAtEdges(input, size),
  ],
  [
    "wasm, in place in the reader's arena",
    (input, size) => {
      // Stream and page both in the decoder's memory (as the reader's buffers are).
      const lease = new BufferLease();
      try {
        const stream = lease.take(input.length);
        stream.set(input);
        const out = lease.take(size).fill(0xa5);
        expect(size === 0 || (inArena(stream) && inArena(out))).toBe(true);
        snappyDecompressWasm(stream, size, out);
        return out.slice();
      } finally {
        lease.release();
      }
    },
  ],
  ['chosen', (input, size) => decompressSnappy(input, size)],
  ['chosen, reused buffer', (input, size) => decompressSnappy(input, size, reused).slice()],
];

// hyparquet-writer is a dependency of @linreg/io, not of the root: load by path.
const writerSnappy = '../../packages/io/node_modules/hyparquet-writer/src/snappy.js';
const { snappyCompress: writerCompress } = (await import(writerSnappy)) as {
  snappyCompress: (input: Uint8Array) => Uint8Array;
};

/**
 * Bytes with the structure snappy meets in Parquet: noise, runs, short
 * repeated patterns, and float64s whose high bytes repeat (like the benchmark
 * files), mixed in random pieces.
 */
const pieces = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc
    .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 3000 }))
    .map(([b, n]) => new Uint8Array(n).fill(b)),
  fc
    .tuple(fc.uint8Array({ minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 200 }))
    .map(([p, reps]) => {
      const out = new Uint8Array(p.length * reps);
      for (let r = 0; r < reps; r++) out.set(p, r * p.length);
      return out;
    }),
  fc
    .array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 300 })
    .map((xs) => new Uint8Array(Float64Array.from(xs, (x) => x / 1000).buffer)),
);
const payload = fc.array(pieces, { maxLength: 12 }).map((parts) => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
});

function decodeWith(decode: Decoder, stream: Uint8Array, size: number): Uint8Array {
  const out = decode(stream, size);
  expect(out.length).toBe(size);
  return out;
}

/** Index of the first byte where a and b differ (or of the shorter's end), -1 if equal. */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** One element of a snappy stream, as our own writer emits it. */
type Element =
  | { kind: 'literal'; bytes: Uint8Array; lengthBytes: number }
  | { kind: 'copy'; back: number; len: number; offsetBytes: 1 | 2 | 4 };

/**
 * Encode elements into a snappy stream, with the expected output computed
 * byte by byte (the format's definition of an overlapping copy). A copy's
 * `back` is taken modulo the output so far (elements before any output are
 * dropped), and its length is clamped to what its offset width can encode.
 */
function encodeElements(elements: Element[]): { stream: Uint8Array; expected: Uint8Array } {
  const body: number[] = [];
  const out: number[] = [];
  for (const e of elements) {
    if (e.kind === 'literal') {
      const n = e.bytes.length;
      if (n === 0) continue;
      if (e.lengthBytes === 0 && n <= 60) {
        body.push((n - 1) << 2);
      } else {
        // Enough bytes for n - 1, at least the requested count.
        let width = Math.max(e.lengthBytes, 1);
        while (n - 1 >= 256 ** width) width++;
        body.push((59 + width) << 2);
        for (let k = 0; k < width; k++) body.push(Math.floor((n - 1) / 256 ** k) % 256);
      }
      body.push(...e.bytes);
      out.push(...e.bytes);
      continue;
    }
    if (out.length === 0) continue;
    const offset = (e.back % out.length) + 1;
    let width = e.offsetBytes;
    if (width === 1 && offset >= 2048) width = 2;
    if (width === 2 && offset >= 65536) width = 4;
    let len = e.len;
    if (width === 1) {
      len = Math.min(Math.max(len, 4), 11);
      body.push(1 | ((len - 4) << 2) | ((offset >>> 8) << 5), offset & 255);
    } else {
      body.push((width === 2 ? 2 : 3) | ((len - 1) << 2), offset & 255, (offset >>> 8) & 255);
      if (width === 4) body.push((offset >>> 16) & 255, (offset >>> 24) & 255);
    }
    for (let k = 0; k < len; k++) out.push(out[out.length - offset] as number);
  }
  const header: number[] = [];
  let n = out.length;
  do {
    header.push((n & 127) | (n >= 128 ? 128 : 0));
    n = Math.floor(n / 128);
  } while (n > 0);
  return { stream: Uint8Array.from([...header, ...body]), expected: Uint8Array.from(out) };
}

const element: fc.Arbitrary<Element> = fc.oneof(
  fc.record({
    kind: fc.constant('literal' as const),
    bytes: fc.oneof(fc.uint8Array({ maxLength: 20 }), fc.uint8Array({ maxLength: 400 })),
    lengthBytes: fc.constantFrom(0, 0, 0, 1, 2, 3, 4),
  }),
  fc.record({
    kind: fc.constant('copy' as const),
    back: fc.oneof(fc.nat(20), fc.nat(70_000)),
    len: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 64 })),
    offsetBytes: fc.constantFrom(1 as const, 2 as const, 4 as const),
  }),
);

describe('snappy decoders', () => {
  it('decode what hyparquet-writer and hysnappy compress, exactly', () => {
    fc.assert(
      fc.property(payload, (data) => {
        for (const stream of [writerCompress(data), hysnappyCompress(data)]) {
          for (const [name, decode] of decoders) {
            expect(firstDifference(decodeWith(decode, stream, data.length), data), name).toBe(-1);
          }
        }
      }),
      { seed: 20261129, numRuns: 300 },
    );
  });

  it('decode every element form, including overlapping copies, exactly', () => {
    fc.assert(
      fc.property(fc.array(element, { maxLength: 200 }), (elements) => {
        const { stream, expected } = encodeElements(elements);
        for (const [name, decode] of decoders) {
          expect(firstDifference(decodeWith(decode, stream, expected.length), expected), name).toBe(
            -1,
          );
        }
      }),
      { seed: 7, numRuns: 400 },
    );
  });

  it('decode a long stream of short elements (the fast loop) exactly', () => {
    const values = Float64Array.from(
      { length: 100_000 },
      (_, i) => Math.round(Math.sin(i) * 1e6) / 1e6,
    );
    const data = new Uint8Array(values.buffer);
    const stream = writerCompress(data);
    expect(stream.length).toBeLessThan(data.length);
    for (const [name, decode] of decoders) {
      expect(firstDifference(decodeWith(decode, stream, data.length), data), name).toBe(-1);
    }
  });

  it('throw PageCorrupt, and only that, on corrupted streams', () => {
    fc.assert(
      fc.property(
        payload.filter((d) => d.length > 0),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.nat(),
        fc.integer({ min: -3, max: 3 }),
        (data, edits, cut, sizeDelta) => {
          const stream = writerCompress(data).slice();
          for (const [at, b] of edits) stream[at % stream.length] = b;
          const truncated = stream.subarray(0, stream.length - (cut % Math.min(stream.length, 8)));
          const size = Math.max(0, data.length + sizeDelta);
          for (const [name, decode] of decoders) {
            try {
              decodeWith(decode, truncated, size);
            } catch (e) {
              if (!(e instanceof PageCorrupt)) throw new Error(`${name} threw ${String(e)}`);
            }
          }
        },
      ),
      { seed: 99, numRuns: 400 },
    );
  });

  it('refuse corrupted long streams (the fast loop) as the JS decoder does, for the same reason', () => {
    // Long runs of short literals and copies keep the WASM decoder in its fast
    // loop, which hands any element it cannot take to the general loop: a
    // corrupt element must be refused there exactly as the JS decoder refuses
    // it (same reason, and a stream one refuses the other refuses), and one
    // that is still valid decoded to the same bytes.
    const values = Float64Array.from(
      { length: 20_000 },
      (_, i) => Math.round(Math.sin(i) * 1e6) / 1e6,
    );
    const data = new Uint8Array(values.buffer);
    const clean = writerCompress(data);
    const reason = (decode: () => void): string => {
      try {
        decode();
        return 'ok';
      } catch (e) {
        if (!(e instanceof PageCorrupt)) throw e;
        const kinds = [
          'length is truncated',
          'runs past',
          'copy is truncated',
          'out of bounds',
          'ended',
        ];
        return kinds.find((k) => e.message.includes(k)) ?? e.message;
      }
    };
    const seen = new Set<string>();
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.nat(8),
        fc.integer({ min: -2, max: 2 }),
        (edits, cut, sizeDelta) => {
          const stream = clean.slice(0, clean.length - cut);
          // Edit the body only: the length header is checked in JS, before either decoder.
          for (const [at, b] of edits) stream[3 + (at % (stream.length - 3))] = b;
          const size = data.length + sizeDelta;
          const js = new Uint8Array(size);
          const wasm = new Uint8Array(size);
          const got = reason(() => snappyDecompressWasm(stream, size, wasm));
          expect(got).toBe(reason(() => snappyDecompress(stream, js)));
          if (got === 'ok') expect(firstDifference(wasm, js)).toBe(-1);
          seen.add(got);
        },
      ),
      { seed: 4242, numRuns: 300 },
    );
    // The run met valid streams and several kinds of refusal.
    expect(seen.has('ok')).toBe(true);
    expect(seen.size).toBeGreaterThanOrEqual(3);
  });

  it('reject specific malformations with PageCorrupt', () => {
    const cases: [string, number[], number][] = [
      ['empty stream', [], 0],
      ['truncated length header', [0x80], 1],
      ['length header says more than the page', [5, 0 << 2, 65], 4],
      ['stream ends early', [4, 0 << 2, 65], 4],
      ['copy at offset 0', [8, 3 << 2, 1, 2, 3, 4, 1 | (0 << 2), 0], 8],
      ['copy reaching before the start', [8, 3 << 2, 1, 2, 3, 4, 1 | (0 << 2), 5], 8],
      ['literal past the end of the input', [8, 7 << 2, 1, 2, 3], 8],
      ['literal past the end of the output', [2, 3 << 2, 1, 2, 3, 4], 2],
      ['truncated copy', [8, 3 << 2, 1, 2, 3, 4, 2 | (3 << 2), 4], 8],
      ['4-byte offset past the start', [8, 3 << 2, 1, 2, 3, 4, 3 | (3 << 2), 9, 0, 0, 0], 8],
    ];
    for (const [what, bytes, size] of cases) {
      for (const [name, decode] of decoders) {
        expect(() => decodeWith(decode, Uint8Array.from(bytes), size), `${what} (${name})`).toThrow(
          PageCorrupt,
        );
      }
    }
  });
});
