/**
 * Correctly rounded decimal → binary64 conversion for mantissas of up to 19
 * digits, without strings: the Eisel–Lemire algorithm (D. Lemire, "Number
 * parsing at a gigabyte per second", Software: Practice and Experience 51(8),
 * 2021; the fast_float library), with integer arithmetic done exactly in doubles.
 *
 * ## Method
 *
 * For w·10^q (w < 2^64, −342 ≤ q ≤ 308), normalise w (shift out its leading
 * zeros) and multiply it by the high 64 bits of a 128-bit truncated
 * approximation of 5^q (table below, built once with BigInt exactly as
 * fast_float's table generator does), in 16-bit limbs. The high 64 bits of the 128-bit
 * product hold the 53 significant bits, a round bit and 9–10 sticky bits,
 * off by less than one unit of the low 64 bits from the exact product.
 *
 * Tolerance rule (stricter than fast_float): for 0 ≤ q ≤ 27 the table entry
 * and so the product are exact, and rounding is exact round-half-to-even.
 * Otherwise, when the 9 lowest bits of the high word are all zeros or all
 * ones, the product is too close to a rounding boundary for that error bound
 * to settle the rounding, and the caller falls back to `Number()`; so do
 * subnormal and overflowing results. This happens for about 2 inputs in 512.
 * Otherwise the round bit is exact and the sticky part nonzero, so
 * round-to-nearest is "add the round bit". The result is assembled from its
 * IEEE bits.
 */

const SMALLEST_POWER = -342;
const LARGEST_POWER = 308;
const TWO32 = 4294967296;

/**
 * High 64 bits of the 128-bit table entry for 5^q, as four 16-bit limbs
 * (least significant first), q from -342.
 */
const POWERS = buildPowerTable();

function buildPowerTable(): Uint16Array {
  const table = new Uint16Array(4 * (LARGEST_POWER - SMALLEST_POWER + 1));
  const two128 = 1n << 128n;
  const two127 = 1n << 127n;
  const put = (q: number, c: bigint): void => {
    const high = c >> 64n;
    const i = 4 * (q - SMALLEST_POWER);
    for (let k = 0; k < 4; k += 1) table[i + k] = Number((high >> BigInt(16 * k)) & 0xffffn);
  };
  for (let q = SMALLEST_POWER; q < 0; q += 1) {
    const power5 = 5n ** BigInt(-q);
    let z = 0n;
    while (1n << z < power5) z += 1n;
    const b = q >= -27 ? z + 127n : 2n * z + 128n;
    let c = (1n << b) / power5 + 1n;
    while (c >= two128) c >>= 1n;
    put(q, c);
  }
  for (let q = 0; q <= LARGEST_POWER; q += 1) {
    let power5 = 5n ** BigInt(q);
    while (power5 < two127) power5 <<= 1n;
    while (power5 >= two128) power5 >>= 1n;
    put(q, power5);
  }
  return table;
}

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LOW = LITTLE_ENDIAN ? 0 : 1;
const HIGH = LITTLE_ENDIAN ? 1 : 0;

/**
 * |w·10^q| correctly rounded, for w = wHi·2^32 + wLo > 0; or -1 when the
 * caller must fall back (see the tolerance rule above).
 */
export function eiselLemire(wHi: number, wLo: number, q: number): number {
  if (q < SMALLEST_POWER || q > LARGEST_POWER) return -1;
  // Normalise w so its top bit is bit 63.
  let hi = wHi >>> 0;
  let lo = wLo >>> 0;
  let lz: number;
  if (hi !== 0) {
    lz = Math.clz32(hi);
    if (lz > 0) {
      hi = ((hi << lz) | (lo >>> (32 - lz))) >>> 0;
      lo = (lo << lz) >>> 0;
    }
  } else {
    if (lo === 0) return 0;
    lz = 32 + Math.clz32(lo);
    hi = (lo << (lz - 32)) >>> 0;
    lo = 0;
  }
  // The high 64 bits of the 128-bit product w·T in 16-bit limbs: column sums
  // of 16×16-bit products stay below 2^35, so every step is exact in doubles.
  const i = 4 * (q - SMALLEST_POWER);
  const t0 = POWERS[i] as number;
  const t1 = POWERS[i + 1] as number;
  const t2 = POWERS[i + 2] as number;
  const t3 = POWERS[i + 3] as number;
  const w0 = lo & 0xffff;
  const w1 = lo >>> 16;
  const w2 = hi & 0xffff;
  const w3 = hi >>> 16;
  let column = w0 * t0;
  let carry = Math.floor(column / 65536);
  // Whether the low 64 bits of the product are nonzero (used when the product is exact).
  let lowBits = column - carry * 65536;
  column = w0 * t1 + w1 * t0 + carry;
  carry = Math.floor(column / 65536);
  lowBits += column - carry * 65536;
  column = w0 * t2 + w1 * t1 + w2 * t0 + carry;
  carry = Math.floor(column / 65536);
  lowBits += column - carry * 65536;
  column = w0 * t3 + w1 * t2 + w2 * t1 + w3 * t0 + carry;
  carry = Math.floor(column / 65536);
  lowBits += column - carry * 65536;
  column = w1 * t3 + w2 * t2 + w3 * t1 + carry;
  carry = Math.floor(column / 65536);
  const d4 = column - carry * 65536;
  column = w2 * t3 + w3 * t2 + carry;
  carry = Math.floor(column / 65536);
  const d5 = column - carry * 65536;
  column = w3 * t3 + carry;
  carry = Math.floor(column / 65536);
  const d6 = column - carry * 65536;
  const r3 = carry * 65536 + d6;
  const r2 = d5 * 65536 + d4;
  const upper = r3 >= 0x80000000 ? 1 : 0;
  // Drop 10 + upper bits: 53 significant bits remain; the next bit down is the round bit.
  // (Constants, not 2 ** k: Math.pow is slow.)
  let mantissa =
    upper === 1 ? r3 * 2097152 + Math.floor(r2 / 2048) : r3 * 4194304 + Math.floor(r2 / 1024);
  const roundBit = (r2 >>> (9 + upper)) & 1;
  if (q >= 0 && q <= 27) {
    // 5^q < 2^64 is exact in the table, so is the product: round half to even exactly.
    const stickyZero = (r2 & (upper === 1 ? 0x3ff : 0x1ff)) === 0 && lowBits === 0;
    if (roundBit === 1 && (!stickyZero || mantissa % 2 === 1)) mantissa += 1;
  } else {
    const sticky = r2 & 0x1ff;
    if (sticky === 0 || sticky === 0x1ff) return -1;
    mantissa += roundBit;
  }
  let power2 = ((217706 * q) >> 16) + 63 + upper - lz + 1023;
  if (mantissa === 9007199254740992) {
    mantissa = 4503599627370496;
    power2 += 1;
  }
  if (power2 <= 0 || power2 >= 0x7ff) return -1;
  const fraction = mantissa - 4503599627370496;
  const fractionHi = Math.floor(fraction / TWO32);
  words[LOW] = fraction - fractionHi * TWO32;
  words[HIGH] = power2 * 1048576 + fractionHi;
  return bits[0] as number;
}
