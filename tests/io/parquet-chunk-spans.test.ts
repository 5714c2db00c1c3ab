/**
 * planSpans: a unit's column chunks are read as few spans — ranges in file
 * order merged across gaps of at most maxGap while the span stays within
 * maxSpan — and every range finds its bytes at its place in its span.
 */
import { describe, expect, it } from 'vitest';
import { type ByteRange, planSpans } from '../../packages/io/src/parquet/chunk-spans.js';

const r = (start: number, end: number): ByteRange => ({ start, end });

describe('planSpans', () => {
  it('merges back-to-back and nearby ranges, in any order given, and places each', () => {
    const ranges = [r(300, 400), r(100, 200), r(200, 300), r(450, 500), r(10_000, 10_100)];
    const { spans, places } = planSpans(ranges, 100, 1 << 20);
    expect(spans).toEqual([r(100, 500), r(10_000, 10_100)]);
    expect(places).toEqual([
      { span: 0, offset: 200 },
      { span: 0, offset: 0 },
      { span: 0, offset: 100 },
      { span: 0, offset: 350 },
      { span: 1, offset: 0 },
    ]);
  });

  it('keeps a gap above maxGap apart, and a span within maxSpan', () => {
    expect(planSpans([r(0, 10), r(111, 120)], 100, 1000).spans).toEqual([r(0, 10), r(111, 120)]);
    expect(planSpans([r(0, 10), r(110, 120)], 100, 1000).spans).toEqual([r(0, 120)]);
    const { spans } = planSpans([r(0, 400), r(400, 800), r(800, 1200)], 0, 1000);
    expect(spans).toEqual([r(0, 800), r(800, 1200)]);
    // A range larger than maxSpan is a span of its own.
    expect(planSpans([r(0, 5000), r(5000, 5001)], 0, 1000).spans).toEqual([
      r(0, 5000),
      r(5000, 5001),
    ]);
  });

  it('overlapping and empty ranges share a span; no ranges, no spans', () => {
    const { spans, places } = planSpans([r(50, 150), r(0, 100), r(70, 70)], 0, 1000);
    expect(spans).toEqual([r(0, 150)]);
    expect(places).toEqual([
      { span: 0, offset: 50 },
      { span: 0, offset: 0 },
      { span: 0, offset: 70 },
    ]);
    expect(planSpans([])).toEqual({ spans: [], places: [] });
  });

  it('every range lies inside its span (seeded random layouts)', () => {
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let trial = 0; trial < 200; trial++) {
      const ranges = Array.from({ length: 1 + Math.floor(next() * 20) }, () => {
        const start = Math.floor(next() * 10_000);
        return r(start, start + Math.floor(next() * 500));
      });
      const { spans, places } = planSpans(ranges, Math.floor(next() * 300), 2000);
      ranges.forEach((range, i) => {
        const p = places[i];
        const span = spans[p?.span ?? -1];
        expect(span).toBeDefined();
        expect((span as ByteRange).start + (p?.offset ?? 0)).toBe(range.start);
        expect(range.end).toBeLessThanOrEqual((span as ByteRange).end);
      });
    }
  });
});
