/**
 * The accumulator state: one Float64Array, the common state header with the
 * accumulator's fields (accumulator kind, p, flags, row counts, Σw, Σ log w),
 * then the payload (R for qr; means and co-moments for normal). Layout,
 * checksum and versioning: docs/state-format.md. The same bytes live in
 * memory and move between worker threads, so (de)serialization is zero-copy.
 */

import { StateFormatError } from '@linreg/errors';
import {
  ACCUMULATOR_STATE,
  createState,
  fieldIndex,
  headerLength,
  openState,
} from '../state/index.js';
import type { AccumulatorKind, AccumulatorSpec } from '../types.js';

export { MAX_FEATURES } from '../state/index.js';

/** Slots before the payload (the common prefix and the accumulator's fields). */
export const HEADER_LENGTH = headerLength(ACCUMULATOR_STATE);

export const H_ACCUMULATOR_KIND = fieldIndex(ACCUMULATOR_STATE, 'accumulator kind');
export const H_P = fieldIndex(ACCUMULATOR_STATE, 'p');
export const H_FLAGS = fieldIndex(ACCUMULATOR_STATE, 'flags');
export const H_ROWS = fieldIndex(ACCUMULATOR_STATE, 'rows');
export const H_ROWS_POSITIVE = fieldIndex(ACCUMULATOR_STATE, 'rows positive');
export const H_SUM_WEIGHTS = fieldIndex(ACCUMULATOR_STATE, 'sum of weights');
export const H_SUM_LOG_WEIGHTS = fieldIndex(ACCUMULATOR_STATE, 'sum of log weights');

/** The header fields that count the rows: the same for every column subset of one state. */
export const ROW_FIELDS = [H_ROWS, H_ROWS_POSITIVE, H_SUM_WEIGHTS, H_SUM_LOG_WEIGHTS] as const;

const FLAG_INTERCEPT = 1;
const FLAG_WEIGHTED = 2;

const KIND_CODES: Record<AccumulatorKind, number> = { qr: 1, normal: 2 };

/** Number of columns of the augmented design [1 X y]. */
export function augmentedColumns(spec: AccumulatorSpec): number {
  return spec.p + (spec.intercept ? 1 : 0) + 1;
}

/** Payload length in doubles for a spec. */
export function payloadLength(spec: AccumulatorSpec): number {
  if (spec.kind === 'qr') {
    const k = augmentedColumns(spec);
    return k * k;
  }
  const q = spec.p + 1;
  return 2 * q + q * q;
}

/** A zeroed state buffer with its header filled for `spec`. */
export function allocateState(spec: AccumulatorSpec): Float64Array<ArrayBuffer> {
  const data = createState(ACCUMULATOR_STATE, payloadLength(spec));
  data[H_ACCUMULATOR_KIND] = KIND_CODES[spec.kind];
  data[H_P] = spec.p;
  data[H_FLAGS] = (spec.intercept ? FLAG_INTERCEPT : 0) | (spec.weighted ? FLAG_WEIGHTED : 0);
  return data;
}

/**
 * Reads and validates a serialized accumulator state (brought to this
 * machine's byte order in place); returns the spec it declares. Throws
 * StateFormatError naming the first field that is wrong.
 */
export function readStateHeader(data: Float64Array): AccumulatorSpec {
  openState(data, ACCUMULATOR_STATE);
  const kind: AccumulatorKind = data[H_ACCUMULATOR_KIND] === KIND_CODES.qr ? 'qr' : 'normal';
  const p = data[H_P];
  const flags = data[H_FLAGS];
  const spec: AccumulatorSpec = {
    kind,
    p,
    intercept: (flags & FLAG_INTERCEPT) !== 0,
    weighted: (flags & FLAG_WEIGHTED) !== 0,
  };
  const expected = payloadLength(spec);
  const declared = data.length - HEADER_LENGTH;
  if (declared !== expected) {
    throw new StateFormatError(
      'payload length',
      `header says ${declared} doubles, a ${kind} state with p = ${p} has ${expected}`,
    );
  }
  if (data[H_ROWS_POSITIVE] > data[H_ROWS]) {
    throw new StateFormatError(
      'rows',
      `row counts ${data[H_ROWS]} / ${data[H_ROWS_POSITIVE]} (positive weight) are inconsistent`,
    );
  }
  return spec;
}

/** Whether two specs describe the same accumulator. */
export function sameSpec(a: AccumulatorSpec, b: AccumulatorSpec): boolean {
  return (
    a.kind === b.kind && a.p === b.p && a.intercept === b.intercept && a.weighted === b.weighted
  );
}
