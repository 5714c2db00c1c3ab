/**
 * Checks an Arrow IPC file's footer and record batch messages against each
 * other and against the bytes that exist, before apache-arrow builds arrays
 * from them. apache-arrow trusts every length and offset: a buffer past the
 * body becomes a short typed array (values read as `undefined`), a node or
 * buffer too few a TypeError, a wrong type a silent reinterpretation of
 * another column's bytes. Every check here fails with an IoError naming the
 * file and record batch.
 */
import { IoError } from '@linreg/errors';
import {
  type DataType,
  DateUnit,
  type Field,
  IntervalUnit,
  MetadataVersion,
  type Schema,
  Type,
  UnionMode,
} from 'apache-arrow';

/**
 * Largest message metadata (flatbuffer, prefix and padding) accepted: real
 * schemas and batch headers take kilobytes, and a damaged length must not
 * become an allocation of gigabytes.
 */
export const MAX_METADATA_BYTES = 16 * 1024 * 1024;

/** Where a footer says a record batch is (file-meta.ts's ArrowBlock, structurally). */
interface Block {
  readonly offset: number;
  readonly metaDataLength: number;
  readonly bodyLength: number;
}

/** What a record batch message's header holds (apache-arrow's metadata class, structurally). */
export interface BatchHeader {
  readonly length: number | bigint;
  readonly nodes: readonly {
    readonly length: number | bigint;
    readonly nullCount: number | bigint;
  }[];
  readonly buffers: readonly {
    readonly offset: number | bigint;
    readonly length: number | bigint;
  }[];
  /** Data buffers of each BinaryView / Utf8View column, in schema order (absent: none). */
  readonly variadicBufferCounts?: readonly (number | bigint)[] | undefined;
}

/** Set bits of every byte value. */
const POPCOUNT = Uint8Array.from({ length: 256 }, (_, i) => {
  let n = 0;
  for (let v = i; v > 0; v >>= 1) n += v & 1;
  return n;
});

/** Zero (null) bits among the first `length` bits of a validity bitmap (least significant first). */
function zeroBits(bitmap: Uint8Array, length: number): number {
  const full = length >> 3;
  let ones = 0;
  for (let i = 0; i < full; i += 1) ones += POPCOUNT[bitmap[i] as number] as number;
  const rest = length & 7;
  if (rest > 0) ones += POPCOUNT[(bitmap[full] as number) & ((1 << rest) - 1)] as number;
  return length - ones;
}

/** Bytes of one value of a fixed-width type; 0 for a bit-packed one (Bool); null for others. */
function fixedWidth(type: DataType): number | null {
  const t = type as DataType & {
    bitWidth?: number;
    precision?: number;
    unit?: number;
    byteWidth?: number;
  };
  switch (type.typeId) {
    case Type.Bool:
      return 0;
    case Type.Int:
    case Type.Time:
    case Type.Decimal:
      return [8, 16, 32, 64, 128, 256].includes(t.bitWidth ?? -1) ? (t.bitWidth as number) / 8 : -1;
    case Type.Float:
      return [2, 4, 8][t.precision ?? -1] ?? -1;
    case Type.Date:
      return t.unit === DateUnit.DAY ? 4 : t.unit === DateUnit.MILLISECOND ? 8 : -1;
    case Type.Timestamp:
    case Type.Duration:
      return 8;
    case Type.Interval:
      return t.unit === IntervalUnit.YEAR_MONTH
        ? 4
        : t.unit === IntervalUnit.DAY_TIME
          ? 8
          : t.unit === IntervalUnit.MONTH_DAY_NANO
            ? 16
            : -1;
    case Type.FixedSizeBinary:
      return Number.isInteger(t.byteWidth) && (t.byteWidth as number) > 0
        ? (t.byteWidth as number)
        : -1;
    default:
      return null;
  }
}

/** Every schema type is one this reader can lay out; names the first that is not. */
export function validateSchema(schema: Schema, file: string): void {
  const visit = (field: Field, path: string): void => {
    const type = field.type as DataType | undefined;
    const name = `${path}${String(field.name)}`;
    if (type === undefined || type === null) {
      throw new IoError('corrupt', { file, column: name }, 'Arrow IPC: field without a type');
    }
    if (fixedWidth(type) === -1) {
      throw new IoError(
        'corrupt',
        { file, column: name },
        `Arrow IPC: invalid type ${describe(type)}`,
      );
    }
    for (const child of type.children ?? []) visit(child, `${name}.`);
  };
  for (const field of schema.fields) visit(field, '');
}

const describe = (type: DataType): string => {
  try {
    return String(type);
  } catch {
    return `#${String(type.typeId)}`;
  }
};

/**
 * Each footer block lies inside the file, after the magic and before the
 * footer, in order and without overlap (a block pointing at another batch
 * would read that batch twice).
 */
export function validateBlocks(
  blocks: readonly Block[],
  footerStart: number,
  file: string,
  /** How to name a block in errors (default `record batch i`). */
  name?: string,
): void {
  let end = 8;
  blocks.forEach((block, i) => {
    const where = name ?? `record batch ${i}`;
    const { offset, metaDataLength, bodyLength } = block;
    if (
      !Number.isSafeInteger(offset) ||
      !Number.isSafeInteger(bodyLength) ||
      metaDataLength < 8 ||
      metaDataLength > MAX_METADATA_BYTES ||
      bodyLength < 0 ||
      offset < end ||
      offset + metaDataLength + bodyLength > footerStart
    ) {
      // Past the footer's start: the batch's bytes are missing (cut out or never written).
      const past = offset >= end && offset + metaDataLength + bodyLength > footerStart;
      throw new IoError(
        past ? 'truncated' : 'corrupt',
        { file, where },
        `footer block (offset ${offset}, metadata ${metaDataLength}, body ${bodyLength} bytes) is not between byte ${end} and the footer at ${footerStart}`,
      );
    }
    end = offset + metaDataLength + bodyLength;
  });
}

/**
 * The record batch message `header` describes `bodyLength` bytes of buffers
 * laid out as `schema` says: one node per field (children included) with
 * 0 ≤ nulls ≤ length, top-level lengths equal to the batch's, the number of
 * buffers the types need, each inside the body, and each fixed-width column's
 * validity and data buffers long enough for its length.
 */
export function validateBatchHeader(
  header: BatchHeader,
  schema: Schema,
  bodyLength: number,
  file: string,
  where: string,
  /** The message body, when read: then each validity bitmap is checked against its null count. */
  body?: Uint8Array,
): void {
  const fail = (problem: string): never => {
    throw new IoError('corrupt', { file, where }, `Arrow IPC: ${problem}`);
  };
  const nodes = header.nodes ?? [];
  const buffers = header.buffers ?? [];
  const rows = Number(header.length);
  if (!Number.isSafeInteger(rows) || rows < 0 || rows > 2 ** 31 - 1)
    fail(`bad batch length ${rows}`);
  buffers.forEach((b, i) => {
    const offset = Number(b.offset);
    const length = Number(b.length);
    if (
      !Number.isSafeInteger(offset) ||
      !Number.isSafeInteger(length) ||
      offset < 0 ||
      length < 0 ||
      offset + length > bodyLength
    ) {
      fail(
        `buffer ${i} (offset ${offset}, ${length} bytes) is outside the ${bodyLength}-byte body`,
      );
    }
  });
  // Buffers with bytes never share them: a moved offset would read another buffer's values.
  const spans = buffers
    .map((b) => [Number(b.offset), Number(b.offset) + Number(b.length)] as const)
    .filter(([from, to]) => to > from)
    .sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i += 1) {
    const [from] = spans[i] as readonly [number, number];
    const [, previousEnd] = spans[i - 1] as readonly [number, number];
    if (from < previousEnd) fail(`buffers overlap at body byte ${from}`);
  }
  let node = 0;
  let buffer = 0;
  const variadic = header.variadicBufferCounts ?? [];
  let view = 0;
  const nextNode = (name: string): { length: number; nullCount: number } => {
    const n = nodes[node++];
    if (n === undefined)
      return fail(`${nodes.length} field nodes for a schema that needs more (at ${name})`);
    const length = Number(n.length);
    const nullCount = Number(n.nullCount);
    if (!Number.isSafeInteger(length) || length < 0 || length > 2 ** 31 - 1) {
      fail(`column ${name}: bad length ${length}`);
    }
    if (!Number.isSafeInteger(nullCount) || nullCount < 0 || nullCount > length) {
      fail(`column ${name}: bad null count ${nullCount} of ${length}`);
    }
    return { length, nullCount };
  };
  const nextBuffer = (name: string): number => {
    const b = buffers[buffer++];
    if (b === undefined)
      return fail(`${buffers.length} buffers for a schema that needs more (at ${name})`);
    return Number(b.length);
  };
  const validity = (name: string, length: number, nullCount: number): void => {
    const span = buffers[buffer];
    const bytes = nextBuffer(name);
    if (nullCount > 0 && bytes * 8 < length) {
      fail(`column ${name}: validity buffer of ${bytes} bytes for ${length} rows`);
    }
    // A null count edited to 0 makes readers skip the bitmap and read null slots as values.
    if (body !== undefined && span !== undefined && bytes * 8 >= length && length > 0) {
      const from = Number(span.offset);
      const found = zeroBits(body.subarray(from, from + bytes), length);
      if (found !== nullCount) {
        fail(`column ${name}: the validity bitmap has ${found} nulls, the header ${nullCount}`);
      }
    }
  };
  const v4 = schema.metadataVersion < MetadataVersion.V5;
  const visit = (field: Field, name: string, expected: number | null): void => {
    const type = field.type;
    const { length, nullCount } = nextNode(name);
    if (expected !== null && length !== expected) {
      fail(`column ${name} has ${length} rows, the batch ${expected}`);
    }
    const width = fixedWidth(type);
    const children = type.children ?? [];
    if (width !== null) {
      validity(name, length, nullCount);
      const bytes = nextBuffer(name);
      const needed = width === 0 ? Math.ceil(length / 8) : length * width;
      // Writers pad buffers to 8 or 64 bytes: much more than the type needs means the
      // type is not the one the data were written with (e.g. a flipped Float64 tag).
      const padded = Math.ceil(needed / 64) * 64 + 64;
      if (bytes < needed || bytes > padded) {
        fail(
          `column ${name}: data buffer of ${bytes} bytes for ${length} rows of ${describe(type)}`,
        );
      }
      return;
    }
    switch (type.typeId) {
      case Type.Null:
        return;
      case Type.Utf8:
      case Type.Binary:
      case Type.LargeUtf8:
      case Type.LargeBinary: {
        validity(name, length, nullCount);
        // length + 1 offsets (none at all for an empty column), 4 or 8 bytes each.
        const width = type.typeId === Type.Utf8 || type.typeId === Type.Binary ? 4 : 8;
        const offsets = nextBuffer(name);
        if (length > 0 && offsets < width * (length + 1)) {
          fail(`column ${name}: offsets buffer of ${offsets} bytes for ${length} rows`);
        }
        nextBuffer(name);
        return;
      }
      case Type.List:
      case Type.LargeList:
      case Type.Map:
        validity(name, length, nullCount);
        nextBuffer(name);
        for (const c of children) visit(c, `${name}.${c.name}`, null);
        return;
      case Type.FixedSizeList:
      case Type.Struct:
        validity(name, length, nullCount);
        for (const c of children)
          visit(c, `${name}.${c.name}`, type.typeId === Type.Struct ? length : null);
        return;
      case Type.Union: {
        if (v4) nextBuffer(name);
        nextBuffer(name);
        if ((type as DataType & { mode?: UnionMode }).mode !== UnionMode.Sparse) nextBuffer(name);
        for (const c of children) visit(c, `${name}.${c.name}`, null);
        return;
      }
      case Type.Dictionary: {
        validity(name, length, nullCount);
        const indices = nextBuffer(name);
        const bits = (type as DataType & { indices?: { bitWidth?: number } }).indices?.bitWidth;
        const width = [8, 16, 32, 64].includes(bits ?? -1) ? (bits as number) / 8 : 0;
        if (width === 0) fail(`column ${name}: dictionary indices of ${String(bits)} bits`);
        if (indices < width * length) {
          fail(`column ${name}: indices buffer of ${indices} bytes for ${length} rows`);
        }
        return;
      }
      case Type.BinaryView:
      case Type.Utf8View: {
        // Validity, 16-byte views, then the variadic data buffers the views point into.
        validity(name, length, nullCount);
        const bytes = nextBuffer(name);
        if (bytes < 16 * length) {
          fail(`column ${name}: views buffer of ${bytes} bytes for ${length} rows`);
        }
        const count = Number(variadic[view++] ?? 0);
        if (!Number.isSafeInteger(count) || count < 0 || count > buffers.length - buffer) {
          fail(
            `column ${name}: ${count} variadic buffers, the batch has ${buffers.length - buffer} left`,
          );
        }
        for (let k = 0; k < count; k += 1) nextBuffer(name);
        return;
      }
      default:
        fail(`column ${name}: type ${describe(type)} is not supported`);
    }
  };
  for (const field of schema.fields) visit(field, String(field.name), rows);
  if (node !== nodes.length) fail(`${nodes.length} field nodes, the schema has ${node}`);
  if (buffer !== buffers.length) fail(`${buffers.length} buffers, the schema needs ${buffer}`);
  if (view < variadic.length) {
    fail(`${variadic.length} variadic buffer counts, the schema has ${view} view columns`);
  }
}
