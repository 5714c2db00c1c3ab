/**
 * JSON text written in pieces, never as one string: a wide model's document
 * (p = 4,000: two 4,001 × 4,001 matrices) is longer than V8's largest string
 * (2²⁹ − 24 characters), so `JSON.stringify` of it throws "Invalid string
 * length" (issue 12).
 *
 * The text is exactly `JSON.stringify(value, null, 2)` — same keys, order,
 * numbers, `null` for non-finite numbers, two-space indent — except for one
 * documented change (docs/model-format.md, "Large matrices"): an array of
 * arrays holding more than LARGE_MATRIX_ENTRIES numbers is written one row
 * per line, each row compact (`[1.5,-2,null]`). JSON whitespace is not part
 * of the data, so every JSON reader reads the same values; pretty-printed,
 * each number would take its own indented line (~30 characters where compact
 * takes ~20), and the p = 4,000 file would be ~800 MB instead of ~330 MB.
 * Below the threshold the text is byte-identical to what linreg always wrote.
 */

/** Matrices above this many entries (a square one: m > 2,048) are written one compact row per line. */
export const LARGE_MATRIX_ENTRIES = 2 ** 22;

/** Pieces are joined up to about this many characters before they are handed out. */
const CHUNK_CHARS = 1 << 20;

/**
 * The JSON text of `value` in chunks of about a megabyte, ending with a
 * newline; their concatenation is the document. A text surely shorter than
 * `oneString` characters is made by one JSON.stringify (tests pass 0 to
 * exercise the walk that larger ones take).
 */
export function* jsonChunks(
  value: unknown,
  oneString = MAX_TEXT_CHARS,
): Generator<string, void, undefined> {
  if (textBound(value, 0) <= oneString) {
    // One JSON.stringify, handed out in slices: half the time of the walk below
    // (p = 1,000: ~170 against ~340 ms), and the same text.
    const text = `${JSON.stringify(value, null, 2)}\n`;
    for (let at = 0; at < text.length; at += CHUNK_CHARS) yield text.slice(at, at + CHUNK_CHARS);
    return;
  }
  let parts: string[] = [];
  let length = 0;
  for (const piece of pieces(value, '')) {
    parts.push(piece);
    length += piece.length;
    if (length >= CHUNK_CHARS) {
      yield parts.join('');
      parts = [];
      length = 0;
    }
  }
  parts.push('\n');
  yield parts.join('');
}

/** V8's largest string (2²⁹ − 24 characters), less a margin for the bound's own slack. */
const MAX_TEXT_CHARS = 2 ** 29 - 2 ** 20;

/** Characters of the longest number JSON.stringify writes (`-0.0000012345678901234567`, `-1.2345678901234567e-308`), and a sign. */
const NUMBER_CHARS = 26;

/**
 * An upper bound on the length of JSON.stringify(value, null, 2) at nesting
 * `depth`, or Infinity when the value holds a large matrix (written in its
 * own layout), a toJSON method (whose text is not known), or is longer than
 * one string. A string may be escaped to 6 characters a character (\u0000).
 */
function textBound(value: unknown, depth: number): number {
  if (typeof value === 'number') return NUMBER_CHARS;
  if (typeof value === 'string') return 6 * value.length + 2;
  if (typeof value !== 'object' || value === null) return 5; // true, false, null, or nothing
  if (isLeaf(value)) return Number.POSITIVE_INFINITY;
  const line = 2 * depth + 4; // indent, ',' and line break
  let total = 2 + line;
  if (Array.isArray(value)) {
    if (isLargeMatrix(value)) return Number.POSITIVE_INFINITY;
    for (const element of value) {
      // Inline for numbers: a wide model's matrices are millions of them.
      total += line + (typeof element === 'number' ? NUMBER_CHARS : textBound(element, depth + 1));
    }
    return total > MAX_TEXT_CHARS ? Number.POSITIVE_INFINITY : total;
  }
  for (const [key, element] of Object.entries(value)) {
    total += line + 6 * key.length + 4 + textBound(element, depth + 1);
    if (total > MAX_TEXT_CHARS) return Number.POSITIVE_INFINITY;
  }
  return total;
}

/** True for a value JSON.stringify writes by its own rules (toJSON), which is left to it. */
function hasToJson(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/** An object JSON.stringify writes as a whole: one with toJSON, or a boxed number, string or boolean. */
function isLeaf(value: object): boolean {
  return (
    hasToJson(value) ||
    value instanceof Number ||
    value instanceof String ||
    value instanceof Boolean
  );
}

/** JSON.stringify(value, null, 2), its lines indented by `indent` after the first. */
function stringified(value: unknown, indent: string): string | undefined {
  const text = JSON.stringify(value, null, 2) as string | undefined;
  // A JSON string never holds a raw newline (it is escaped), so every '\n' is a line break.
  return text === undefined || indent === '' ? text : text.replaceAll('\n', `\n${indent}`);
}

function isLargeMatrix(value: readonly unknown[]): boolean {
  let entries = 0;
  for (const row of value) {
    if (!Array.isArray(row) || hasToJson(row)) return false;
    entries += row.length;
  }
  return entries > LARGE_MATRIX_ENTRIES;
}

/**
 * The pieces of `value` at nesting `indent`, or nothing when JSON.stringify
 * would write nothing (undefined, a function): objects and arrays of arrays
 * or objects are walked, every other value is JSON.stringify's own text.
 */
function* pieces(value: unknown, indent: string): Generator<string, void, undefined> {
  if (typeof value !== 'object' || value === null || isLeaf(value)) {
    const text = stringified(value, indent);
    if (text !== undefined) yield text;
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    if (isLargeMatrix(value)) {
      yield '[';
      // JSON.stringify's own numbers (and null for NaN, ±Infinity), without the line breaks.
      for (let i = 0; i < value.length; i++) {
        yield `${i === 0 ? '' : ','}\n${inner}${JSON.stringify(value[i])}`;
      }
      yield `\n${indent}]`;
      return;
    }
    if (!value.some((v) => typeof v === 'object' && v !== null)) {
      yield stringified(value, indent) as string;
      return;
    }
    yield '[';
    for (let i = 0; i < value.length; i++) {
      yield `${i === 0 ? '' : ','}\n${inner}`;
      let wrote = false;
      for (const piece of pieces(value[i], inner)) {
        wrote = true;
        yield piece;
      }
      // As JSON.stringify: an element it cannot write (undefined, a function) is null.
      if (!wrote) yield 'null';
    }
    yield `\n${indent}]`;
    return;
  }
  let first = true;
  for (const [key, v] of Object.entries(value)) {
    let opened = false;
    for (const piece of pieces(v, inner)) {
      if (!opened) {
        yield `${first ? '{' : ','}\n${inner}${JSON.stringify(key)}: `;
        opened = true;
        first = false;
      }
      yield piece;
    }
  }
  yield first ? '{}' : `\n${indent}}`;
}
