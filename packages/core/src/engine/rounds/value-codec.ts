/**
 * The value encoding of state files and kept states (docs/state-format.md
 * "Value encoding"): a self-describing binary form of the plain data the
 * passes' merged states are made of — undefined, null, booleans, binary64
 * numbers (every bit, NaN payloads and −0 included), strings, arrays, plain
 * objects, Maps, BigInts, typed arrays and ArrayBuffers. It replaces Node's
 * v8.serialize, whose bytes are undocumented and only promised to read back
 * on the same Node version: a cluster node may run another.
 *
 *   bytes 0–3  magic `LRSv`
 *   byte 4     encoding version (1)
 *   byte 5     byte order of every multi-byte field: 1 little-endian, 2 big-endian
 *   bytes 6–7  zero
 *   then one value: a tag byte and the tag's fields (table below); nothing after it.
 *
 * Typed-array and ArrayBuffer payloads start at a multiple of 8 bytes from
 * the start of the encoding (zero padding before them), so a reader of an
 * aligned copy could view them in place. This reader copies them into
 * buffers of their own instead: a merge that works in place then never
 * writes into a file's bytes or a record kept for the next round document.
 *
 * Every length is checked against the bytes left before anything is
 * allocated, nesting is bounded, and every failure is an IoError naming the
 * file and the byte — a hostile or damaged state cannot make the reader
 * allocate more than the file's size or recurse without end.
 */
import { isUtf8 } from 'node:buffer';
import { IoError } from '@linreg/errors';

export const VALUE_MAGIC = 'LRSv';
export const VALUE_VERSION = 1;
/** Nesting allowed (a state is 3–4 deep); deeper is refused, which also stops cycles. */
export const VALUE_MAX_DEPTH = 64;
const HEADER = 8;
const ORDER_LITTLE = 1;
const ORDER_BIG = 2;

export const Tag = {
  undefined: 0x00,
  null: 0x01,
  false: 0x02,
  true: 0x03,
  number: 0x04,
  string: 0x05,
  array: 0x06,
  object: 0x07,
  map: 0x08,
  typedArray: 0x09,
  arrayBuffer: 0x0a,
  bigint: 0x0b,
} as const;

type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

interface TypedArrayClass {
  readonly BYTES_PER_ELEMENT: number;
  new (length: number): TypedArray;
}

/** Element types of tag 0x09, by code (the code is the index + 1). */
const ELEMENT_TYPES: readonly TypedArrayClass[] = [
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
];

const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const BIGINT_TEXT = /^-?(0|[1-9][0-9]*)$/;
// In u-mode a surrogate pair is one code point: only a lone surrogate matches.
const LONE_SURROGATE = /\p{Cs}/u;

export interface EncodeOptions {
  /** The byte order to write (default: the host's); the other order is for tests and other writers. */
  readonly littleEndian?: boolean | undefined;
}

/** The encoding of `value`; a value of an unsupported kind is a programming error (TypeError). */
export function encodeValue(value: unknown, options: EncodeOptions = {}): Uint8Array {
  const w = new Writer(options.littleEndian ?? HOST_LE);
  w.bytes(new TextEncoder().encode(VALUE_MAGIC));
  w.u8(VALUE_VERSION);
  w.u8(w.le ? ORDER_LITTLE : ORDER_BIG);
  w.u8(0);
  w.u8(0);
  w.value(value, 0);
  return w.finish();
}

class Writer {
  // A Buffer for its fast UTF-8 writes; zeroed, so no stale memory travels in a returned view.
  #buf = Buffer.alloc(256);
  #view = new DataView(this.#buf.buffer, this.#buf.byteOffset, this.#buf.byteLength);
  #at = 0;
  // Numbers go through a Float64Array so their bits, NaN payload included, are copied, not re-encoded.
  readonly #f64 = new Float64Array(1);
  readonly #f64bytes = new Uint8Array(this.#f64.buffer);

  constructor(readonly le: boolean) {}

  #ensure(n: number): void {
    if (this.#at + n <= this.#buf.length) return;
    // Doubling, or straight to the size a large typed array needs.
    const size = Math.max(this.#buf.length * 2, this.#at + n + 256);
    const next = Buffer.alloc(size);
    next.set(this.#buf.subarray(0, this.#at));
    this.#buf = next;
    this.#view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }

  u8(v: number): void {
    this.#ensure(1);
    this.#buf[this.#at++] = v;
  }

  u32(v: number): void {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      throw new RangeError(`value encoding: length ${v} is beyond 2^32 - 1`);
    }
    this.#ensure(4);
    this.#view.setUint32(this.#at, v, this.le);
    this.#at += 4;
  }

  u64(v: number): void {
    this.#ensure(8);
    const lo = v % 2 ** 32;
    const hi = (v - lo) / 2 ** 32;
    this.#view.setUint32(this.#at + (this.le ? 0 : 4), lo, this.le);
    this.#view.setUint32(this.#at + (this.le ? 4 : 0), hi, this.le);
    this.#at += 8;
  }

  bytes(b: Uint8Array): void {
    this.#ensure(b.length);
    this.#buf.set(b, this.#at);
    this.#at += b.length;
  }

  /** Zero bytes up to the next multiple of 8 from the start. */
  align(): void {
    const pad = (8 - (this.#at % 8)) % 8;
    this.#ensure(pad);
    this.#buf.fill(0, this.#at, this.#at + pad);
    this.#at += pad;
  }

  /** `b` (whole elements of `size` bytes, host order) in the writer's order. */
  elements(b: Uint8Array, size: number): void {
    this.#ensure(b.length);
    const start = this.#at;
    this.#buf.set(b, start);
    if (size > 1 && this.le !== HOST_LE) reverseElements(this.#buf, start, b.length, size);
    this.#at += b.length;
  }

  text(s: string): void {
    if (LONE_SURROGATE.test(s)) {
      throw new TypeError('value encoding: a string with a lone surrogate has no UTF-8 form');
    }
    const n = Buffer.byteLength(s, 'utf8');
    this.u32(n);
    this.#ensure(n);
    this.#at += this.#buf.write(s, this.#at, n, 'utf8');
  }

  value(v: unknown, depth: number): void {
    if (depth > VALUE_MAX_DEPTH) {
      throw new RangeError(`value encoding: nested deeper than ${VALUE_MAX_DEPTH} (a cycle?)`);
    }
    if (v === undefined) this.u8(Tag.undefined);
    else if (v === null) this.u8(Tag.null);
    else if (v === false) this.u8(Tag.false);
    else if (v === true) this.u8(Tag.true);
    else if (typeof v === 'number') {
      this.u8(Tag.number);
      this.#f64[0] = v;
      this.elements(this.#f64bytes, 8);
    } else if (typeof v === 'string') {
      this.u8(Tag.string);
      this.text(v);
    } else if (typeof v === 'bigint') {
      this.u8(Tag.bigint);
      this.text(v.toString());
    } else if (Array.isArray(v)) {
      this.u8(Tag.array);
      this.u32(v.length);
      // A hole reads back as undefined.
      for (let i = 0; i < v.length; i++) this.value(v[i], depth + 1);
    } else if (v instanceof Map) {
      this.u8(Tag.map);
      this.u32(v.size);
      for (const [k, x] of v) {
        this.value(k, depth + 1);
        this.value(x, depth + 1);
      }
    } else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const code = ELEMENT_TYPES.findIndex((c) => v instanceof c) + 1;
      if (code === 0) throw new TypeError('value encoding: unsupported typed array');
      const size = (ELEMENT_TYPES[code - 1] as TypedArrayClass).BYTES_PER_ELEMENT;
      this.u8(Tag.typedArray);
      this.u8(code);
      this.u64(v.byteLength / size);
      this.align();
      this.elements(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), size);
    } else if (v instanceof ArrayBuffer) {
      this.u8(Tag.arrayBuffer);
      this.u64(v.byteLength);
      this.align();
      this.bytes(new Uint8Array(v));
    } else if (typeof v === 'object') {
      this.object(v, depth);
    } else {
      throw new TypeError(`value encoding: a ${typeof v} is not plain data`);
    }
  }

  object(v: object, depth: number): void {
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      throw new TypeError(
        `value encoding: a ${String(v.constructor?.name ?? 'class')} instance is not plain data`,
      );
    }
    const keys = Object.keys(v);
    this.u8(Tag.object);
    this.u32(keys.length);
    for (const k of keys) {
      this.text(k);
      this.value((v as Record<string, unknown>)[k], depth + 1);
    }
  }

  finish(): Uint8Array {
    // A mostly full buffer is returned as is (no second copy of a large state).
    if (this.#at >= 0.75 * this.#buf.length) {
      return new Uint8Array(this.#buf.buffer, this.#buf.byteOffset, this.#at);
    }
    const out = new Uint8Array(this.#at);
    out.set(this.#buf.subarray(0, this.#at));
    return out;
  }
}

function reverseElements(b: Uint8Array, start: number, length: number, size: number): void {
  for (let e = start; e < start + length; e += size) {
    for (let i = e, j = e + size - 1; i < j; i++, j--) {
      const t = b[i] as number;
      b[i] = b[j] as number;
      b[j] = t;
    }
  }
}

/**
 * The value `bytes` encode. `file` (and `where`, e.g. `block 2`) name the
 * source in the IoError any damage gives.
 */
export function decodeValue(bytes: Uint8Array, file: string, where?: string): unknown {
  return new Reader(bytes, file, where).read();
}

class Reader {
  readonly #view: DataView;
  readonly #utf8: Buffer;
  readonly #f64 = new Float64Array(1);
  #at = 0;
  #le = true;

  constructor(
    readonly bytes: Uint8Array,
    readonly file: string,
    readonly where: string | undefined,
  ) {
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#utf8 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(problem: string, at = this.#at): never {
    throw new IoError(
      'corrupt',
      { file: this.file, where: this.where },
      `${problem} at byte ${at}`,
    );
  }

  read(): unknown {
    const b = this.bytes;
    if (b.length < HEADER)
      this.fail(`state value of ${b.length} bytes, shorter than its header`, 0);
    if (new TextDecoder('latin1').decode(b.subarray(0, 4)) !== VALUE_MAGIC) {
      this.fail(`not a linreg state value (no ${VALUE_MAGIC} magic)`, 0);
    }
    if (b[4] !== VALUE_VERSION) {
      this.fail(
        `state value encoding version ${String(b[4])}; this linreg reads version ${VALUE_VERSION}`,
        4,
      );
    }
    if (b[5] !== ORDER_LITTLE && b[5] !== ORDER_BIG) {
      this.fail(`bad byte-order code ${String(b[5])}`, 5);
    }
    this.#le = b[5] === ORDER_LITTLE;
    if (b[6] !== 0 || b[7] !== 0) this.fail('reserved header bytes are not zero', 6);
    this.#at = HEADER;
    const value = this.value(0);
    if (this.#at !== b.length) this.fail(`${b.length - this.#at} bytes after the value`);
    return value;
  }

  #left(): number {
    return this.bytes.length - this.#at;
  }

  /** Fails unless `n` more bytes are there (`what` says what they are). */
  #need(n: number, what: string): void {
    if (n > this.#left()) {
      this.fail(`${what} runs past the end (${this.#left()} bytes left)`);
    }
  }

  #u8(what: string): number {
    this.#need(1, what);
    return this.bytes[this.#at++] as number;
  }

  #u32(what: string): number {
    this.#need(4, what);
    const v = this.#view.getUint32(this.#at, this.#le);
    this.#at += 4;
    return v;
  }

  #u64(what: string): number {
    this.#need(8, what);
    const lo = this.#view.getUint32(this.#at + (this.#le ? 0 : 4), this.#le);
    const hi = this.#view.getUint32(this.#at + (this.#le ? 4 : 0), this.#le);
    // Beyond 2^53 it is no length any file can hold; the caller's bound refuses it.
    const v = hi >= 2 ** 21 ? Number.POSITIVE_INFINITY : hi * 2 ** 32 + lo;
    this.#at += 8;
    return v;
  }

  /** A count of items each at least `min` bytes long, bounded by the bytes left. */
  #count(min: number, what: string): number {
    const at = this.#at;
    const n = this.#u32(`${what} length`);
    if (n * min > this.#left()) {
      this.fail(`${what} of ${n} items runs past the end (${this.#left()} bytes left)`, at);
    }
    return n;
  }

  #text(what: string): string {
    const at = this.#at;
    const n = this.#u32(`${what} length`);
    this.#need(n, `${what} of ${n} bytes`);
    // Checked, not replaced: Buffer's decoder would turn bad bytes into U+FFFD silently.
    if (!isUtf8(this.bytes.subarray(this.#at, this.#at + n))) this.fail(`${what} is not UTF-8`, at);
    const text = this.#utf8.toString('utf8', this.#at, this.#at + n);
    this.#at += n;
    return text;
  }

  #pad(): void {
    const pad = (8 - (this.#at % 8)) % 8;
    this.#need(pad, 'alignment padding');
    for (let i = 0; i < pad; i++) {
      if (this.bytes[this.#at + i] !== 0) this.fail('alignment padding is not zero', this.#at + i);
    }
    this.#at += pad;
  }

  value(depth: number): unknown {
    if (depth > VALUE_MAX_DEPTH) this.fail(`values nested deeper than ${VALUE_MAX_DEPTH}`);
    const at = this.#at;
    const tag = this.#u8('value tag');
    switch (tag) {
      case Tag.undefined:
        return undefined;
      case Tag.null:
        return null;
      case Tag.false:
        return false;
      case Tag.true:
        return true;
      case Tag.number: {
        this.#need(8, 'number');
        this.#copyElements(new Uint8Array(this.#f64.buffer), 8);
        return this.#f64[0];
      }
      case Tag.string:
        return this.#text('string');
      case Tag.bigint: {
        const text = this.#text('bigint');
        if (!BIGINT_TEXT.test(text)) this.fail('bigint is not a decimal integer', at);
        return BigInt(text);
      }
      case Tag.array: {
        const n = this.#count(1, 'array');
        const out: unknown[] = new Array(n);
        for (let i = 0; i < n; i++) out[i] = this.value(depth + 1);
        return out;
      }
      case Tag.object: {
        const n = this.#count(5, 'object');
        const out: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) {
          const key = this.#text('key');
          // defineProperty: a key `__proto__` is an own property, never the prototype.
          Object.defineProperty(out, key, {
            value: this.value(depth + 1),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        return out;
      }
      case Tag.map: {
        const n = this.#count(2, 'map');
        const out = new Map<unknown, unknown>();
        for (let i = 0; i < n; i++) {
          const key = this.value(depth + 1);
          out.set(key, this.value(depth + 1));
        }
        return out;
      }
      case Tag.typedArray: {
        const code = this.#u8('typed array element type');
        const type = ELEMENT_TYPES[code - 1];
        if (type === undefined) this.fail(`unknown typed array element type ${code}`, at + 1);
        const n = this.#u64('typed array length');
        this.#pad();
        const size = type.BYTES_PER_ELEMENT;
        this.#need(n * size, `typed array of ${n} elements`);
        const out = new type(n);
        this.#copyElements(new Uint8Array(out.buffer), size);
        return out;
      }
      case Tag.arrayBuffer: {
        const n = this.#u64('ArrayBuffer length');
        this.#pad();
        this.#need(n, `ArrayBuffer of ${n} bytes`);
        const out = this.bytes.slice(this.#at, this.#at + n).buffer;
        this.#at += n;
        return out;
      }
      default:
        return this.fail(`unknown value tag 0x${tag.toString(16).padStart(2, '0')}`, at);
    }
  }

  /** Fills `out` (whole elements of `size` bytes) from the input, in host order. */
  #copyElements(out: Uint8Array, size: number): void {
    out.set(this.bytes.subarray(this.#at, this.#at + out.length));
    if (size > 1 && this.#le !== HOST_LE) reverseElements(out, 0, out.length, size);
    this.#at += out.length;
  }
}
