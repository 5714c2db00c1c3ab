/**
 * Slow-path CSV helpers for headers and samples (not the per-row hot loop,
 * which lives in records.ts): find where a record ends and split it into
 * decoded field strings. RFC 4180: a field may be quoted with `"`, a quote
 * inside a quoted field is doubled, and a quoted field may hold the delimiter
 * and line breaks; records end with LF or CRLF.
 */

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * The offset just after the record that starts at `start` (after its LF or
 * CRLF, or `end` when `atEof` and the last record has no line break), or -1
 * when the record is not complete within `bytes[start, end)`.
 */
export function recordEnd(bytes: Uint8Array, start: number, end: number, atEof: boolean): number {
  let inQuotes = false;
  for (let i = start; i < end; i += 1) {
    const b = bytes[i];
    if (b === QUOTE) inQuotes = !inQuotes;
    else if (b === LF && !inQuotes) return i + 1;
  }
  return atEof ? end : -1;
}

/** Number of LF bytes in `bytes[start, end)`. */
export function countLines(bytes: Uint8Array, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i += 1) if (bytes[i] === LF) n += 1;
  return n;
}

/** Splits one record (without requiring its line break) into decoded UTF-8 field strings. */
export function splitRecord(
  bytes: Uint8Array,
  start: number,
  end: number,
  delimiter: number,
): string[] {
  let e = end;
  if (e > start && bytes[e - 1] === LF) e -= 1;
  if (e > start && bytes[e - 1] === CR) e -= 1;
  const decoder = new TextDecoder('utf-8');
  const fields: string[] = [];
  let i = start;
  for (;;) {
    if (i < e && bytes[i] === QUOTE) {
      const parts: string[] = [];
      let p = i + 1;
      let from = p;
      for (;;) {
        if (p >= e) {
          parts.push(decoder.decode(bytes.subarray(from, e)));
          i = e;
          break;
        }
        if (bytes[p] === QUOTE) {
          parts.push(decoder.decode(bytes.subarray(from, p)));
          if (bytes[p + 1] === QUOTE && p + 1 < e) {
            parts.push('"');
            p += 2;
            from = p;
            continue;
          }
          i = p + 1;
          break;
        }
        p += 1;
      }
      // Anything between the closing quote and the delimiter is kept verbatim.
      let q = i;
      while (q < e && bytes[q] !== delimiter) q += 1;
      if (q > i) parts.push(decoder.decode(bytes.subarray(i, q)));
      fields.push(parts.join(''));
      i = q;
    } else {
      let q = i;
      while (q < e && bytes[q] !== delimiter) q += 1;
      fields.push(decoder.decode(bytes.subarray(i, q)));
      i = q;
    }
    if (i >= e) break;
    i += 1; // the delimiter
    if (i === e) {
      fields.push('');
      break;
    }
  }
  return fields;
}
