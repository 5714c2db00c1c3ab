/**
 * The fast path's buffers in the snappy decoder's memory (wasm-arena.ts):
 * regions are disjoint and 64-byte aligned, freed ones merge and serve later
 * requests, the memory never grows while a region is out (growing would
 * detach every view of it), a refused request makes the next growth cover it,
 * and a BufferLease falls back to ordinary buffers when the arena refuses.
 * Each test file runs in a fresh worker: the arena starts empty here.
 */
import { describe, expect, it } from 'vitest';
import { BufferLease } from '../../packages/io/src/parquet/buffer-pool.js';
import {
  arenaFree,
  arenaReserve,
  arenaStats,
  arenaTake,
  inArena,
} from '../../packages/io/src/parquet/fast-path/wasm-arena.js';

const MiB = 2 ** 20;

function take(size: number): Uint8Array {
  const r = arenaTake(size);
  if (r === null) throw new Error(`arena refused ${size} bytes`);
  return r;
}

describe('wasm arena', () => {
  it('hands out disjoint, aligned regions and merges freed ones', () => {
    // Room first: a request with nothing out grows the arena to about that request only.
    expect(arenaReserve(MiB)).toBe(true);
    const sizes = [1, 100, 4096, 70_000, 64, 65];
    const regions = sizes.map(take);
    regions.forEach((r, i) => {
      expect(r.length).toBe(sizes[i]);
      expect(r.byteOffset % 64).toBe(0);
      expect(inArena(r)).toBe(true);
    });
    const sorted = [...regions].sort((a, b) => a.byteOffset - b.byteOffset);
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1] as Uint8Array;
      expect((sorted[i] as Uint8Array).byteOffset).toBeGreaterThanOrEqual(
        prev.byteOffset + prev.length,
      );
    }
    // Writing each region leaves the others as they were.
    for (const [i, r] of regions.entries()) r.fill(i + 1);
    for (const [i, r] of regions.entries()) expect(r.every((b) => b === i + 1)).toBe(true);
    // The second and third regions, freed, merge: a request of both their sizes fits there.
    const [a, b, c, ...rest] = regions as [Uint8Array, Uint8Array, Uint8Array, ...Uint8Array[]];
    expect(arenaFree(b)).toBe(true);
    expect(arenaFree(c)).toBe(true);
    expect(arenaFree(c)).toBe(false); // not out any more
    const merged = take(128 + 4096);
    expect(merged.byteOffset).toBe(b.byteOffset);
    for (const r of [a, merged, ...rest]) expect(arenaFree(r)).toBe(true);
    expect(arenaStats()).toMatchObject({ liveBytes: 0, regions: 0 });
    // A view of other memory is not the arena's.
    expect(arenaFree(new Uint8Array(64))).toBe(false);
    expect(inArena(new Uint8Array(64))).toBe(false);
  });

  it('never grows while a region is out; the next growth covers what it refused', () => {
    const first = take(8 * MiB);
    first.fill(7);
    const size = arenaStats().size;
    // More than is left: refused, and the region out keeps its memory.
    expect(arenaTake(size)).toBeNull();
    expect(first.length).toBe(8 * MiB);
    expect(first[8 * MiB - 1]).toBe(7);
    expect(arenaStats().size).toBe(size);
    expect(arenaReserve(4 * size)).toBe(false); // a region is out: no growth
    expect(arenaStats().size).toBe(size);
    arenaFree(first);
    // Empty now: the next request grows the arena to both requests at once.
    const second = take(8 * MiB);
    expect(arenaStats().size).toBeGreaterThanOrEqual(8 * MiB + size);
    const third = take(size);
    expect(third.byteOffset).toBeGreaterThanOrEqual(second.byteOffset + second.length);
    arenaFree(second);
    arenaFree(third);
  });

  it('grows on reserve only when nothing is out', () => {
    const before = arenaStats().size;
    expect(arenaReserve(before + 4 * MiB)).toBe(true);
    expect(arenaStats().size).toBeGreaterThanOrEqual(before + 4 * MiB);
    expect(arenaReserve(64)).toBe(false); // already large enough
  });

  it('serves a lease from the arena, then from ordinary buffers when it is full', () => {
    const lease = new BufferLease();
    const size = arenaStats().size;
    const a = lease.take(size / 2);
    const b = lease.take(size); // does not fit beside a: an ordinary buffer
    expect(inArena(a)).toBe(true);
    expect(inArena(b)).toBe(false);
    expect(b.byteOffset).toBe(0);
    lease.giveBack(a);
    expect(arenaStats().liveBytes).toBe(0);
    const c = lease.take(64);
    expect(inArena(c)).toBe(true);
    lease.release();
    expect(arenaStats()).toMatchObject({ liveBytes: 0, regions: 0 });
  });
});
