/**
 * Writing and reading the common state header (docs/state-format.md): every
 * binary state is allocated by `createState`, turned into bytes by
 * `serializeState` (which fills the checksum in place, no copy) and validated
 * by `openState` (magic, byte order, kind, version, lengths, checksum, then
 * the kind's fields by their table), which throws StateFormatError naming
 * the field at fault.
 */
import { StateFormatError } from '@linreg/errors';
import { stateChecksum } from './checksum.js';
import {
  BYTE_ORDER_MARK,
  HOST_LITTLE_ENDIAN,
  headerLength,
  PREFIX_LENGTH,
  S_BYTE_ORDER,
  S_CHECKSUM,
  S_HEADER_LENGTH,
  S_KIND,
  S_MAGIC,
  S_PAYLOAD_LENGTH,
  S_VERSION,
  STATE_LAYOUTS,
  STATE_MAGIC,
  STATE_MAGIC_BYTES,
  type StateField,
  type StateLayout,
} from './kinds.js';

/** A zeroed state of `layout` with `payloadLength` payload doubles; its common prefix is filled. */
export function createState(layout: StateLayout, payloadLength: number): Float64Array<ArrayBuffer> {
  const header = headerLength(layout);
  const data = new Float64Array(header + payloadLength);
  new Uint8Array(data.buffer, 0, 8).set(STATE_MAGIC_BYTES);
  data[S_BYTE_ORDER] = BYTE_ORDER_MARK;
  data[S_KIND] = layout.code;
  data[S_VERSION] = layout.version;
  data[S_HEADER_LENGTH] = header;
  data[S_PAYLOAD_LENGTH] = payloadLength;
  return data;
}

/** Computes the state's checksum and stores it in the checksum slot (in place); returns it. */
export function sealState(data: Float64Array): number {
  const sum = stateChecksum(data);
  data[S_CHECKSUM] = sum;
  return sum;
}

/**
 * The state's bytes with a fresh checksum: its own buffer (no copy) when the
 * state spans all of it, else a copy.
 */
export function serializeState(data: Float64Array): ArrayBuffer {
  sealState(data);
  const buf = data.buffer;
  if (buf instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === buf.byteLength) {
    return buf;
  }
  return data.slice().buffer;
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

const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

const article = (word: string): string => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);

function kindList(): string {
  return STATE_LAYOUTS.map((l) => `${l.code} = ${l.kind}`).join(', ');
}

/** Reverses the bytes of every slot but the magic: a state written in the other byte order, in place. */
export function swapStateByteOrder(data: Float64Array): void {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  for (let o = 8; o < bytes.length; o += 8) {
    for (let a = o, b = o + 7; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

/**
 * Validates the common prefix of a state of `layout` and returns whether its
 * numbers are little-endian. Does not touch the bytes.
 */
function checkPrefix(data: Float64Array, layout: StateLayout): boolean {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.length < PREFIX_LENGTH * 8) {
    throw new StateFormatError(
      'length',
      `${bytes.length} bytes is shorter than the ${PREFIX_LENGTH * 8}-byte common header (truncated?)`,
    );
  }
  const magic = bytes.subarray(S_MAGIC, S_MAGIC + 8);
  if (!magic.every((b, i) => b === STATE_MAGIC_BYTES[i])) {
    throw new StateFormatError(
      'magic',
      `found bytes ${hex(magic)}, expected "${STATE_MAGIC}": not a linreg state`,
    );
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let little: boolean;
  if (view.getFloat64(8 * S_BYTE_ORDER, true) === BYTE_ORDER_MARK) little = true;
  else if (view.getFloat64(8 * S_BYTE_ORDER, false) === BYTE_ORDER_MARK) little = false;
  else {
    throw new StateFormatError(
      'byte order',
      `found bytes ${hex(bytes.subarray(8, 16))}, expected 08 07 06 05 04 03 02 01 (little-endian) or 01 02 … 08 (big-endian): the state is corrupt`,
    );
  }
  const slot = (s: number): number => view.getFloat64(8 * s, little);
  const kind = slot(S_KIND);
  if (kind !== layout.code) {
    const found = STATE_LAYOUTS.find((l) => l.code === kind);
    throw new StateFormatError(
      'kind',
      found === undefined
        ? `unknown state kind code ${String(kind)} (${kindList()}), expected ${article(layout.kind)} state`
        : `this is ${article(found.kind)} state, not ${article(layout.kind)} state`,
    );
  }
  const version = slot(S_VERSION);
  if (version !== layout.version) {
    throw new StateFormatError(
      'version',
      `format version ${String(version)} is not supported (this build reads ${layout.kind} states of version ${layout.version})`,
    );
  }
  const header = headerLength(layout);
  if (slot(S_HEADER_LENGTH) !== header) {
    throw new StateFormatError(
      'header length',
      `header says ${String(slot(S_HEADER_LENGTH))} doubles, version ${layout.version} ${layout.kind} states have ${header}`,
    );
  }
  const payload = slot(S_PAYLOAD_LENGTH);
  if (!Number.isInteger(payload) || payload < 0) {
    throw new StateFormatError('payload length', `${String(payload)} is not a count of doubles`);
  }
  if (data.length !== header + payload) {
    throw new StateFormatError(
      'length',
      `${data.byteLength} bytes, the header declares ${(header + payload) * 8} (${header} header + ${payload} payload doubles)${data.length < header + payload ? ' (truncated?)' : ''}`,
    );
  }
  const stored = slot(S_CHECKSUM);
  const computed = stateChecksum(data, little);
  if (stored !== computed) {
    throw new StateFormatError(
      'checksum',
      `stored ${describeChecksum(stored)}, computed 0x${computed.toString(16).padStart(8, '0')}: the state's bytes were altered after it was serialized`,
    );
  }
  return little;
}

function describeChecksum(x: number): string {
  return Number.isInteger(x) && x >= 0 && x < 2 ** 32
    ? `0x${x.toString(16).padStart(8, '0')}`
    : String(x);
}

const isCount = (x: number): boolean => Number.isInteger(x) && x >= 0;

function checkField(field: StateField, x: number): void {
  switch (field.type) {
    case 'code':
      if (!Number.isInteger(x) || x < 1 || x > field.codes.length) {
        const codes = field.codes.map((c, i) => `${i + 1} = ${c}`).join(', ');
        throw new StateFormatError(field.name, `unknown code ${String(x)} (${codes})`);
      }
      return;
    case 'count':
      if (!isCount(x) || (field.max !== undefined && x > field.max)) {
        const range = field.max === undefined ? '' : ` in 0..${field.max}`;
        throw new StateFormatError(
          field.name,
          `${String(x)} is not ${article(field.what ?? 'count')}${range}`,
        );
      }
      return;
    case 'flags':
      if (!Number.isInteger(x) || x < 0 || x > field.mask || (x & ~field.mask) !== 0) {
        throw new StateFormatError(
          field.name,
          `${String(x)} is not a valid flag set (0..${field.mask})`,
        );
      }
      return;
    case 'nonnegative':
      if (!(x >= 0) || x === Number.POSITIVE_INFINITY) {
        throw new StateFormatError(field.name, `${String(x)} is not finite and >= 0`);
      }
      return;
    case 'finite':
      if (!Number.isFinite(x)) throw new StateFormatError(field.name, `${String(x)} is not finite`);
      return;
  }
}

/**
 * Validates a state of `layout` held in `data` and brings it to this
 * machine's byte order (in place, when it was written in the other one).
 * Checks, in order: length, magic, byte order, kind, version, header and
 * payload lengths, checksum, then each kind field by its table. Throws
 * StateFormatError naming the first field that is wrong. The kind's own
 * consistency checks (e.g. payload length against p) are left to its reader.
 */
export function openState(data: Float64Array, layout: StateLayout): void {
  const little = checkPrefix(data, layout);
  if (little !== HOST_LITTLE_ENDIAN) swapStateByteOrder(data);
  layout.fields.forEach((field, i) => {
    checkField(field, data[PREFIX_LENGTH + i]);
  });
}

/** `stateView` then `openState`: a validated state over `buf` (no copy). */
export function readState(buf: ArrayBuffer, layout: StateLayout): Float64Array<ArrayBuffer> {
  const data = stateView(buf);
  openState(data, layout);
  return data;
}
