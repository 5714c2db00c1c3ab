/**
 * A minimal reader for the Thrift compact protocol, enough to parse Parquet page
 * headers without building an object per field (hyparquet's generic reader makes
 * a `field_N` object tree per page). Every read is bounds-checked: a header that
 * runs past its buffer throws {@link ThriftOverrun}, which the caller turns into
 * an IoError naming the file, column and page.
 *
 * Wire format (Thrift compact protocol spec): a struct is a sequence of field
 * headers `(delta << 4) | type` (delta 0 means a zigzag i16 field id follows),
 * ended by a 0 byte; integers are ULEB128 varints, zigzag-encoded when signed.
 */

export const T_STOP = 0;
const T_TRUE = 1;
const T_FALSE = 2;
const T_BYTE = 3;
const T_I16 = 4;
const T_I32 = 5;
const T_I64 = 6;
const T_DOUBLE = 7;
const T_BINARY = 8;
const T_LIST = 9;
const T_SET = 10;
const T_MAP = 11;
const T_STRUCT = 12;

/** Thrown when a Thrift value extends past the end of its buffer or is malformed. */
export class ThriftOverrun extends Error {
  override readonly name = 'ThriftOverrun';
}

export class CompactReader {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    private readonly end: number = bytes.length,
  ) {}

  byte(): number {
    if (this.pos >= this.end) throw new ThriftOverrun(`thrift value past end at byte ${this.pos}`);
    return this.bytes[this.pos++] as number;
  }

  /** ULEB128 varint that fits in 53 bits (sizes, counts, field ids). */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new ThriftOverrun(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  /** Zigzag i32 (also i16 and field ids). */
  i32(): number {
    const v = this.varint();
    // Zigzag: 2n -> n, 2n+1 -> -n-1; done in doubles because v may exceed 2^31.
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }

  /** Skip one value of compact type `type`. */
  skip(type: number, depth = 0): void {
    if (depth > 64) throw new ThriftOverrun('thrift nesting deeper than 64');
    switch (type) {
      case T_TRUE:
      case T_FALSE:
        return;
      case T_BYTE:
        this.advance(1);
        return;
      case T_I16:
      case T_I32:
      case T_I64:
        this.varint();
        return;
      case T_DOUBLE:
        this.advance(8);
        return;
      case T_BINARY:
        this.advance(this.varint());
        return;
      case T_LIST:
      case T_SET: {
        const head = this.byte();
        const size = head >> 4 === 15 ? this.varint() : head >> 4;
        for (let i = 0; i < size; i++) this.skip(head & 0x0f, depth + 1);
        return;
      }
      case T_MAP: {
        const size = this.varint();
        if (size === 0) return;
        const kv = this.byte();
        for (let i = 0; i < size; i++) {
          this.skip(kv >> 4, depth + 1);
          this.skip(kv & 0x0f, depth + 1);
        }
        return;
      }
      case T_STRUCT:
        this.skipStruct(depth + 1);
        return;
      default:
        throw new ThriftOverrun(`unknown thrift type ${type} at byte ${this.pos}`);
    }
  }

  skipStruct(depth = 0): void {
    let id = 0;
    for (;;) {
      const field = this.fieldHeader(id);
      if (field.type === T_STOP) return;
      id = field.id;
      this.skip(field.type, depth);
    }
  }

  /**
   * Read a field header; returns type T_STOP at the end of the struct. The
   * returned object is reused across calls (no allocation per field).
   */
  fieldHeader(previousId: number): FieldHeader {
    const head = this.byte();
    const type = head & 0x0f;
    this.field.type = type;
    if (type === T_STOP) return this.field;
    const delta = head >> 4;
    this.field.id = delta === 0 ? this.i32() : previousId + delta;
    return this.field;
  }

  /** The value of a boolean field is carried in its type nibble. */
  static bool(type: number): boolean {
    return type === T_TRUE;
  }

  private advance(n: number): void {
    if (n < 0 || this.pos + n > this.end) {
      throw new ThriftOverrun(`thrift value of ${n} bytes past end at byte ${this.pos}`);
    }
    this.pos += n;
  }

  private readonly field: FieldHeader = { id: 0, type: 0 };
}

export interface FieldHeader {
  id: number;
  type: number;
}

export const THRIFT_STRUCT = T_STRUCT;
