/**
 * JSON read from its UTF-8 bytes without decoding the whole file to one
 * string: a wide model's file (p = 4,000: ~330 MB) comes close to V8's
 * largest string (2²⁹ − 24 characters), and a pretty-printed one exceeds it.
 *
 * A document up to WHOLE_BYTES is decoded and JSON.parse'd as before. A
 * larger one is split along its structure: objects and arrays larger than
 * WHOLE_BYTES are walked here (keys, ':' and ',' checked), and every value
 * smaller than that — a matrix row, a coefficient — goes to JSON.parse, which
 * reads its numbers and strings and validates it. The result is the value
 * JSON.parse would return (the same numbers: each is parsed by JSON.parse).
 */

/** Documents and values up to this many bytes are decoded and parsed in one piece. */
export const WHOLE_BYTES = 1 << 26;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const decoder = new TextDecoder();

/** UTF-8 text of the bytes; a view of shared memory (a worker task's model) is copied first, as browsers require. */
function decode(bytes: Uint8Array): string {
  return decoder.decode(bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice());
}

/** JSON.parse of UTF-8 bytes (a leading byte-order mark skipped, as TextDecoder does); throws SyntaxError. */
export function parseJsonBytes(bytes: Uint8Array, whole = WHOLE_BYTES): unknown {
  if (bytes.length <= whole) return JSON.parse(decode(bytes));
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const start = skipSpace(bytes, bom);
  const end = valueEnd(bytes, start);
  if (skipSpace(bytes, end) !== bytes.length) unexpected(bytes, skipSpace(bytes, end));
  return parseSpan(bytes, start, end, whole);
}

function parseSpan(b: Uint8Array, start: number, end: number, whole: number): unknown {
  const open = b[start];
  if (end - start <= whole || (open !== OPEN_BRACE && open !== OPEN_BRACKET)) {
    return JSON.parse(decode(b.subarray(start, end)));
  }
  const isObject = open === OPEN_BRACE;
  const close = isObject ? CLOSE_BRACE : CLOSE_BRACKET;
  const out: unknown[] | Record<string, unknown> = isObject ? {} : [];
  let i = skipSpace(b, start + 1);
  if (b[i] === close) return i + 1 === end ? out : unexpected(b, i + 1);
  for (;;) {
    let key = '';
    if (isObject) {
      if (b[i] !== QUOTE) unexpected(b, i);
      const keyEnd = valueEnd(b, i);
      key = JSON.parse(decode(b.subarray(i, keyEnd))) as string;
      i = skipSpace(b, keyEnd);
      if (b[i] !== COLON) unexpected(b, i);
      i = skipSpace(b, i + 1);
    }
    const valueStop = valueEnd(b, i);
    const value = parseSpan(b, i, valueStop, whole);
    if (isObject) {
      // An own property even for "__proto__", as JSON.parse makes it; the last duplicate wins.
      Object.defineProperty(out, key, {
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    } else {
      (out as unknown[]).push(value);
    }
    i = skipSpace(b, valueStop);
    if (b[i] === COMMA) {
      i = skipSpace(b, i + 1);
      continue;
    }
    if (b[i] === close && i + 1 === end) return out;
    return unexpected(b, i);
  }
}

function skipSpace(b: Uint8Array, at: number): number {
  let i = at;
  for (;;) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/** Bytes that matter to the structure: quote, brackets and braces (1); all others (0) are skipped. */
const STRUCTURE = new Uint8Array(256);
for (const c of [QUOTE, OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET]) STRUCTURE[c] = 1;

/** Bytes that end a number, true, false or null: ',', ']', '}' and whitespace. */
const SCALAR_END = new Uint8Array(256);
for (const c of [COMMA, CLOSE_BRACE, CLOSE_BRACKET, 0x20, 0x0a, 0x0d, 0x09]) SCALAR_END[c] = 1;

/** Where the value starting at `at` ends (one past it): a string, a nested object or array, or a scalar. */
function valueEnd(b: Uint8Array, at: number): number {
  const n = b.length;
  const first = b[at];
  if (first === QUOTE) return stringEnd(b, at);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    let i = at;
    while (i < n) {
      // The hot loop of a wide model: ~550 MB, nearly all digits, skipped by one table look-up each.
      while (i < n && STRUCTURE[b[i] as number] === 0) i++;
      if (i === n) break;
      const c = b[i] as number;
      if (c === QUOTE) {
        i = stringEnd(b, i);
        continue;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (--depth === 0) return i + 1;
      i++;
    }
    return unexpected(b, n);
  }
  // A number, true, false or null: JSON.parse checks it.
  let i = at;
  while (i < n && SCALAR_END[b[i] as number] === 0) i++;
  return i === at ? unexpected(b, at) : i;
}

function stringEnd(b: Uint8Array, at: number): number {
  const n = b.length;
  let i = at + 1;
  while (i < n) {
    const c = b[i];
    if (c === QUOTE) return i + 1;
    i += c === BACKSLASH ? 2 : 1;
  }
  return unexpected(b, n);
}

function unexpected(b: Uint8Array, at: number): never {
  throw new SyntaxError(
    at >= b.length ? 'Unexpected end of JSON input' : `Unexpected byte at position ${at}`,
  );
}
