/**
 * The binary layout of an accumulator state: one Float64Array, a fixed
 * 16-double header followed by the payload. The same bytes live in memory,
 * move between worker threads (as the ArrayBuffer) and are written to
 * partial-state files, so (de)serialization is zero-copy.
 *
 * ## Header (doubles)
 *
 * | index | field                                            |
 * |-------|--------------------------------------------------|
 * | 0     | magic 0x4c696e526567 ("LinReg")                  |
 * | 1     | format version (1)                               |
 * | 2     | kind: 1 = qr, 2 = normal                         |
 * | 3     | p, number of feature columns                     |
 * | 4     | flags: bit 0 intercept, bit 1 weighted           |
 * | 5     | rows (including zero-weight rows)                |
 * | 6     | rows with positive weight                        |
 * | 7     | Σw                                               |
 * | 8     | Σ log w over w > 0                               |
 * | 9     | payload length in doubles                        |
 * | 10-15 | reserved, zero                                   |
 *
 * ## Payload
 *
 * - qr: R, k x k row-major upper triangular, k = p + intercept + 1.
 * - normal: the q = p + 1 weighted means of [X y] as two arrays hi and lo
 *   (mean = hi + lo, an unevaluated sum; zeros without intercept), then
 *   the q x q row-major co-moment matrix (upper triangle used): centered
 *   Σ w (x − x̄)(x − x̄)ᵀ with an intercept, raw Σ w x xᵀ without.
 *
 * Numbers are stored in the platform's byte order (little-endian on every
 * platform Node supports); a byte-swapped file fails the magic check.
 */

import type { AccumulatorKind, AccumulatorSpec } from '../types.js';

export const STATE_MAGIC = 0x4c696e526567;
export const STATE_VERSION = 1;
export const HEADER_LENGTH = 16;

export const H_MAGIC = 0;
export const H_VERSION = 1;
export const H_KIND = 2;
export const H_P = 3;
export const H_FLAGS = 4;
export const H_ROWS = 5;
export const H_ROWS_POSITIVE = 6;
export const H_SUM_WEIGHTS = 7;
export const H_SUM_LOG_WEIGHTS = 8;
export const H_PAYLOAD_LENGTH = 9;

const FLAG_INTERCEPT = 1;
const FLAG_WEIGHTED = 2;

/** Largest p a state may declare; guards against allocating from a corrupt header. */
export const MAX_FEATURES = 1 << 16;

/** A partial-state buffer is not a valid accumulator state. Names the header field at fault. */
export class StateFormatError extends Error {
  override readonly name = 'StateFormatError';
  constructor(
    /** The header field (or 'length') that failed validation. */
    readonly field: string,
    readonly problem: string,
  ) {
    super(`accumulator state: ${field}: ${problem}`);
  }
}

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
  const payload = payloadLength(spec);
  const data = new Float64Array(HEADER_LENGTH + payload);
  data[H_MAGIC] = STATE_MAGIC;
  data[H_VERSION] = STATE_VERSION;
  data[H_KIND] = KIND_CODES[spec.kind];
  data[H_P] = spec.p;
  data[H_FLAGS] = (spec.intercept ? FLAG_INTERCEPT : 0) | (spec.weighted ? FLAG_WEIGHTED : 0);
  data[H_PAYLOAD_LENGTH] = payload;
  return data;
}

/** A Float64Array view of a state buffer (no copy); the length must be a whole number of doubles. */
export function stateView(buf: ArrayBuffer): Float64Array<ArrayBuffer> {
  if (buf.byteLength % 8 !== 0) {
    throw new StateFormatError(
      'length',
      `${buf.byteLength} bytes is not a whole number of 8-byte values (truncated?)`,
    );
  }
  return new Float64Array(buf);
}

function isCount(x: number): boolean {
  return Number.isInteger(x) && x >= 0;
}

/**
 * Reads and validates the header of a state buffer; returns the spec it
 * declares. Throws StateFormatError naming the first field that is wrong.
 */
export function readStateHeader(data: Float64Array): AccumulatorSpec {
  if (data.length < HEADER_LENGTH) {
    throw new StateFormatError(
      'length',
      `${data.length * 8} bytes is shorter than the ${HEADER_LENGTH * 8}-byte header (truncated?)`,
    );
  }
  const magic = data[H_MAGIC];
  if (magic !== STATE_MAGIC) {
    throw new StateFormatError(
      'magic',
      `found ${String(magic)}, expected 0x${STATE_MAGIC.toString(16)}: not a linreg accumulator state (or written with another byte order)`,
    );
  }
  const version = data[H_VERSION];
  if (version !== STATE_VERSION) {
    throw new StateFormatError(
      'version',
      `format version ${String(version)} is not supported (this build reads version ${STATE_VERSION})`,
    );
  }
  const kindCode = data[H_KIND];
  const kind: AccumulatorKind | undefined =
    kindCode === KIND_CODES.qr ? 'qr' : kindCode === KIND_CODES.normal ? 'normal' : undefined;
  if (kind === undefined) {
    throw new StateFormatError(
      'kind',
      `unknown kind code ${String(kindCode)} (1 = qr, 2 = normal)`,
    );
  }
  const p = data[H_P];
  if (!isCount(p) || p > MAX_FEATURES) {
    throw new StateFormatError('p', `${String(p)} is not a feature count in 0..${MAX_FEATURES}`);
  }
  const flags = data[H_FLAGS];
  if (!isCount(flags) || flags > (FLAG_INTERCEPT | FLAG_WEIGHTED)) {
    throw new StateFormatError('flags', `${String(flags)} is not a valid flag set (0..3)`);
  }
  const spec: AccumulatorSpec = {
    kind,
    p,
    intercept: (flags & FLAG_INTERCEPT) !== 0,
    weighted: (flags & FLAG_WEIGHTED) !== 0,
  };
  const expected = payloadLength(spec);
  if (data[H_PAYLOAD_LENGTH] !== expected) {
    throw new StateFormatError(
      'payload length',
      `header says ${String(data[H_PAYLOAD_LENGTH])} doubles, a ${kind} state with p = ${p} has ${expected}`,
    );
  }
  if (data.length !== HEADER_LENGTH + expected) {
    throw new StateFormatError(
      'length',
      `${data.length * 8} bytes, expected ${(HEADER_LENGTH + expected) * 8} for a ${kind} state with p = ${p}${data.length < HEADER_LENGTH + expected ? ' (truncated?)' : ''}`,
    );
  }
  const rows = data[H_ROWS];
  const rowsPositive = data[H_ROWS_POSITIVE];
  if (!isCount(rows) || !isCount(rowsPositive) || rowsPositive > rows) {
    throw new StateFormatError(
      'rows',
      `row counts ${String(rows)} / ${String(rowsPositive)} (positive weight) are inconsistent`,
    );
  }
  const sumWeights = data[H_SUM_WEIGHTS];
  if (!(sumWeights >= 0) || sumWeights === Number.POSITIVE_INFINITY) {
    throw new StateFormatError('sum of weights', `${String(sumWeights)} is not finite and >= 0`);
  }
  if (!Number.isFinite(data[H_SUM_LOG_WEIGHTS])) {
    throw new StateFormatError(
      'sum of log weights',
      `${String(data[H_SUM_LOG_WEIGHTS])} is not finite`,
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
