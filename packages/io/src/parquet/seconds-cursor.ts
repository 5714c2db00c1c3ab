import { type TemporalUnit, toSeconds } from '../temporal.js';
import type { ColumnCursor } from './column-cursor.js';

/**
 * A date, time or timestamp column as seconds: the inner cursor (fast path
 * or fallback) decodes the stored integers, this converts the rows it just
 * wrote, in place (temporal.ts states the unit and the rounding).
 */
export class SecondsCursor implements ColumnCursor {
  constructor(
    private readonly inner: ColumnCursor,
    private readonly unit: TemporalUnit,
  ) {}

  next(values: Float64Array, mask: Uint8Array, at: number, count: number): number {
    const nulls = this.inner.next(values, mask, at, count);
    toSeconds(values, at, at + count, this.unit);
    return nulls;
  }
}
