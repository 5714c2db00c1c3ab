/**
 * A checking reader in front of apache-arrow's stream reader. apache-arrow
 * trusts an IPC stream's length fields and flatbuffers: a damaged schema
 * message on standard input can make it allocate until the process runs out
 * of memory. Here each message — continuation marker, metadata length,
 * flatbuffer metadata, body — is read and checked first, and only whole,
 * checked messages are passed on: the metadata length is bounded, the
 * flatbuffer verified (verify-flatbuffer.ts), the body length bounded by a
 * cap and by the bytes that actually arrive, and each record batch's and
 * dictionary batch's buffers laid out inside its body as the schema's types
 * say (validate.ts). Any failure is one IoError naming the input and message.
 */
import { IoError } from '@linreg/errors';
import { Message, type Schema } from 'apache-arrow';
import { arrowSync } from './arrow-errors.js';
import { ByteQueue } from './byte-queue.js';
import { checkDictionaryHeader } from './messages.js';
import {
  type BatchHeader,
  MAX_METADATA_BYTES,
  validateBatchHeader,
  validateSchema,
} from './validate.js';
import { messageBodyLength, verifyMessage } from './verify-flatbuffer.js';

/**
 * Largest message body accepted from a stream by default (1 GiB): a body is
 * held whole in memory, and a record batch this large is far past what any
 * writer needs (linreg writes 100,000 rows a batch).
 */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024 * 1024;

export interface StreamLimits {
  /** Largest message body in bytes (default DEFAULT_MAX_BODY_BYTES). */
  readonly maxBodyBytes?: number;
}

/**
 * The bytes of the IPC stream `source`, message by message, each checked
 * before it is yielded. An empty source yields nothing (the caller reports
 * it); a stream that ends inside a message, or without its end-of-stream
 * marker, or with bytes after it, is refused.
 */
export async function* checkedStream(
  source: AsyncIterable<Uint8Array | string>,
  name: string,
  limits: StreamLimits = {},
): AsyncGenerator<Uint8Array> {
  const maxBody = limits.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const bytes = new ByteQueue(source);
  let schema: Schema | undefined;
  try {
    for (let index = 0; ; index += 1) {
      const where = `Arrow stream message ${index}`;
      const fail = (problem: string, code: 'corrupt' | 'truncated' = 'corrupt'): never => {
        throw new IoError(code, { file: name, where }, problem);
      };
      const start = bytes.position;
      const first = await bytes.read(4);
      if (first.byteLength === 0) {
        if (index === 0) return;
        fail(
          `the stream ended at byte ${start} without its end-of-stream marker (the writer stopped early?)`,
          'truncated',
        );
      }
      let prefix = first;
      if (first.byteLength === 4 && u32(first) === 0xffffffff) {
        const rest = await bytes.read(4);
        prefix = concat([first, rest]);
      }
      if (prefix.byteLength !== 4 && prefix.byteLength !== 8) {
        fail(`the stream ended at byte ${bytes.position}, inside a message prefix`, 'truncated');
      }
      const length = i32(prefix, prefix.byteLength - 4);
      if (length === 0) {
        const after = await bytes.read(1);
        if (after.byteLength > 0) {
          fail(`data after the end-of-stream marker at byte ${start} (two streams concatenated?)`);
        }
        yield prefix;
        return;
      }
      if (length < 0 || length > MAX_METADATA_BYTES) {
        fail(`metadata length ${length} is outside 1-${MAX_METADATA_BYTES} bytes`);
      }
      const meta = await bytes.read(length);
      if (meta.byteLength < length) {
        fail(
          `the stream ended at byte ${bytes.position}, inside ${length} bytes of message metadata`,
          'truncated',
        );
      }
      verifyMessage(meta, name, where);
      const declared = messageBodyLength(meta, name, where);
      if (declared < 0n) fail(`body length ${declared} is negative`);
      if (declared > BigInt(maxBody)) {
        fail(`body length ${declared} exceeds the ${maxBody}-byte limit for one message`);
      }
      const bodyLength = Number(declared);
      const message = arrowSync(name, where, () => Message.decode(meta));
      if (schema === undefined) {
        if (!message.isSchema()) fail('the stream does not start with a schema message');
        if (bodyLength !== 0) fail(`a schema message with a ${bodyLength}-byte body`);
        const decoded = arrowSync(name, where, () => message.header() as Schema | null);
        if (decoded === null) return fail('a schema message without a schema');
        validateSchema(decoded, name);
        schema = decoded;
        yield prefix;
        yield meta;
        continue;
      }
      if (message.isSchema()) fail('a second schema message');
      if (!message.isRecordBatch() && !message.isDictionaryBatch()) {
        fail(`a message of type ${String(message.headerType)}, not a record or dictionary batch`);
      }
      // The header is checked against the body length first: no body is read for a bad one.
      checkBatch(message, schema, bodyLength, name, where);
      const body = await bytes.read(bodyLength);
      if (body.byteLength < bodyLength) {
        fail(
          `the stream ended at byte ${bytes.position}, inside a ${bodyLength}-byte message body`,
          'truncated',
        );
      }
      checkBatch(message, schema, bodyLength, name, where, body);
      yield prefix;
      yield meta;
      if (body.byteLength > 0) yield body;
    }
  } finally {
    await bytes.close().catch(() => undefined);
  }
}

function checkBatch(
  message: Message,
  schema: Schema,
  bodyLength: number,
  name: string,
  where: string,
  body?: Uint8Array,
): void {
  if (message.isDictionaryBatch()) {
    checkDictionaryHeader(message, schema, bodyLength, name, where, body);
    return;
  }
  const header = arrowSync(name, where, () => message.header() as unknown as BatchHeader | null);
  if (header === null) {
    throw new IoError('corrupt', { file: name, where }, 'record batch without a header');
  }
  validateBatchHeader(header, schema, bodyLength, name, where, body);
}

const u32 = (b: Uint8Array): number =>
  new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(0, true);
const i32 = (b: Uint8Array, at: number): number =>
  new DataView(b.buffer, b.byteOffset, b.byteLength).getInt32(at, true);

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
