/**
 * The partial-state file (`.lrstate`, docs/state-format.md "State files"):
 *
 *   bytes 0–7    magic `LinRegPS`
 *   bytes 8–15   byte-order mark: binary64 with bits 0x0102030405060708 in the writer's order
 *   bytes 16–19  container version, uint32 little-endian
 *   bytes 20–23  header length H, uint32 little-endian
 *   bytes 24–31  payload length P, uint64 little-endian
 *   H bytes      header, UTF-8 JSON (PartialHeader)
 *   P bytes      the blocks' states (value-codec.ts), one after another (lengths in the header)
 *   32 bytes     SHA-256 of every byte before it
 *
 * Every check that fails is an IoError naming the file, in this order:
 * magic, byte order, version, length (truncated or trailing bytes), checksum,
 * then the header's own shape.
 */
import { IoError, type Plan } from '@linreg/io';
import type { PassCounts } from '../run/pass.js';
import type { DyadicBlock } from './dyadic.js';
import { digest } from './fingerprint.js';

export const STATE_FILE_MAGIC = 'LinRegPS';
/** 2: block states in the value encoding (value-codec.ts); 1 held v8.serialize bytes. */
export const STATE_FILE_VERSION = 2;
const PREFIX = 32;
const CHECKSUM = 32;

/** What a partial state file says about itself. */
export interface PartialHeader {
  readonly kind: 'linreg-partial';
  /** fingerprint.ts: options and plan; every file of one merge has the same. */
  readonly fingerprint: string;
  /** The options (fingerprint.ts recordedSpec) and the plan, so merge needs neither the inputs nor the flags. */
  readonly spec: Record<string, unknown>;
  readonly plan: Plan;
  /** Units in the plan, and this file's range [start, end) of them. */
  readonly units: number;
  readonly range: readonly [number, number];
  /** `--part i/N` (0-based), or null for `--units`. */
  readonly part: { readonly index: number; readonly count: number } | null;
  /** The pass (round) computed: its place in the fit's sequence of passes and its task kind. */
  readonly pass: { readonly index: number; readonly kind: string };
  /** digest of the previous rounds' document (rounds-file.ts), or null in the first round. */
  readonly previous: string | null;
  readonly counts: PassCounts;
  /** The aligned blocks of the range (dyadic.ts), with their states' byte lengths. */
  readonly blocks: readonly (DyadicBlock & { readonly bytes: number })[];
}

export interface PartialFile {
  readonly header: PartialHeader;
  /** Per block, its state's bytes (pass-record.ts). */
  readonly states: readonly Uint8Array[];
}

const hostBom = (): Uint8Array => {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, 0x0102030405060708n, HOST_LE);
  return new Uint8Array(view.buffer);
};
const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function encodePartialFile(file: PartialFile): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify(file.header));
  const payload = file.states.reduce((s, b) => s + b.length, 0);
  const out = new Uint8Array(PREFIX + header.length + payload + CHECKSUM);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(STATE_FILE_MAGIC), 0);
  out.set(hostBom(), 8);
  view.setUint32(16, STATE_FILE_VERSION, true);
  view.setUint32(20, header.length, true);
  view.setBigUint64(24, BigInt(payload), true);
  out.set(header, PREFIX);
  let at = PREFIX + header.length;
  for (const s of file.states) {
    out.set(s, at);
    at += s.length;
  }
  out.set(Buffer.from(digest(out.subarray(0, at)), 'hex'), at);
  return out;
}

/** The prefix's bytes: what readPartialHeader needs before the header's own H bytes. */
export const PARTIAL_PREFIX_BYTES = PREFIX;

/**
 * The header of a state file from its first bytes (at least the prefix and
 * the H header bytes) and its size: the checks of decodePartialFile but the
 * checksum, which covers the states too (decodePartialFile checks it when
 * the states are read). Returns the header and the bytes the header ends at.
 */
export function decodePartialHeader(
  head: Uint8Array,
  fileBytes: number,
  name: string,
): { readonly header: PartialHeader; readonly headerEnd: number } {
  const { headerLength } = checkPrefix(head, fileBytes, name);
  if (head.length < PREFIX + headerLength) {
    throw new IoError('truncated', { file: name }, 'truncated state file header');
  }
  return { header: parseHeader(head, headerLength, name), headerEnd: PREFIX + headerLength };
}

export function decodePartialFile(bytes: Uint8Array, name: string): PartialFile {
  const { headerLength, total } = checkPrefix(bytes, bytes.length, name);
  const body = total - CHECKSUM;
  if (Buffer.from(bytes.subarray(body)).toString('hex') !== digest(bytes.subarray(0, body))) {
    throw new IoError('corrupt', { file: name }, 'checksum mismatch: the state file is damaged');
  }
  const header = parseHeader(bytes, headerLength, name);
  const states: Uint8Array[] = [];
  let at = PREFIX + headerLength;
  for (const b of header.blocks) {
    states.push(bytes.subarray(at, at + b.bytes));
    at += b.bytes;
  }
  if (at !== body)
    throw new IoError('corrupt', { file: name }, 'the blocks do not fill the payload');
  return { header, states };
}

/** Magic, byte order, version and lengths (against the file's size), in that order. */
function checkPrefix(
  bytes: Uint8Array,
  fileBytes: number,
  name: string,
): { readonly headerLength: number; readonly total: number } {
  const fail = (code: 'bad-format' | 'truncated' | 'corrupt', problem: string): never => {
    throw new IoError(code, { file: name }, problem);
  };
  if (
    bytes.length < 8 ||
    Buffer.from(bytes.subarray(0, 8)).toString('latin1') !== STATE_FILE_MAGIC
  ) {
    fail('bad-format', 'not a linreg partial state file (no LinRegPS magic)');
  }
  if (fileBytes < PREFIX + CHECKSUM || bytes.length < PREFIX)
    fail('truncated', 'truncated state file');
  const bom = bytes.subarray(8, 16);
  if (!Buffer.from(bom).equals(Buffer.from(hostBom()))) {
    const swapped = Buffer.from(bom).reverse().equals(Buffer.from(hostBom()));
    fail(
      'bad-format',
      swapped
        ? `written on a ${HOST_LE ? 'big' : 'little'}-endian machine; this one is ${HOST_LE ? 'little' : 'big'}-endian`
        : 'bad byte-order mark',
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(16, true);
  if (version !== STATE_FILE_VERSION) {
    fail(
      'bad-format',
      `state file version ${version}; this linreg reads version ${STATE_FILE_VERSION}${version === 1 ? ' (version 1 held Node v8.serialize states: compute the partial states again with this linreg)' : ''}`,
    );
  }
  const headerLength = view.getUint32(20, true);
  const payload = Number(view.getBigUint64(24, true));
  const total = PREFIX + headerLength + payload + CHECKSUM;
  if (fileBytes < total) fail('truncated', `truncated state file: ${fileBytes} of ${total} bytes`);
  if (fileBytes > total) fail('corrupt', `${fileBytes - total} bytes after the end of the state`);
  return { headerLength, total };
}

function parseHeader(bytes: Uint8Array, headerLength: number, name: string): PartialHeader {
  let header: PartialHeader;
  try {
    header = JSON.parse(
      new TextDecoder().decode(bytes.subarray(PREFIX, PREFIX + headerLength)),
    ) as PartialHeader;
  } catch {
    throw new IoError('corrupt', { file: name }, 'the header is not valid JSON');
  }
  if (header.kind !== 'linreg-partial' || !Array.isArray(header.blocks)) {
    throw new IoError('bad-format', { file: name }, 'the header is not a partial state header');
  }
  return header;
}
