/**
 * Exactness of CSV number parsing against `Number()` (correctly rounded by
 * the ECMAScript spec) on millions of seeded random strings of every shape a
 * CSV writer produces, through both the general scanner (number.ts) and the
 * fused record loop (records.ts): 0 mismatches allowed, -0 included.
 */
import { describe, expect, it } from 'vitest';
import { eiselLemire, ensurePowerTable } from '../../packages/io/src/csv/eisel-lemire.js';
import { FIELD_OK, NumberScanner } from '../../packages/io/src/csv/number.js';
import { RecordParser } from '../../packages/io/src/csv/records.js';
import { Xoshiro128 } from '../../packages/io/src/random.js';

/** Strings per shape; 12 shapes, so about 1.3 million strings in all. */
const PER_SHAPE = 110_000;

const bits = new DataView(new ArrayBuffer(8));

/** A double from 64 random bits (every exponent equally likely), finite only. */
function randomBitsDouble(rng: Xoshiro128): number {
  for (;;) {
    bits.setUint32(0, rng.nextUint32());
    bits.setUint32(4, rng.nextUint32());
    const x = bits.getFloat64(0);
    if (Number.isFinite(x)) return x;
  }
}

function randomDigits(rng: Xoshiro128, count: number): string {
  let s = '';
  for (let i = 0; i < count; i += 1) s += String(rng.nextUint32() % 10);
  return s;
}

function sign(rng: Xoshiro128): string {
  return rng.nextUint32() % 2 === 0 ? '-' : '';
}

/** An integer significand in [2^52, 2^53) as a BigInt. */
function significand(rng: Xoshiro128): bigint {
  return (1n << 52n) | (BigInt(rng.nextUint32() & 0xfffff) << 32n) | BigInt(rng.nextUint32());
}

/** The exact decimal text of n·2^e (n > 0, any integer e). */
function exactDecimal(n: bigint, e: number): string {
  if (e >= 0) return (n << BigInt(e)).toString();
  const k = -e;
  const digits = (n * 5n ** BigInt(k)).toString().padStart(k + 1, '0');
  return `${digits.slice(0, digits.length - k)}.${digits.slice(digits.length - k)}`;
}

/** The exact midpoint between m·2^e and (m+1)·2^e: a rounding tie. */
function midpoint(rng: Xoshiro128, eMin: number, eMax: number): string {
  const e = eMin + (rng.nextUint32() % (eMax - eMin + 1));
  return exactDecimal(2n * significand(rng) + 1n, e - 1);
}

/** Perturbs the last digit of a decimal text by ±1 where possible (just off a tie). */
function nudge(rng: Xoshiro128, text: string): string {
  const last = text.charCodeAt(text.length - 1) - 48;
  const up = rng.nextUint32() % 2 === 0;
  if (up && last < 9) return text.slice(0, -1) + String(last + 1);
  if (!up && last > 0) return text.slice(0, -1) + String(last - 1);
  return `${text}${up ? '1' : ''}`;
}

type Shape = (rng: Xoshiro128) => string;

const SHAPES: Record<string, Shape> = {
  'short decimals': (rng) => {
    const whole = randomDigits(rng, rng.nextUint32() % 7);
    const fraction = randomDigits(rng, rng.nextUint32() % 9);
    const text = fraction === '' ? whole || '0' : `${whole}.${fraction}`;
    return sign(rng) + text;
  },
  'everyday doubles, shortest round trip (String)': (rng) =>
    String(rng.nextGaussian() * 10 ** ((rng.nextUint32() % 21) - 10)),
  'everyday doubles, exponent form (as Python repr writes small values)': (rng) =>
    (rng.nextGaussian() * 10 ** ((rng.nextUint32() % 21) - 10)).toExponential(),
  '15-17 significant digits (toPrecision)': (rng) =>
    (rng.nextGaussian() * 10 ** ((rng.nextUint32() % 13) - 6)).toPrecision(
      15 + (rng.nextUint32() % 3),
    ),
  'any double, shortest round trip (subnormals included)': (rng) => String(randomBitsDouble(rng)),
  'any double, 17 digits in exponent form': (rng) => randomBitsDouble(rng).toExponential(16),
  'subnormals and the normal/subnormal boundary': (rng) => {
    bits.setUint32(0, rng.nextUint32() % 0x00200000);
    bits.setUint32(4, rng.nextUint32());
    const x = bits.getFloat64(0);
    return `${sign(rng)}${rng.nextUint32() % 2 === 0 ? String(x) : x.toExponential(17)}`;
  },
  'up to 19 digits with any exponent': (rng) => {
    const digits = randomDigits(rng, 1 + (rng.nextUint32() % 19));
    const point = rng.nextUint32() % (digits.length + 1);
    const mantissa =
      point === digits.length ? digits : `${digits.slice(0, point)}.${digits.slice(point)}`;
    const exponent = (rng.nextUint32() % 680) - 360;
    return `${sign(rng)}${mantissa}${rng.nextUint32() % 2 === 0 ? 'e' : 'E'}${exponent}`;
  },
  'exact ties with at most 20 digits (integers and q in [-4, -1])': (rng) =>
    sign(rng) + midpoint(rng, -3, 12),
  'one unit off exact ties': (rng) => sign(rng) + nudge(rng, midpoint(rng, -3, 12)),
  'exact ties anywhere in range (long decimals)': (rng) =>
    sign(rng) + midpoint(rng, rng.nextUint32() % 8 === 0 ? -1073 : -120, 970),
  'zeros, negative zeros and leading zeros': (rng) => {
    const zeros = '0'.repeat(1 + (rng.nextUint32() % 4));
    const pick = rng.nextUint32() % 4;
    if (pick === 0) return `-${zeros}`;
    if (pick === 1) return `${sign(rng)}${zeros}.${zeros}e${(rng.nextUint32() % 40) - 20}`;
    if (pick === 2)
      return `${sign(rng)}0.${zeros}${randomDigits(rng, 1 + (rng.nextUint32() % 18))}`;
    return `${sign(rng)}${zeros}${randomDigits(rng, 1 + (rng.nextUint32() % 20))}.${randomDigits(rng, rng.nextUint32() % 5)}`;
  },
};

function sample(seed: number): string[] {
  const rng = new Xoshiro128(seed);
  const texts: string[] = [];
  for (const shape of Object.values(SHAPES)) {
    for (let k = 0; k < PER_SHAPE; k += 1) texts.push(shape(rng));
  }
  return texts;
}

describe('CSV numbers agree bit for bit with Number() (seeded, ~1.3 M strings)', () => {
  const texts = sample(20261129);
  const expected = new Float64Array(texts.length);
  texts.forEach((t, i) => {
    expected[i] = Number(t);
  });

  /** Up to 5 mismatches, for a readable failure. */
  function mismatches(actual: Float64Array): { text: string; got: number; want: number }[] {
    const bad: { text: string; got: number; want: number }[] = [];
    for (let i = 0; i < texts.length && bad.length < 5; i += 1) {
      if (!Object.is(actual[i], expected[i])) {
        bad.push({
          text: texts[i] as string,
          got: actual[i] as number,
          want: expected[i] as number,
        });
      }
    }
    return bad;
  }

  it('covers every shape with finite values, ties and -0', () => {
    expect(Object.keys(SHAPES).length * PER_SHAPE).toBe(texts.length);
    expect(texts.length).toBeGreaterThan(1_000_000);
    expect(expected.some((x) => Object.is(x, -0))).toBe(true);
    expect(expected.some((x) => x !== 0 && Math.abs(x) < 2.2250738585072014e-308)).toBe(true);
  });

  it('through the general scanner (number.ts)', () => {
    const scanner = new NumberScanner();
    const actual = new Float64Array(texts.length);
    texts.forEach((t, i) => {
      const b = Buffer.from(t, 'latin1');
      actual[i] = scanner.parse(b, 0, b.length);
      if (scanner.status !== FIELD_OK) actual[i] = Number.NaN;
    });
    expect(mismatches(actual)).toEqual([]);
  });

  it('through the fused record loop (records.ts), 7 columns, LF and CRLF', () => {
    const width = 7;
    const header = Array.from({ length: width }, (_, j) => `c${j}`);
    const rows = Math.ceil(texts.length / width);
    const lines: string[] = [];
    for (let r = 0; r < rows; r += 1) {
      const cells = header.map((_, j) => texts[r * width + j] ?? '0');
      lines.push(cells.join(',') + (r % 3 === 0 ? '\r\n' : '\n'));
    }
    const parser = new RecordParser({
      file: 'numbers.csv',
      header,
      columns: header,
      delimiter: 44,
      batchRows: 50_000,
      firstLine: 2,
    });
    const bytes = Buffer.from(lines.join(''), 'latin1');
    expect(parser.consume(bytes, true)).toBe(bytes.length);
    const actual = new Float64Array(texts.length);
    let row = 0;
    for (const batch of parser.finish()) {
      for (let i = 0; i < batch.rows; i += 1, row += 1) {
        for (let j = 0; j < width && row * width + j < texts.length; j += 1) {
          actual[row * width + j] = batch.columns[j]?.[i] as number;
        }
      }
    }
    expect(row).toBe(rows);
    expect(mismatches(actual)).toEqual([]);
  });
});

describe('Eisel-Lemire on its own', () => {
  it('is exact for up to 19 digits and falls back rarely on everyday exponents (seeded)', () => {
    ensurePowerTable(); // built on first use, by NumberScanner, which this test bypasses
    const rng = new Xoshiro128(2026);
    const out = new Float64Array(1);
    let fallbacks = 0;
    let tried = 0;
    for (let k = 0; k < 200_000; k += 1) {
      let w = 0n;
      const digits = 1 + (rng.nextUint32() % 19);
      for (let d = 0; d < digits; d += 1) w = w * 10n + BigInt(rng.nextUint32() % 10);
      if (w === 0n) w = 7n;
      const q = (rng.nextUint32() % 61) - 30;
      tried += 1;
      const negative = rng.nextUint32() % 2 === 0;
      if (!eiselLemire(Number(w >> 32n), Number(w & 0xffffffffn), q, negative, out, 0)) {
        fallbacks += 1;
        continue;
      }
      const text = `${negative ? '-' : ''}${w}e${q}`;
      if (!Object.is(out[0], Number(text)))
        expect({ text, v: out[0] }).toEqual({ text, v: Number(text) });
    }
    expect(fallbacks / tried).toBeLessThan(0.01);
  });
});
