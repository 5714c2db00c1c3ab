/**
 * Arrow IPC messages of an IPC file's blocks, decoded only after their
 * flatbuffer is verified (verify-flatbuffer.ts) and their body length agrees
 * with the footer; dictionary batches are also checked against the schema's
 * type for their id (validate.ts) before apache-arrow reads their body.
 */
import { IoError } from '@linreg/errors';
import { Field, Message, Schema } from 'apache-arrow';
import { arrowSync } from './arrow-errors.js';
import { type BatchHeader, validateBatchHeader } from './validate.js';
import { verifyMessage } from './verify-flatbuffer.js';

/** Where a footer says a message is (file-meta.ts's ArrowBlock, structurally). */
export interface MessageBlock {
  readonly metaDataLength: number;
  readonly bodyLength: number;
}

/** The message flatbuffer of a block's metadata bytes (after its prefix), verified. */
export function messageOf(
  meta: Uint8Array,
  block: MessageBlock,
  file: string,
  where: string,
): Message {
  const view = new DataView(meta.buffer, meta.byteOffset, meta.byteLength);
  // Since Arrow 0.15 a message starts with the continuation marker 0xFFFFFFFF, then its length.
  const prefix = view.getUint32(0, true) === 0xffffffff ? 8 : 4;
  const length = view.getInt32(prefix - 4, true);
  // Writers pad the metadata to 8 bytes and count the padding in both lengths.
  if (length <= 0 || prefix + length !== block.metaDataLength) {
    throw new IoError(
      'corrupt',
      { file, where },
      `message metadata length ${length} (+${prefix}-byte prefix), the footer says ${block.metaDataLength}`,
    );
  }
  verifyMessage(meta.subarray(prefix, prefix + length), file, where);
  const message = arrowSync(file, where, () =>
    Message.decode(meta.subarray(prefix, prefix + length)),
  );
  if (Number(message.bodyLength) !== block.bodyLength) {
    throw new IoError(
      'corrupt',
      { file, where },
      `the message's body is ${message.bodyLength} bytes, the footer says ${block.bodyLength}`,
    );
  }
  return message;
}

/** What a dictionary batch message says, once checked. */
export interface DictionaryHeader {
  readonly id: number;
  readonly isDelta: boolean;
  readonly data: BatchHeader;
}

/**
 * Decodes the dictionary batch message of a footer dictionary block and
 * checks it against the block and the schema's type for its id (its body
 * laid out as a one-column record batch of that type) before anything reads
 * the body.
 */
export function checkedDictionaryMessage(
  meta: Uint8Array,
  schema: Schema,
  block: MessageBlock,
  file: string,
  where: string,
  body?: Uint8Array,
): DictionaryHeader {
  const message = messageOf(meta, block, file, where);
  return checkDictionaryHeader(message, schema, block.bodyLength, file, where, body);
}

/**
 * Checks a decoded dictionary batch message against the schema's type for its
 * id (its body laid out as a one-column record batch of that type) and the
 * body's length; shared by IPC files and streams (stream-framing.ts).
 */
export function checkDictionaryHeader(
  message: Message,
  schema: Schema,
  bodyLength: number,
  file: string,
  where: string,
  body?: Uint8Array,
): DictionaryHeader {
  if (!message.isDictionaryBatch())
    throw new IoError('corrupt', { file, where }, 'footer block is not a dictionary batch');
  const header = arrowSync(file, where, () => message.header() as unknown as DictionaryHeader);
  const type = schema.dictionaries.get(header.id);
  if (type === undefined) {
    throw new IoError(
      'corrupt',
      { file, where },
      `dictionary id ${header.id} is not in the schema`,
    );
  }
  const values = new Schema(
    [new Field('dictionary', type, true)],
    undefined,
    undefined,
    schema.metadataVersion,
  );
  validateBatchHeader(header.data, values, bodyLength, file, where, body);
  return header;
}
