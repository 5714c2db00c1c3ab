/**
 * The schema message an Arrow IPC file may hold after its `ARROW1` preamble
 * (the file format is the stream format between magic and footer; Arrow C++,
 * pyarrow and linreg ≥ 0.1 write it, apache-arrow's JS writer does not). When
 * present it is a second copy of the schema: a footer whose type tag, name or
 * dictionary id was damaged would otherwise read a column as another type
 * without any sign, so the two must agree.
 */
import { IoError } from '@linreg/errors';
import { Message, type Schema } from 'apache-arrow';
import { arrowSync } from './arrow-errors.js';
import { type FileHandle, readExactly } from './read-exactly.js';
import { schemaDifference } from './schema-match.js';
import { MAX_METADATA_BYTES, validateSchema } from './validate.js';
import { verifyMessage } from './verify-flatbuffer.js';

/**
 * Checks bytes [8, `end`) of the file — `end` is the first footer block's
 * offset, or the footer's start when there are none — and returns where the
 * schema message there ends (8 when there is none). With blocks, the bytes
 * are either nothing or exactly one schema message that agrees with the
 * footer's schema; without blocks they may also start with the end-of-stream
 * marker.
 */
export async function checkLeadingSchema(
  handle: FileHandle,
  file: string,
  bytes: number,
  footerSchema: Schema,
  end: number,
  hasBlocks: boolean,
): Promise<number> {
  const where = 'schema message';
  const fail = (problem: string): never => {
    throw new IoError('corrupt', { file, where }, `Arrow IPC: ${problem}`);
  };
  const span = end - 8;
  if (span <= 0 && hasBlocks) return 8;
  if (span < 8) {
    if (hasBlocks) fail(`bytes 8-${end}, before the first block, hold no message`);
    return 8;
  }
  const head = await readExactly(handle, file, where, 8, 8, bytes);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  // Since Arrow 0.15 a message starts with 0xFFFFFFFF, then its metadata length.
  const prefix = view.getUint32(0, true) === 0xffffffff ? 8 : 4;
  const length = view.getInt32(prefix - 4, true);
  // The end-of-stream marker of a file without batches (and without a schema message).
  if (length === 0 && !hasBlocks) return 8;
  if (length <= 0 || length > MAX_METADATA_BYTES || prefix + length > span) {
    fail(`metadata length ${length} does not fit in bytes 8-${end}, before the first block`);
  }
  const messageEnd = 8 + prefix + length;
  if (hasBlocks && messageEnd !== end) {
    fail(
      `bytes ${messageEnd}-${end}, between the schema message and the first block, hold data no footer block indexes`,
    );
  }
  const meta = await readExactly(handle, file, where, 8 + prefix, length, bytes);
  verifyMessage(meta, file, where);
  const message = arrowSync(file, where, () => Message.decode(meta));
  if (!message.isSchema()) fail('the message after the ARROW1 magic is not a schema message');
  if (Number(message.bodyLength) !== 0)
    fail(`a schema message with a ${message.bodyLength}-byte body`);
  const schema = arrowSync(file, where, () => message.header() as Schema | null);
  if (schema === null) return fail('a schema message without a schema');
  validateSchema(schema, file);
  const difference = schemaDifference(footerSchema, schema, ['the footer', 'the schema message']);
  if (difference !== null) fail(`the footer and the schema message disagree: ${difference}`);
  return messageEnd;
}
