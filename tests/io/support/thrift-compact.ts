/**
 * Hand-built Parquet page headers for reader tests: Thrift compact-protocol
 * varints, zigzag i32s and structs of i32 fields and nested structs, so page
 * headers (CRCs, malformed fields, v1/v2 pages) can be written without a
 * writer that produces them.
 */
import type { ValueKind } from '../../../packages/io/src/parquet/fast-path/value-kind.js';

/** The value kind of a PLAIN float64 column. */
export const DOUBLE: ValueKind = {
  physical: 'DOUBLE',
  width: 8,
  unsigned: false,
  scale: 0,
  float16: false,
  decimalBytes: false,
};

/** An unsigned LEB128 varint. */
export function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

/** A zigzag-encoded i32. */
export const zigzag = (n: number): number[] => varint(n >= 0 ? 2 * n : -2 * n - 1);

/** A compact-protocol struct of i32 fields (id -> value) and nested structs, ids ascending. */
export function struct(fields: [number, number | number[]][]): number[] {
  const out: number[] = [];
  let last = 0;
  for (const [id, value] of fields) {
    out.push(((id - last) << 4) | (typeof value === 'number' ? 5 : 12));
    out.push(...(typeof value === 'number' ? zigzag(value) : value));
    last = id;
  }
  out.push(0);
  return out;
}
