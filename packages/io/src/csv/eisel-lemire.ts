/**
 * Correctly rounded decimal → binary64 conversion for mantissas below 2^64,
 * without strings or BigInt: the Eisel–Lemire algorithm (D. Lemire, "Number
 * parsing at a gigabyte per second", Software: Practice and Experience 51(8),
 * 2021; the fast_float library), with its integer arithmetic done exactly in
 * doubles.
 *
 * ## Method
 *
 * For w·10^q (0 < w < 2^64, −342 ≤ q ≤ 308), normalise w (shift out its
 * k leading zeros, 2^63 ≤ w < 2^64) and multiply it by T, the high 64 bits of
 * a 128-bit truncated approximation of 5^q (table below, built once with
 * BigInt exactly as fast_float's table generator does; 2^63 ≤ T < 2^64).
 * With τ the exact scaled power that T truncates (|T − τ| < 1 + 2^-64), the
 * value is X·2^(E_q − k) for X = w·τ/2^64 ∈ [2^62, 2^64), where the exponent
 * E_q is tabulated with T. Since |w·T/2^64 − X| < 1 + 2^-64, H = w·T/2^64 is X
 * up to 1 unit of H's last bit, which has 64 bits, 11 more than a double:
 * that margin settles the rounding unless X is close to a rounding boundary.
 *
 * Fast path (double-double; no floor, short dependency chains). With
 * w = hi·2^32 + lo and T in 16-bit limbs t3…t0, all partial products are
 * exact doubles (< 2^48), and
 *   H = hi·t3·2^16 + hi·t2 + (hi·t1 + lo·t3)·2^-16 + (hi·t0 + lo·t2)·2^-32 + R,
 * where the dropped R = (lo·t1·2^-16 + lo·t0·2^-32)·2^-32 ∈ [0, 1 + 2^-16).
 * The first two terms are summed exactly into s1 + e1 by Fast2Sum (Dekker
 * 1971; the first term dominates); the next two plus e1 carry at most 2^-17 of
 * rounding error (they are below 2^35); a second Fast2Sum gives s + t equal to
 * the computed sum exactly, with s = RN(s + t) a double. So |s + t − X| < 2.001
 * (E = 3 in the code, with margin). When |t| < ulp(s)/2 − E, X lies strictly inside
 * s's rounding interval, so s = RN(X) and the result is s·2^(E_q − k) (an
 * exact scaling while the result is normal). At s = 2^63 the smaller half-ulp
 * below is used; s = 2^62 and s = 2^64 need nothing special, since
 * H > 2^62 − 2 and H < 2^64 (X is within E of them, far from the midpoints
 * below 2^62 and above 2^64). This
 * also covers exact ties (possible for −4 ≤ q ≤ 27): a tie is within E of a
 * rounding boundary, so it never passes the test.
 *
 * Exact path (the remaining ~0.5%, and subnormal or overflowing results):
 * the 128-bit product w·T itself, in 16-bit columns whose sums stay below
 * 2^51, so every step is exact in doubles. Its high 64 bits hold the 53
 * significant bits, a round bit and 9–10 sticky bits. Tolerance rule
 * (stricter than fast_float): for 0 ≤ q ≤ 27 T = τ and the product are exact,
 * and rounding is exact round-half-to-even. Otherwise, when the 9 lowest bits
 * of the high word are all zeros or all ones, the product is too close to a
 * rounding boundary for the table's error to settle the rounding, and the
 * caller falls back to `Number()`; so do subnormal and overflowing results.
 * This happens for about 2 inputs in 512. Otherwise the round bit is exact and
 * the sticky part nonzero, so round-to-nearest is "add the round bit".
 */

const SMALLEST_POWER = -342;
const LARGEST_POWER = 308;
const TWO16 = 65536;
/** 2^-16 (multiplying by it is exact; dividing is slower). */
const INV_TWO16 = 1 / 65536;
const TWO52 = 4503599627370496;
const TWO53 = 9007199254740992;

/**
 * High 64 bits T of the 128-bit table entry for 5^q, as four 16-bit limbs
 * (least significant first) stored as doubles, q from -342; and E_q.
 */
const POWERS = new Float64Array(4 * (LARGEST_POWER - SMALLEST_POWER + 1));
const EXPONENTS = new Int16Array(LARGEST_POWER - SMALLEST_POWER + 1);
let tableBuilt = false;

/**
 * Fills POWERS and EXPONENTS on first call. Not done at import: every thread
 * imports io, and a Parquet or Arrow fit never parses a decimal; a check in
 * eiselLemire itself would cost bytecode in the hot path (see its inlining
 * note), so whatever parses numbers calls this once first (NumberScanner's
 * constructor, used by every CSV reader).
 */
export function ensurePowerTable(): void {
  if (tableBuilt) return;
  buildPowerTable();
  tableBuilt = true;
}

function buildPowerTable(): void {
  const two128 = 1n << 128n;
  const two127 = 1n << 127n;
  // c ≈ 5^q·2^shift in [2^127, 2^128): T ≈ 5^q·2^(shift − 64), so 10^q = T·2^(64 − shift + q).
  const put = (q: number, c: bigint, shift: number): void => {
    if (c < two127 || c >= two128) throw new Error(`power table: 5^${q} not normalised`);
    const high = c >> 64n;
    const i = q - SMALLEST_POWER;
    for (let k = 0; k < 4; k += 1) POWERS[4 * i + k] = Number((high >> BigInt(16 * k)) & 0xffffn);
    // X = w·τ/2^64 with w normalised: w·10^q = X·2^(64 + 64 − shift + q − k).
    EXPONENTS[i] = 128 - shift + q;
  };
  // 5^k by one multiplication per step, and its bit length tracked with it: the
  // table is built at import in every thread that parses numbers, so it must be
  // cheap (recomputing 5^k and finding z by repeated shifts took ~15 ms).
  let power5 = 1n;
  let bits = 1; // bit length of power5
  const powers5: bigint[] = [];
  const bitLengths: number[] = [];
  for (let k = 0; k <= -SMALLEST_POWER; k += 1) {
    powers5.push(power5);
    bitLengths.push(bits);
    power5 *= 5n;
    while (power5 >> BigInt(bits) !== 0n) bits += 1;
  }
  for (let q = SMALLEST_POWER; q < 0; q += 1) {
    const p5 = powers5[-q] as bigint;
    // z: the least z with 2^z ≥ 5^-q, i.e. its bit length (5^-q is not a power of 2).
    const z = BigInt(bitLengths[-q] as number);
    const b = q >= -27 ? z + 127n : 2n * z + 128n;
    let c = (1n << b) / p5 + 1n;
    let shift = Number(b);
    while (c >= two128) {
      c >>= 1n;
      shift -= 1;
    }
    put(q, c, shift);
  }
  for (let q = 0; q <= LARGEST_POWER; q += 1) {
    // Normalise 5^q into [2^127, 2^128) in one shift from its bit length.
    const shift = 128 - (bitLengths[q] as number);
    const p5 = powers5[q] as bigint;
    put(q, shift >= 0 ? p5 << BigInt(shift) : p5 >> BigInt(-shift), shift);
  }
}

/** POW2[e + 1074] = 2^e for e in [-1074, 1023], by exact halving/doubling. */
const POW2 = new Float64Array(2098);
{
  let p = 1;
  for (let e = 0; e <= 1023; e += 1, p *= 2) POW2[e + 1074] = p;
  p = 0.5;
  for (let e = -1; e >= -1074; e -= 1, p *= 0.5) POW2[e + 1074] = p;
}

/** SCALE[j] = 2^(j − 1020) = 2^(scale + 64) for scale = j − 1084 in [-1084, 959]. */
const SCALE = POW2.subarray(1074 - 1020, 1074 + 1024);

/**
 * Stores ±w·10^q correctly rounded (negative when `negative`) into
 * `out[index]` and returns true, for w = wHi·2^32 + wLo > 0 (wHi, wLo integers
 * in [0, 2^32), not both 0); or returns false, storing nothing, when the caller must fall
 * back (see the tolerance rule above). Storing rather than returning the
 * double spares V8 a heap number per call when this is not inlined.
 */
export function eiselLemire(
  wHi: number,
  wLo: number,
  q: number,
  negative: boolean,
  out: Float64Array,
  index: number,
): boolean {
  // (Literals rather than the named constants below: each constant read costs bytecode,
  // and this function must stay under V8's inlining limit of 460 bytes of bytecode.)
  const i = q + 342; // q − SMALLEST_POWER
  if (i >>> 0 > 650) return false; // q outside [SMALLEST_POWER, LARGEST_POWER]
  // Normalise w (> 0) so its top bit is bit 63.
  let hi = wHi;
  let lo = wLo;
  let lz = 0;
  if (hi === 0) {
    hi = lo;
    lo = 0;
    lz = 32;
  }
  const shift = Math.clz32(hi);
  if (shift > 0) {
    hi = ((hi << shift) | (lo >>> (32 - shift))) >>> 0;
    lo = (lo << shift) >>> 0;
    lz += shift;
  }
  const powers = POWERS;
  const t0 = powers[4 * i] as number;
  const t1 = powers[4 * i + 1] as number;
  const t2 = powers[4 * i + 2] as number;
  const t3 = powers[4 * i + 3] as number;
  // The method's H = s + t: a = hi·t3·2^16, b = hi·t2, then the terms scaled by 2^-16, 2^-32.
  const a = hi * t3 * 65536;
  const b = hi * t2;
  const s1 = a + b;
  const e1 = b - (s1 - a);
  const low =
    e1 + ((hi * t1 + lo * t3) * 0.0000152587890625 + (hi * t0 + lo * t2) * 2.3283064365386963e-10);
  const s = s1 + low;
  const t = low - (s - s1);
  // Index of 2^(scale + 64) in SCALE, for the result s·2^scale with scale = E_q − k.
  const j = (EXPONENTS[i] as number) - lz + 1084;
  // |t| < ulp(s)/2 − E (E = 3); the half-ulp is that of the binade below s when s = 2^63.
  const limit = s <= 9223372036854776000 ? 509 : 1021; // 9223372036854776000 parses to 2^63
  // s·2^scale, s ∈ [2^62, 2^64], is a normal double for j in [0, 2043].
  if (t < limit && t > -limit && j >>> 0 <= 2043) {
    // Two exact scalings: s·2^-64 ∈ [1/4, 1], then by the normal power 2^(scale + 64).
    const magnitude = s * 5.421010862427522e-20 * (SCALE[j] as number);
    out[index] = negative ? -magnitude : magnitude;
    return true;
  }
  return exactProduct(hi, lo, lz, q, negative, out, index);
}

/** The exact path of the method for normalised w = hi·2^32 + lo (lz leading zeros shifted out). */
function exactProduct(
  hi: number,
  lo: number,
  lz: number,
  q: number,
  negative: boolean,
  out: Float64Array,
  index: number,
): boolean {
  const i = 4 * (q - SMALLEST_POWER);
  const t0 = POWERS[i] as number;
  const t1 = POWERS[i + 1] as number;
  const t2 = POWERS[i + 2] as number;
  const t3 = POWERS[i + 3] as number;
  // 16-bit columns of the 128-bit product; each digit is column − 2^16·carry.
  let column = lo * t0;
  let carry = Math.floor(column * INV_TWO16);
  // Whether the low 64 bits of the product are nonzero (used when the product is exact).
  let lowBits = column - carry * TWO16;
  column = lo * t1 + carry;
  carry = Math.floor(column * INV_TWO16);
  lowBits += column - carry * TWO16;
  column = lo * t2 + hi * t0 + carry;
  carry = Math.floor(column * INV_TWO16);
  lowBits += column - carry * TWO16;
  column = lo * t3 + hi * t1 + carry;
  carry = Math.floor(column * INV_TWO16);
  lowBits += column - carry * TWO16;
  column = hi * t2 + carry;
  carry = Math.floor(column * INV_TWO16);
  const d4 = column - carry * TWO16;
  column = hi * t3 + carry;
  // Bits 96–127 and 64–95 of the product.
  const r3 = Math.floor(column * INV_TWO16);
  const r2 = (column - r3 * TWO16) * TWO16 + d4;
  const upper = r3 >= 0x80000000 ? 1 : 0;
  // Drop 10 + upper bits: 53 significant bits remain; the next bit down is the round bit.
  let mantissa = upper === 1 ? r3 * 2097152 + (r2 >>> 11) : r3 * 4194304 + (r2 >>> 10);
  const roundBit = (r2 >>> (9 + upper)) & 1;
  if (q >= 0 && q <= 27) {
    // 5^q < 2^64 is exact in the table, so is the product: round half to even exactly.
    const stickyZero = (r2 & (upper === 1 ? 0x3ff : 0x1ff)) === 0 && lowBits === 0;
    if (roundBit === 1 && (!stickyZero || mantissa % 2 === 1)) mantissa += 1;
  } else {
    const sticky = r2 & 0x1ff;
    if (sticky === 0 || sticky === 0x1ff) return false;
    mantissa += roundBit;
  }
  // The value is mantissa·2^(power2 − 1075): H = mantissa·2^(10 + upper).
  let power2 = (EXPONENTS[q - SMALLEST_POWER] as number) - lz + 1085 + upper;
  if (mantissa === TWO53) {
    mantissa = TWO52;
    power2 += 1;
  }
  if (power2 <= 0 || power2 >= 0x7ff) return false;
  const magnitude = mantissa * (POW2[power2 - 1075 + 1074] as number);
  out[index] = negative ? -magnitude : magnitude;
  return true;
}
