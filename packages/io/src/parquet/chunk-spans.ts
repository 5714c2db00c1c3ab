/** Bytes [start, end) of a file. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** Where a range lies once its span is read: span index and offset inside it. */
export interface RangePlace {
  readonly span: number;
  readonly offset: number;
}

/**
 * Ranges closer than this are read as one span, the gap with them: reading a
 * gap costs a copy (local) or its transfer (remote), less than another read or
 * request would.
 */
export const MAX_GAP = 2 ** 20;
/**
 * A span grows to at most this many bytes (a larger range alone is one
 * span): small enough that decoding starts after a short first read and that
 * a unit holds little compressed data at once (span-stream.ts), large enough
 * that a row group of a thousand chunks is still a few dozen reads.
 */
export const MAX_SPAN = 16 * 2 ** 20;

/**
 * Which spans to read for `ranges` (plain data, no I/O): the ranges in file
 * order, merged while the gap to the next is at most `maxGap` and the span
 * stays within `maxSpan` bytes; overlapping ranges share a span. Each range
 * gets its place, in the order given.
 */
export function planSpans(
  ranges: readonly ByteRange[],
  maxGap = MAX_GAP,
  maxSpan = MAX_SPAN,
): { spans: ByteRange[]; places: RangePlace[] } {
  const order = ranges
    .map((_, i) => i)
    .sort((a, b) => {
      const ra = ranges[a] as ByteRange;
      const rb = ranges[b] as ByteRange;
      return ra.start - rb.start || ra.end - rb.end;
    });
  const spans: { start: number; end: number }[] = [];
  const places: RangePlace[] = new Array(ranges.length);
  for (const i of order) {
    const r = ranges[i] as ByteRange;
    const last = spans[spans.length - 1];
    if (
      last !== undefined &&
      r.start - last.end <= maxGap &&
      Math.max(last.end, r.end) - last.start <= maxSpan
    ) {
      last.end = Math.max(last.end, r.end);
    } else {
      spans.push({ start: r.start, end: r.end });
    }
    const span = spans.length - 1;
    places[i] = { span, offset: r.start - (spans[span] as ByteRange).start };
  }
  return { spans, places };
}
