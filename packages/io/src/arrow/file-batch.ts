import { IoError } from '@linreg/errors';
import { Message, type RecordBatch, RecordBatchReader, type Schema } from 'apache-arrow';
import type { WorkUnit } from '../types.js';
import { arrowCall, arrowSync } from './arrow-errors.js';
import type { ArrowBlock, ArrowFileMeta } from './file-meta.js';
import { type FileHandle, readExactly } from './read-exactly.js';
import { type BatchHeader, validateBatchHeader } from './validate.js';
import { verifyMessage } from './verify-flatbuffer.js';

/**
 * Decodes the record batch message at the start of `meta` (a block's
 * metadata bytes: prefix, flatbuffer, padding) and checks it against the
 * footer's block and schema (validate.ts) before anything reads its body.
 */
export function checkedBatchMessage(
  meta: Uint8Array,
  schema: Schema,
  block: ArrowBlock,
  file: string,
  where: string,
  /** The batch's body, when read (validity bitmaps are then checked too). */
  body?: Uint8Array,
): BatchHeader {
  const view = new DataView(meta.buffer, meta.byteOffset, meta.byteLength);
  // Since Arrow 0.15 a message starts with the continuation marker 0xFFFFFFFF, then its length.
  const prefix = view.getUint32(0, true) === 0xffffffff ? 8 : 4;
  const length = view.getInt32(prefix - 4, true);
  if (length <= 0 || prefix + length > block.metaDataLength) {
    throw new IoError('corrupt', { file, where }, `bad message length ${length}`);
  }
  verifyMessage(meta.subarray(prefix, prefix + length), file, where);
  const message = arrowSync(file, where, () =>
    Message.decode(meta.subarray(prefix, prefix + length)),
  );
  if (!message.isRecordBatch())
    throw new IoError('corrupt', { file, where }, 'footer block is not a record batch');
  if (Number(message.bodyLength) !== block.bodyLength) {
    throw new IoError(
      'corrupt',
      { file, where },
      `the message's body is ${message.bodyLength} bytes, the footer says ${block.bodyLength}`,
    );
  }
  const header = arrowSync(file, where, () => message.header() as unknown as BatchHeader | null);
  if (header === null)
    throw new IoError('corrupt', { file, where }, 'record batch without a header');
  validateBatchHeader(header, schema, block.bodyLength, file, where, body);
  return header;
}

/**
 * Reads record batch `unit.part` of an Arrow IPC file with one positioned
 * read, using the cached footer (footer-cache.ts) instead of parsing it again
 * for every unit. The cached schema message and the batch's message are
 * placed back to back in one buffer — a one-batch IPC stream — and decoded by
 * apache-arrow's stream reader. Both messages are padded to 8 bytes, so the
 * body keeps its 8-byte alignment and typed arrays view it without copying.
 * Dictionary batches are not included: a dictionary column decodes with an
 * empty dictionary, and is rejected as non-numeric before its values are used.
 * Checks that the batch is where, and as long as, the plan saw it.
 */
export async function readFileBatch(
  handle: FileHandle,
  meta: ArrowFileMeta,
  unit: WorkUnit,
): Promise<RecordBatch> {
  const file = unit.file;
  const where = unit.label;
  const block = meta.batches[unit.part];
  if (block === undefined) {
    throw new IoError(
      'corrupt',
      { file, where },
      `the file has ${meta.batches.length} record batches`,
    );
  }
  const length = block.metaDataLength + block.bodyLength;
  if (block.offset !== unit.byteStart || block.offset + length !== unit.byteEnd) {
    throw new IoError(
      'schema-mismatch',
      { file, where },
      'the file changed since it was planned (record batch moved)',
    );
  }
  const batch =
    meta.schemaMessage === null
      ? await readWithFooter(handle, unit)
      : await readAsStream(handle, meta, meta.schemaMessage, block, unit);
  if (batch === null) throw new IoError('truncated', { file, where }, 'record batch missing');
  const rows = unit.rowEnd - unit.rowStart;
  if (batch.numRows !== rows) {
    throw new IoError(
      'schema-mismatch',
      { file, where },
      `holds ${batch.numRows} rows, the plan expected ${rows}: the file changed`,
    );
  }
  return batch;
}

async function readAsStream(
  handle: FileHandle,
  meta: ArrowFileMeta,
  schemaMessage: Uint8Array,
  block: ArrowBlock,
  unit: WorkUnit,
): Promise<RecordBatch | null> {
  const head = schemaMessage.length;
  const length = block.metaDataLength + block.bodyLength;
  const stream = new Uint8Array(head + length);
  stream.set(schemaMessage, 0);
  await readExactly(
    handle,
    unit.file,
    unit.label,
    block.offset,
    length,
    meta.bytes,
    stream.subarray(head),
  );
  checkedBatchMessage(
    stream.subarray(head, head + block.metaDataLength),
    meta.schema,
    block,
    unit.file,
    unit.label,
    stream.subarray(head + block.metaDataLength),
  );
  return arrowSync(unit.file, unit.label, () => {
    const next = RecordBatchReader.from(stream).open({ autoDestroy: false }).next();
    return next.done === true ? null : (next.value ?? null);
  });
}

/** apache-arrow's file reader, which parses the footer (and dictionaries) again. */
function readWithFooter(handle: FileHandle, unit: WorkUnit): Promise<RecordBatch | null> {
  return arrowCall(unit.file, unit.label, async () => {
    const reader = await (await RecordBatchReader.from(handle)).open({ autoDestroy: false });
    return reader.readRecordBatch(unit.part);
  });
}
