/**
 * Seeded corruptions of small, valid files (written by the project's own
 * generator): truncations, byte flips, Parquet thrift field edits, Arrow
 * flatbuffer edits and CSV quirks. Each case is pure data — the damaged bytes
 * plus what the damage may legitimately do to a fit (`allowed`) — so the
 * runner (harness.ts) needs no knowledge of formats.
 */

/** mulberry32: small, seeded, good enough to pick offsets. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
}

/**
 * What an exit 0 may look like besides coefficients identical to the
 * undamaged fit: `values` — the damage lies inside value bytes that no
 * checksum covers (a different fit over the same number of rows is then
 * undetectable); `rows` — the damage leaves a valid, shorter file (CSV cut
 * at a record boundary or inside the last field): any fit over at most
 * `maxRows` rows.
 */
export type Allowed =
  | { readonly kind: 'identical' }
  | { readonly kind: 'values' }
  | { readonly kind: 'rows'; readonly maxRows: number };

export interface HostileCase {
  readonly family: string;
  /** Short description: what was done where, enough to reproduce by hand. */
  readonly label: string;
  readonly bytes: Uint8Array;
  readonly allowed: Allowed;
}

interface Region {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  /** True for bytes that only carry values (page bodies, Arrow buffers). */
  readonly values: boolean;
}

const identical: Allowed = { kind: 'identical' };
const valuesOnly: Allowed = { kind: 'values' };

// ---------------------------------------------------------------------------
// Generic: truncation and flips

function truncations(
  family: string,
  bytes: Uint8Array,
  regions: readonly Region[],
  count: number,
  rng: Rng,
): HostileCase[] {
  const offsets = new Set<number>();
  const n = bytes.length;
  for (const o of [0, 1, 2, 3, 4, 5, 7, 8, 9, n - 1, n - 2, n - 4, n - 6, n - 8, n - 10, n - 12])
    if (o >= 0 && o < n) offsets.add(o);
  for (const r of regions) {
    for (const o of [r.start, r.start + 1, (r.start + r.end) >> 1, r.end - 1])
      if (o >= 0 && o < n) offsets.add(o);
  }
  const fixed = [...offsets].sort((a, b) => a - b);
  const out: number[] = fixed.slice(0, count);
  while (out.length < count) out.push(rng.int(n));
  return out.map((at) => ({
    family,
    label: `truncate at ${at} of ${n} (${regionAt(regions, at)?.name ?? 'outside'})`,
    bytes: bytes.slice(0, at),
    allowed: identical,
  }));
}

function flips(
  family: string,
  bytes: Uint8Array,
  regions: readonly Region[],
  count: number,
  rng: Rng,
): HostileCase[] {
  const out: HostileCase[] = [];
  for (let i = 0; i < count; i += 1) {
    // Half the flips land in metadata: it is small, and where the defects live.
    const meta = regions.filter((r) => !r.values && r.end > r.start);
    const region = i % 2 === 0 && meta.length > 0 ? rng.pick(meta) : undefined;
    const at =
      region === undefined
        ? rng.int(bytes.length)
        : region.start + rng.int(region.end - region.start);
    const mask = i % 3 === 0 ? 1 << rng.int(8) : 1 + rng.int(255);
    const damaged = bytes.slice();
    damaged[at] = (damaged[at] as number) ^ mask;
    const where = regionAt(regions, at);
    out.push({
      family,
      label: `xor 0x${mask.toString(16)} at ${at} (${where?.name ?? 'outside'})`,
      bytes: damaged,
      allowed: where?.values === true ? valuesOnly : identical,
    });
  }
  return out;
}

const regionAt = (regions: readonly Region[], at: number): Region | undefined =>
  regions.find((r) => at >= r.start && at < r.end);

const readU32 = (b: Uint8Array, at: number): number =>
  new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at, true);
const readI32 = (b: Uint8Array, at: number): number =>
  new DataView(b.buffer, b.byteOffset, b.byteLength).getInt32(at, true);

// ---------------------------------------------------------------------------
// Parquet: a thrift compact walker that records every integer field

interface ThriftInt {
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly value: bigint;
  /** List/set sizes are not zigzag-encoded. */
  readonly zigzag: boolean;
}

class ThriftWalker {
  at: number;
  readonly ints: ThriftInt[] = [];
  constructor(
    private readonly b: Uint8Array,
    start: number,
  ) {
    this.at = start;
  }
  private byte(): number {
    if (this.at >= this.b.length) throw new Error('thrift: out of bytes');
    return this.b[this.at++] as number;
  }
  private varint(): bigint {
    let shift = 0n;
    let v = 0n;
    for (;;) {
      const c = this.byte();
      v |= BigInt(c & 0x7f) << shift;
      if ((c & 0x80) === 0) return v;
      shift += 7n;
      if (shift > 70n) throw new Error('thrift: varint too long');
    }
  }
  private recordInt(path: string, zigzag: boolean): void {
    const start = this.at;
    const raw = this.varint();
    const value = zigzag ? (raw >> 1n) ^ -(raw & 1n) : raw;
    this.ints.push({ path, start, end: this.at, value, zigzag });
  }
  struct(path: string): void {
    let id = 0;
    for (;;) {
      const h = this.byte();
      if (h === 0) return;
      const delta = h >> 4;
      const type = h & 0x0f;
      if (delta === 0) {
        const s = this.at;
        this.varint();
        this.at = s; // field id as zigzag i16
        const raw = this.varint();
        id = Number((raw >> 1n) ^ -(raw & 1n));
      } else id += delta;
      this.value(type, `${path}.${id}`);
    }
  }
  private value(type: number, path: string): void {
    switch (type) {
      case 1:
      case 2:
        return;
      case 3:
        this.byte();
        return;
      case 4:
      case 5:
      case 6:
        this.recordInt(path, true);
        return;
      case 7:
        this.at += 8;
        return;
      case 8: {
        const s = this.at;
        const len = Number(this.varint());
        this.ints.push({
          path: `${path}#len`,
          start: s,
          end: this.at,
          value: BigInt(len),
          zigzag: false,
        });
        this.at += len;
        return;
      }
      case 9:
      case 10: {
        const h = this.byte();
        let size = h >> 4;
        const elem = h & 0x0f;
        if (size === 15) {
          const s = this.at;
          size = Number(this.varint());
          this.ints.push({
            path: `${path}#size`,
            start: s,
            end: this.at,
            value: BigInt(size),
            zigzag: false,
          });
        }
        for (let i = 0; i < size; i += 1) this.value(elem === 2 ? 1 : elem, `${path}[${i}]`);
        return;
      }
      case 11: {
        const size = Number(this.varint());
        if (size === 0) return;
        const kv = this.byte();
        for (let i = 0; i < size; i += 1) {
          this.value(kv >> 4, `${path}{k}`);
          this.value(kv & 0x0f, `${path}{v}`);
        }
        return;
      }
      case 12:
        this.struct(path);
        return;
      default:
        throw new Error(`thrift: type ${type}`);
    }
  }
}

function varintBytes(value: bigint, zigzag: boolean): number[] {
  let v = zigzag ? (value << 1n) ^ (value >> 63n) : value;
  if (v < 0n) v &= (1n << 64n) - 1n;
  const out: number[] = [];
  do {
    let c = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) c |= 0x80;
    out.push(c);
  } while (v !== 0n);
  return out;
}

interface ParquetLayout {
  readonly regions: Region[];
  readonly footerStart: number;
  readonly footerInts: ThriftInt[];
  readonly pageInts: ThriftInt[];
}

export function parquetLayout(b: Uint8Array): ParquetLayout {
  const n = b.length;
  const footerLength = readU32(b, n - 8);
  const footerStart = n - 8 - footerLength;
  const regions: Region[] = [{ name: 'magic', start: 0, end: 4, values: false }];
  const pageInts: ThriftInt[] = [];
  let at = 4;
  let page = 0;
  while (at < footerStart) {
    const w = new ThriftWalker(b, at);
    w.struct(`page${page}`);
    const size = w.ints.find((i) => i.path === `page${page}.3`);
    if (size === undefined) break;
    regions.push({ name: `page ${page} header`, start: at, end: w.at, values: false });
    regions.push({
      name: `page ${page} body`,
      start: w.at,
      end: w.at + Number(size.value),
      values: true,
    });
    pageInts.push(...w.ints);
    at = w.at + Number(size.value);
    page += 1;
  }
  const footer = new ThriftWalker(b, footerStart);
  footer.struct('meta');
  regions.push({ name: 'footer', start: footerStart, end: n - 8, values: false });
  regions.push({ name: 'footer length', start: n - 8, end: n - 4, values: false });
  regions.push({ name: 'trailing magic', start: n - 4, end: n, values: false });
  return { regions, footerStart, footerInts: footer.ints, pageInts };
}

function intEdits(v: bigint, fileLength: number, rng: Rng): bigint[] {
  return [
    0n,
    1n,
    -1n,
    v + 1n,
    v - 1n,
    v * 2n,
    v / 2n,
    2147483647n,
    -2147483648n,
    1n << 40n,
    BigInt(fileLength),
    BigInt(rng.int(1 << 20)),
  ].filter((x) => x !== v);
}

function thriftEdits(family: string, b: Uint8Array, count: number, rng: Rng): HostileCase[] {
  const layout = parquetLayout(b);
  const targets = [...layout.footerInts, ...layout.pageInts];
  const out: HostileCase[] = [];
  for (let i = 0; i < count; i += 1) {
    const field = rng.pick(targets);
    const inFooter = field.start >= layout.footerStart;
    const value = rng.pick(intEdits(field.value, b.length, rng));
    if (!field.zigzag && value < 0n) {
      i -= 1;
      continue;
    }
    const enc = varintBytes(value, field.zigzag);
    const old = field.end - field.start;
    // Same length when it fits (pad with continuation bytes), else splice.
    while (enc.length < old) {
      enc[enc.length - 1] = (enc[enc.length - 1] as number) | 0x80;
      enc.push(0);
    }
    const damaged = new Uint8Array(b.length + enc.length - old);
    damaged.set(b.subarray(0, field.start), 0);
    damaged.set(enc, field.start);
    damaged.set(b.subarray(field.end), field.start + enc.length);
    if (inFooter && enc.length !== old) {
      const dv = new DataView(damaged.buffer);
      dv.setUint32(damaged.length - 8, readU32(b, b.length - 8) + enc.length - old, true);
    }
    out.push({
      family,
      label: `thrift ${field.path} ${field.value} -> ${value}`,
      bytes: damaged,
      allowed: identical,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Arrow IPC file: footer and message metadata (flatbuffers) vs bodies

export function arrowLayout(b: Uint8Array): Region[] {
  const n = b.length;
  const footerLength = readI32(b, n - 10);
  const footerStart = n - 10 - footerLength;
  const regions: Region[] = [{ name: 'magic', start: 0, end: 8, values: false }];
  // Footer → table field 3: vector of Block {offset i64, metaDataLength i32, pad, bodyLength i64}.
  const root = footerStart + readU32(b, footerStart);
  const vtable = root - readI32(b, root);
  const vtLen = b[vtable] as number;
  const fieldOffset = (i: number): number | undefined => {
    if (4 + 2 * i >= vtLen) return undefined;
    const o = (b[vtable + 4 + 2 * i] as number) | ((b[vtable + 5 + 2 * i] as number) << 8);
    return o === 0 ? undefined : root + o;
  };
  const blocksField = fieldOffset(3);
  const blocks: { offset: number; meta: number; body: number }[] = [];
  if (blocksField !== undefined) {
    const vec = blocksField + readU32(b, blocksField);
    const count = readU32(b, vec);
    for (let i = 0; i < count; i += 1) {
      const at = vec + 4 + 24 * i;
      blocks.push({
        offset: Number(new DataView(b.buffer, b.byteOffset).getBigInt64(at, true)),
        meta: readI32(b, at + 8),
        body: Number(new DataView(b.buffer, b.byteOffset).getBigInt64(at + 16, true)),
      });
    }
  }
  const first = blocks[0]?.offset ?? footerStart;
  regions.push({ name: 'schema message', start: 8, end: first, values: false });
  blocks.forEach((blk, i) => {
    regions.push({
      name: `batch ${i} metadata`,
      start: blk.offset,
      end: blk.offset + blk.meta,
      values: false,
    });
    regions.push({
      name: `batch ${i} body`,
      start: blk.offset + blk.meta,
      end: blk.offset + blk.meta + blk.body,
      values: true,
    });
  });
  regions.push({ name: 'footer', start: footerStart, end: n - 10, values: false });
  regions.push({ name: 'footer length', start: n - 10, end: n - 6, values: false });
  regions.push({ name: 'trailing magic', start: n - 6, end: n, values: false });
  return regions;
}

function flatbufferEdits(
  family: string,
  b: Uint8Array,
  count: number,
  rng: Rng,
  layout: readonly Region[] = arrowLayout(b),
): HostileCase[] {
  const regions = layout.filter((r) => !r.values && r.name !== 'magic' && r.end > r.start);
  const out: HostileCase[] = [];
  const dv = (x: Uint8Array) => new DataView(x.buffer, x.byteOffset, x.byteLength);
  for (let i = 0; i < count; i += 1) {
    const region = rng.pick(regions);
    const damaged = b.slice();
    const kind = i % 3;
    let label: string;
    if (kind === 0) {
      // an aligned 64-bit word: buffer offsets/lengths, record batch lengths, blocks
      const at = (region.start + rng.int(Math.max(1, region.end - region.start - 7))) & ~7;
      const old = dv(b).getBigInt64(at, true);
      const value = rng.pick([0n, -1n, old + 8n, old - 8n, old * 2n, 1n << 40n, BigInt(b.length)]);
      dv(damaged).setBigInt64(at, value, true);
      label = `int64 at ${at} (${region.name}) ${old} -> ${value}`;
    } else if (kind === 1) {
      // an aligned 32-bit word: uoffsets, vtable entries, counts, metadata lengths
      const at = (region.start + rng.int(Math.max(1, region.end - region.start - 3))) & ~3;
      const old = dv(b).getInt32(at, true);
      const value = rng.pick([0, 1, -1, old + 4, old - 4, old * 2, 0x7fffffff, b.length]) | 0;
      dv(damaged).setInt32(at, value, true);
      label = `int32 at ${at} (${region.name}) ${old} -> ${value}`;
    } else {
      // one byte: union type tags (Type, MessageHeader), enum values, bit widths
      const at = region.start + rng.int(region.end - region.start);
      const old = b[at] as number;
      const value = rng.pick([0, 1, 2, 3, 4, 5, 7, 16, 32, 64, 0xff, old + 1, old - 1]) & 0xff;
      damaged[at] = value;
      label = `byte at ${at} (${region.name}) ${old} -> ${value}`;
    }
    if (damaged.length === b.length && damaged.every((x, j) => x === b[j])) {
      i -= 1;
      continue;
    }
    out.push({ family, label, bytes: damaged, allowed: identical });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Arrow IPC stream (standard input): message prefixes, metadata, bodies

/**
 * The messages of an Arrow IPC stream: each one's prefix (continuation
 * marker and metadata length), flatbuffer metadata and body, then the
 * end-of-stream marker. The body length is the Message table's field 3.
 */
export function arrowStreamLayout(b: Uint8Array): Region[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const regions: Region[] = [];
  let at = 0;
  for (let i = 0; at + 8 <= b.length; i += 1) {
    const length = dv.getInt32(at + 4, true);
    if (length === 0) {
      regions.push({ name: 'end-of-stream marker', start: at, end: at + 8, values: false });
      break;
    }
    const meta = at + 8;
    const root = meta + dv.getUint32(meta, true);
    const vtable = root - dv.getInt32(root, true);
    const vtLength = dv.getUint16(vtable, true);
    const field = 4 + 2 * 3 < vtLength ? dv.getUint16(vtable + 4 + 2 * 3, true) : 0;
    const body = field === 0 ? 0 : Number(dv.getBigInt64(root + field, true));
    regions.push({ name: `message ${i} prefix`, start: at, end: meta, values: false });
    regions.push({
      name: `message ${i} metadata`,
      start: meta,
      end: meta + length,
      values: false,
    });
    if (body > 0) {
      regions.push({
        name: `message ${i} body`,
        start: meta + length,
        end: meta + length + body,
        values: true,
      });
    }
    at = meta + length + body;
  }
  return regions;
}

/**
 * Damaged Arrow streams for standard input: truncations, byte flips and
 * flatbuffer/length edits (huge metadata and body lengths among them). Kept
 * apart from hostileCases (and after it in the seeded order) so the file
 * families draw the same cases as before.
 */
export function stdinCases(stream: Uint8Array, scale: number, seed: number): HostileCase[] {
  const rng = new Rng(seed ^ 0x5f3759df);
  const layout = arrowStreamLayout(stream);
  return [
    ...truncations('stdin truncate', stream, layout, scale, rng),
    ...flips('stdin flip', stream, layout, scale, rng),
    ...flatbufferEdits('stdin flatbuffer', stream, scale, rng, layout),
  ];
}

// ---------------------------------------------------------------------------
// CSV

const enc = new TextEncoder();
const dec = new TextDecoder();

function csvTruncations(family: string, b: Uint8Array, count: number, rng: Rng): HostileCase[] {
  const text = dec.decode(b);
  const headerEnd = text.indexOf('\n') + 1;
  const lines = text.split('\n').length - 1;
  const out: HostileCase[] = [];
  const offsets = [0, 1, headerEnd - 1, headerEnd, headerEnd + 1, b.length - 1, b.length - 2];
  while (offsets.length < count) offsets.push(rng.int(b.length));
  for (const at of offsets.slice(0, count)) {
    const kept = text.slice(0, at);
    // A cut at a record boundary or inside the last field of a record leaves a valid, shorter CSV.
    const lastLineStart = kept.lastIndexOf('\n') + 1;
    const tail = kept.slice(lastLineStart);
    const boundary =
      at >= headerEnd && (tail === '' || !/[,\n]/.test(text.slice(at, text.indexOf('\n', at))));
    const maxRows = Math.max(0, kept.split('\n').length - 1 - 1 + (tail === '' ? 0 : 1));
    out.push({
      family,
      label: `truncate at ${at} of ${b.length} (${at < headerEnd ? 'header' : 'records'})`,
      bytes: b.slice(0, at),
      allowed:
        at === headerEnd - 1
          ? { kind: 'rows', maxRows: 0 }
          : boundary && maxRows < lines
            ? { kind: 'rows', maxRows }
            : identical,
    });
  }
  return out;
}

function csvFlips(family: string, b: Uint8Array, count: number, rng: Rng): HostileCase[] {
  const out: HostileCase[] = [];
  const numeric = (c: number) =>
    (c >= 0x30 && c <= 0x39) || '.-+eE'.includes(String.fromCharCode(c));
  for (let i = 0; i < count; i += 1) {
    const at = rng.int(b.length);
    const damaged = b.slice();
    const old = b[at] as number;
    const value =
      i % 2 === 0
        ? old ^ (1 << rng.int(8))
        : rng.pick([0x2c, 0x0a, 0x22, 0x0d, 0x20, 0x41, 0x2d, 0x2e, 0x00, 0x39]);
    if (value === old) {
      i -= 1;
      continue;
    }
    damaged[at] = value;
    // A number's character turned into another (or a space, trimmed at a field's edge
    // and rejected inside it; or a line break: a record split in
    // two is rejected as ragged, one cut at its end loses digits) is a different
    // number: undetectable when the fit still reads every row.
    const digit =
      numeric(old) &&
      (numeric(value) || value === 0x0a || value === 0x20) &&
      at > dec.decode(b).indexOf('\n');
    out.push({
      family,
      label: `byte at ${at} 0x${old.toString(16)} -> 0x${value.toString(16)}`,
      bytes: damaged,
      allowed: digit ? valuesOnly : identical,
    });
  }
  return out;
}

function csvQuirks(
  family: string,
  b: Uint8Array,
  count: number,
  rng: Rng,
  full: boolean,
): HostileCase[] {
  const text = dec.decode(b);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const records = lines.length - 1;
  const pickLine = () => 1 + rng.int(records);
  const withLine = (k: number, f: (line: string) => string): string =>
    `${lines.map((l, j) => (j === k ? f(l) : l)).join('\n')}\n`;
  const out: HostileCase[] = [];
  const add = (label: string, t: string | Uint8Array, allowed: Allowed = identical) =>
    out.push({ family, label, bytes: typeof t === 'string' ? enc.encode(t) : t, allowed });

  const fixed: (() => void)[] = [
    () => add('BOM', `\ufeff${text}`),
    () => add('CRLF', `${lines.join('\r\n')}\r\n`),
    () => add('no final newline', lines.join('\n')),
    () => add('blank lines at the end', `${text}\n\n\n`),
    () => add('header only', `${lines[0]}\n`, { kind: 'rows', maxRows: 0 }),
    () => add('empty file', ''),
    () => add('only a BOM', '\ufeff'),
    () => add('NUL bytes', text.replace(',', '\0,')),
    () =>
      add(
        'quoted header and values',
        `${lines
          .map((l) =>
            l
              .split(',')
              .map((f) => `"${f}"`)
              .join(','),
          )
          .join('\n')}\n`,
      ),
    () => add('duplicate header name', text.replace(/^x0,x1/, 'x0,x0')),
    () => add('header longer than records', text.replace('\n', ',extra\n')),
    () => add('header shorter than records', text.replace(/,y\n/, '\n')),
  ];
  const seeded: (() => void)[] = [
    () => {
      const k = pickLine();
      add(
        `unterminated quote on record ${k}`,
        withLine(k, (l) => `"${l}`),
      );
    },
    () => {
      const k = pickLine();
      add(
        `quote opened mid-field on record ${k}`,
        withLine(k, (l) => l.replace(',', ',"')),
      );
    },
    () => {
      const k = pickLine();
      add(
        `record ${k} one field short`,
        withLine(k, (l) => l.slice(0, l.lastIndexOf(','))),
      );
    },
    () => {
      const k = pickLine();
      add(
        `record ${k} one field long`,
        withLine(k, (l) => `${l},1.5`),
      );
    },
    () => {
      const k = pickLine();
      add(
        `empty line after record ${k}`,
        withLine(k, (l) => `${l}\n`),
      );
    },
    () => {
      const k = pickLine();
      add(
        `CR alone ending record ${k}`,
        withLine(k, (l) => `${l}\r`),
      );
    },
    () => {
      const k = pickLine();
      add(
        `lone CR inside record ${k}`,
        withLine(k, (l) => l.replace(',', '\r,')),
      );
    },
    () => {
      const k = pickLine();
      // Trailing zeros after the shortest representation: the same double.
      const zeros = '0'.repeat(full ? 2_000_000 : 100_000);
      add(
        `huge numeric field on record ${k}`,
        withLine(k, (l) =>
          l.replace(
            /,([-0-9.e]+)$/,
            (_m, v: string) =>
              `,${v.includes('.') || v.includes('e') ? v.replace(/(e|$)/, `${zeros}$1`) : `${v}.${zeros}`}`,
          ),
        ),
      );
    },
    () => {
      const k = pickLine();
      add(
        `huge text field on record ${k}`,
        withLine(k, (l) => l.replace(',', `,${'a'.repeat(full ? 1_000_000 : 50_000)},`)),
      );
    },
    () => {
      const k = pickLine();
      add(
        `embedded newline in quotes on record ${k}`,
        withLine(k, (l) => l.replace(',', ',"1\n2",')),
      );
    },
    () => {
      const k = pickLine();
      add(
        `invalid UTF-8 in record ${k}`,
        (() => {
          const t = enc.encode(withLine(k, (l) => l.replace(',', ',\u0001')));
          const i = t.indexOf(1);
          t[i] = 0xff;
          return t;
        })(),
      );
    },
  ];
  for (const f of fixed) if (out.length < count) f();
  while (out.length < count) rng.pick(seeded)();
  return out;
}

// ---------------------------------------------------------------------------

export interface Bases {
  readonly parquet: Uint8Array;
  readonly arrow: Uint8Array;
  readonly csv: Uint8Array;
  /** The Arrow file's rows as an Arrow IPC stream (for standard input). */
  readonly stdin: Uint8Array;
}

/** Every family with its share of `scale` cases (scale = cases per family). */
export function hostileCases(
  bases: Bases,
  scale: number,
  seed: number,
  full: boolean,
): HostileCase[] {
  const rng = new Rng(seed);
  const p = parquetLayout(bases.parquet).regions;
  const a = arrowLayout(bases.arrow);
  return [
    ...truncations('parquet truncate', bases.parquet, p, scale, rng),
    ...flips('parquet flip', bases.parquet, p, scale, rng),
    ...thriftEdits('parquet thrift', bases.parquet, scale, rng),
    ...truncations('arrow truncate', bases.arrow, a, scale, rng),
    ...flips('arrow flip', bases.arrow, a, scale, rng),
    ...flatbufferEdits('arrow flatbuffer', bases.arrow, scale, rng),
    ...csvTruncations('csv truncate', bases.csv, scale, rng),
    ...csvFlips('csv flip', bases.csv, scale, rng),
    ...csvQuirks('csv quirks', bases.csv, Math.max(scale, 23), rng, full),
  ];
}
