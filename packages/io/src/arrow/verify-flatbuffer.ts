/**
 * A bounds verifier for the flatbuffers of Arrow IPC (Footer, Message and
 * the Schema, Field and RecordBatch tables inside them), run before
 * apache-arrow decodes them. apache-arrow trusts every offset and count: a
 * flipped vector length makes it allocate and fill billions of objects (the
 * process runs out of memory), an offset cycle among Field children recurses
 * without end. Here every table, vtable, vector and string must lie inside the
 * bytes, vectors of tables are bounded by the bytes they would need, and the
 * walk is bounded in depth and in the number of tables it visits.
 */
import { IoError } from '@linreg/errors';

class Verifier {
  private readonly view: DataView;
  private budget: number;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly file: string,
    private readonly where: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // Every table takes at least 4 bytes: more visits than that means shared or cyclic offsets.
    this.budget = Math.max(16, bytes.byteLength >> 2);
  }

  fail(problem: string): never {
    throw new IoError('corrupt', { file: this.file, where: this.where }, `Arrow IPC: ${problem}`);
  }

  private check(at: number, length: number, what: string): void {
    if (!(at >= 0 && length >= 0 && at + length <= this.bytes.byteLength)) {
      this.fail(
        `${what} at byte ${at} (${length} bytes) is outside the ${this.bytes.byteLength}-byte metadata`,
      );
    }
  }

  /** The position a uoffset at `at` points to. */
  ref(at: number, what: string): number {
    this.check(at, 4, what);
    const to = at + this.view.getUint32(at, true);
    this.check(to, 4, what);
    return to;
  }

  /** A table at `at`: returns the absolute position of field `i`, or undefined when absent. */
  table(at: number, what: string, depth: number): (i: number, size: number) => number | undefined {
    if (depth > 64) this.fail(`${what}: nested more than 64 levels`);
    this.budget -= 1;
    if (this.budget < 0) this.fail(`${what}: more tables than the metadata can hold`);
    this.check(at, 4, what);
    const vtable = at - this.view.getInt32(at, true);
    this.check(vtable, 4, `${what} vtable`);
    const vtLength = this.view.getUint16(vtable, true);
    const tableLength = this.view.getUint16(vtable + 2, true);
    if (vtLength < 4 || vtLength % 2 !== 0) this.fail(`${what}: bad vtable size ${vtLength}`);
    this.check(vtable, vtLength, `${what} vtable`);
    this.check(at, tableLength, what);
    return (i, size) => {
      if (4 + 2 * i >= vtLength) return undefined;
      const offset = this.view.getUint16(vtable + 4 + 2 * i, true);
      if (offset === 0) return undefined;
      if (offset + size > tableLength) this.fail(`${what}: field ${i} outside its table`);
      return at + offset;
    };
  }

  /** A vector of `count` elements of `size` bytes at the uoffset at `at`: its first element and count. */
  vector(at: number, size: number, what: string): { start: number; count: number } {
    const v = this.ref(at, what);
    const count = this.view.getUint32(v, true);
    this.check(v + 4, count * size, `${what} (${count} elements)`);
    return { start: v + 4, count };
  }

  string(at: number, what: string): void {
    const { start, count } = this.vector(at, 1, what);
    this.check(start, count + 1, what);
  }

  tables(at: number | undefined, what: string, depth: number, each: (at: number) => void): void {
    if (at === undefined) return;
    const { start, count } = this.vector(at, 4, what);
    for (let i = 0; i < count; i += 1) each(this.ref(start + 4 * i, `${what}[${i}]`));
    void depth;
  }

  keyValues(at: number | undefined, depth: number): void {
    this.tables(at, 'custom metadata', depth, (kv) => {
      const field = this.table(kv, 'custom metadata', depth + 1);
      const key = field(0, 4);
      const value = field(1, 4);
      if (key !== undefined) this.string(key, 'metadata key');
      if (value !== undefined) this.string(value, 'metadata value');
    });
  }

  fieldTable(at: number, depth: number): void {
    const field = this.table(at, 'schema field', depth);
    const name = field(0, 4);
    if (name !== undefined) this.string(name, 'field name');
    const type = field(3, 4);
    if (type !== undefined) {
      const t = this.table(this.ref(type, 'field type'), 'field type', depth + 1);
      const typeId = field(2, 1);
      // Union: its typeIds vector.
      if (typeId !== undefined && this.bytes[typeId] === 14) {
        const ids = t(1, 4);
        if (ids !== undefined) this.vector(ids, 4, 'union type ids');
      }
    }
    const dictionary = field(4, 4);
    if (dictionary !== undefined) {
      const d = this.table(this.ref(dictionary, 'dictionary'), 'dictionary', depth + 1);
      const index = d(1, 4);
      if (index !== undefined)
        this.table(this.ref(index, 'dictionary index'), 'dictionary index', depth + 2);
    }
    this.tables(field(5, 4), 'field children', depth, (c) => this.fieldTable(c, depth + 1));
    this.keyValues(field(6, 4), depth + 1);
  }

  schemaTable(at: number, depth: number): void {
    const schema = this.table(at, 'schema', depth);
    this.tables(schema(1, 4), 'schema fields', depth, (f) => this.fieldTable(f, depth + 1));
    this.keyValues(schema(2, 4), depth + 1);
    const features = schema(3, 4);
    if (features !== undefined) this.vector(features, 8, 'schema features');
  }

  recordBatchTable(at: number, depth: number): void {
    const batch = this.table(at, 'record batch', depth);
    batch(0, 8);
    const nodes = batch(1, 4);
    if (nodes !== undefined) this.vector(nodes, 16, 'field nodes');
    const buffers = batch(2, 4);
    if (buffers !== undefined) this.vector(buffers, 16, 'buffers');
    const compression = batch(3, 4);
    if (compression !== undefined)
      this.table(this.ref(compression, 'compression'), 'compression', depth + 1);
    const variadic = batch(4, 4);
    if (variadic !== undefined) this.vector(variadic, 8, 'variadic buffer counts');
  }
}

/** Verifies an Arrow Footer flatbuffer (the bytes between the last message and the footer length). */
export function verifyFooter(bytes: Uint8Array, file: string): void {
  const v = new Verifier(bytes, file, 'footer');
  const footer = v.table(v.ref(0, 'footer'), 'footer', 0);
  const schema = footer(1, 4);
  if (schema === undefined) throw v.fail('the footer has no schema');
  v.schemaTable(v.ref(schema, 'schema'), 1);
  for (const i of [2, 3]) {
    const blocks = footer(i, 4);
    if (blocks !== undefined)
      v.vector(blocks, 24, i === 2 ? 'dictionary blocks' : 'record batch blocks');
  }
  v.keyValues(footer(4, 4), 1);
}

/** Verifies one IPC Message flatbuffer (without its continuation/length prefix). */
export function verifyMessage(bytes: Uint8Array, file: string, where: string): void {
  const v = new Verifier(bytes, file, where);
  const message = v.table(v.ref(0, 'message'), 'message', 0);
  const headerType = message(1, 1);
  const header = message(2, 4);
  message(3, 8);
  v.keyValues(message(4, 4), 1);
  if (header === undefined || headerType === undefined) return;
  const kind = bytes[headerType];
  const at = v.ref(header, 'message header');
  if (kind === 1) v.schemaTable(at, 1);
  else if (kind === 3) v.recordBatchTable(at, 1);
  else if (kind === 2) {
    const dictionary = v.table(at, 'dictionary batch', 1);
    const data = dictionary(1, 4);
    if (data !== undefined) v.recordBatchTable(v.ref(data, 'dictionary data'), 2);
  }
}

/**
 * The body length a Message flatbuffer states (field 3, int64; 0 when
 * absent), read without decoding it: apache-arrow refuses a length beyond
 * 2^53 with an error naming no field. Verify the message first.
 */
export function messageBodyLength(bytes: Uint8Array, file: string, where: string): bigint {
  const v = new Verifier(bytes, file, where);
  const at = v.table(v.ref(0, 'message'), 'message', 0)(3, 8);
  if (at === undefined) return 0n;
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigInt64(at, true);
}
