/**
 * The fast path's buffer pool: requests round up to a size class (at most
 * 12.5% over), a released buffer serves the next request of its class, and a
 * lease never hands out one buffer twice.
 */
import { describe, expect, it } from 'vitest';
import { BufferLease, sizeClass } from '../../packages/io/src/parquet/buffer-pool.js';

describe('sizeClass', () => {
  it.each([
    [0, 1024],
    [1, 1024],
    [1024, 1024],
    [1025, 1152],
    [2048, 2048],
    [40_036, 40_960],
    [500_029, 524_288],
    [2 ** 20, 2 ** 20],
    [2 ** 20 + 1, 2 ** 20 + 2 ** 17],
    [2 ** 30 + 1, 2 ** 30 + 1],
  ])('%d bytes -> %d', (size, expected) => {
    expect(sizeClass(size)).toBe(expected);
  });

  it('is at least the request and at most 12.5% over it above the smallest class', () => {
    for (let size = 1025; size < 300_000; size += 997) {
      const c = sizeClass(size);
      expect(c).toBeGreaterThanOrEqual(size);
      expect(c).toBeLessThanOrEqual(size * 1.125);
      // Every request that rounds to c is served by a buffer of c bytes: c is its own class.
      expect(sizeClass(c)).toBe(c);
    }
  });
});

describe('BufferLease', () => {
  it('recycles a released buffer for the next request of its class, not for a larger one', () => {
    const first = new BufferLease(false);
    const a = first.take(40_036);
    expect(a.length).toBe(40_036);
    expect(a.byteOffset).toBe(0);
    expect(a.buffer.byteLength).toBe(40_960);
    first.release();
    const second = new BufferLease(false);
    const b = second.take(40_500); // same class: the same memory
    expect(b.buffer).toBe(a.buffer);
    expect(b.length).toBe(40_500);
    const c = second.take(40_000); // the class's only free buffer is taken: a new one
    expect(c.buffer).not.toBe(a.buffer);
    const d = second.take(50_000); // another class
    expect(d.buffer).not.toBe(a.buffer);
    expect(d.buffer.byteLength).toBe(sizeClass(50_000));
    second.release();
  });
});
