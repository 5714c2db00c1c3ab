import { IoError } from '@linreg/errors';
import {
  DataType,
  type Field,
  MetadataVersion,
  RecordBatchReader,
  type Schema,
  Table,
  tableToIPC,
} from 'apache-arrow';
import { Footer } from 'apache-arrow/ipc/metadata/file';
import { asNodeFileHandle } from '../bytes/handle.js';
import type { ColumnInfo } from '../types.js';
import { arrowCall, arrowSync } from './arrow-errors.js';
import { arrowColumns } from './columns.js';
import { checkLeadingSchema } from './leading-schema.js';
import { checkedDictionaryMessage } from './messages.js';
import { type FileHandle, readExactly } from './read-exactly.js';
import { validateBlocks, validateSchema } from './validate.js';
import { verifyFooter } from './verify-flatbuffer.js';

/** Where one record batch sits in an Arrow IPC file, as its footer states. */
export interface ArrowBlock {
  readonly offset: number;
  /** Message prefix, flatbuffer metadata and padding. */
  readonly metaDataLength: number;
  readonly bodyLength: number;
}

/**
 * What reading any record batch of an Arrow IPC file needs, parsed once: the
 * schema message and the footer's block index.
 */
export interface ArrowFileMeta {
  /** File size in bytes when parsed (the cache checks it still is). */
  readonly bytes: number;
  readonly columns: readonly ColumnInfo[];
  /**
   * The footer's schema encoded as an IPC stream message; followed by one
   * record batch message of the file it forms a valid one-batch IPC stream.
   * Null in the rare case it would not stand for the file's schema (see
   * reencodable): then batches are read through apache-arrow's file reader.
   */
  readonly schemaMessage: Uint8Array | null;
  readonly batches: readonly ArrowBlock[];
  /**
   * The footer's dictionary blocks, in footer order (each inside the file,
   * before the footer; read only when a dictionary column is read as a
   * category, see file-batch.ts).
   */
  readonly dictionaries: readonly ArrowBlock[];
  /** The footer's schema, checked (validate.ts): every batch message is checked against it. */
  readonly schema: Schema;
}

/**
 * Checks the tail, then parses the footer and schema of an Arrow IPC file of
 * `bytes` bytes. apache-arrow's file reader decodes every dictionary batch
 * when it opens a file, trusting their lengths: each one is checked first
 * (checkDictionaryBatches).
 */
export async function parseFileMeta(
  handle: FileHandle,
  file: string,
  bytes: number,
): Promise<ArrowFileMeta> {
  const { footerLength, footerBytes } = await checkFileTail(handle, file, bytes);
  const footerStart = bytes - 10 - footerLength;
  const dictionaries = await checkDictionaryBatches(
    handle,
    file,
    bytes,
    footerBytes,
    footerLength,
    footerStart,
  );
  const reader = await arrowCall(file, 'footer', async () => {
    const r = await RecordBatchReader.from(asNodeFileHandle(handle));
    return r.open({ autoDestroy: false });
  });
  const footer = reader.footer;
  if (footer === null || !reader.isFile()) {
    throw new IoError('bad-format', { file }, 'not an Arrow IPC file (no footer)');
  }
  const schema = reader.schema as Schema | null | undefined;
  if (schema === null || schema === undefined) {
    throw new IoError('corrupt', { file, where: 'footer' }, 'Arrow IPC: the footer has no schema');
  }
  validateSchema(schema, file);
  const batches: ArrowBlock[] = [];
  const count = footer.numRecordBatches;
  // 24 bytes a block: a count beyond the footer's size is a corrupt footer, not a loop bound.
  if (!Number.isSafeInteger(count) || count < 0 || count * 24 > footerLength) {
    throw new IoError(
      'corrupt',
      { file, where: 'footer' },
      `Arrow IPC: ${count} record batches in a ${footerLength}-byte footer`,
    );
  }
  for (let i = 0; i < count; i += 1) {
    const block = arrowSync(file, `record batch ${i}`, () => footer.getRecordBatch(i));
    if (block === null)
      throw new IoError('corrupt', { file, where: `record batch ${i}` }, 'missing footer block');
    batches.push({
      offset: Number(block.offset),
      metaDataLength: block.metaDataLength,
      bodyLength: Number(block.bodyLength),
    });
  }
  validateBlocks(batches, footerStart, file);
  const blocks = [...batches, ...dictionaries];
  const first = blocks.reduce((min, b) => Math.min(min, b.offset), footerStart);
  const schemaEnd = await checkLeadingSchema(handle, file, bytes, schema, first, blocks.length > 0);
  checkNothingUnindexed(file, batches, schemaEnd, footerStart);
  return {
    bytes,
    columns: arrowSync(file, 'schema', () => arrowColumns(schema)),
    schemaMessage: reencodable(schema) ? schemaMessage(schema, file) : null,
    batches,
    dictionaries,
    schema,
  };
}

/**
 * The footer's dictionary blocks, each inside the file before the footer,
 * with its message verified and its body laid out as the schema's type for
 * its id says (messages.ts), before apache-arrow's file reader decodes them.
 * Reads every dictionary batch once (apache-arrow reads them all anyway).
 */
async function checkDictionaryBatches(
  handle: FileHandle,
  file: string,
  bytes: number,
  footerBytes: Uint8Array,
  footerLength: number,
  footerStart: number,
): Promise<ArrowBlock[]> {
  const footer = arrowSync(file, 'footer', () => Footer.decode(footerBytes));
  const schema = footer.schema as Schema | null | undefined;
  if (schema === null || schema === undefined) {
    throw new IoError('corrupt', { file, where: 'footer' }, 'Arrow IPC: the footer has no schema');
  }
  validateSchema(schema, file);
  const count = footer.numDictionaries;
  if (!Number.isSafeInteger(count) || count < 0 || count * 24 > footerLength) {
    throw new IoError(
      'corrupt',
      { file, where: 'footer' },
      `Arrow IPC: ${count} dictionary batches in a ${footerLength}-byte footer`,
    );
  }
  const out: ArrowBlock[] = [];
  for (let i = 0; i < count; i += 1) {
    const where = `dictionary batch ${i}`;
    const block = arrowSync(file, where, () => footer.getDictionaryBatch(i));
    if (block === null) throw new IoError('corrupt', { file, where }, 'missing footer block');
    const entry: ArrowBlock = {
      offset: Number(block.offset),
      metaDataLength: block.metaDataLength,
      bodyLength: Number(block.bodyLength),
    };
    // Each on its own: dictionary blocks interleave with record batch blocks.
    validateBlocks([entry], footerStart, file, where);
    const message = await readExactly(
      handle,
      file,
      where,
      entry.offset,
      entry.metaDataLength + entry.bodyLength,
      bytes,
    );
    checkedDictionaryMessage(
      message.subarray(0, entry.metaDataLength),
      schema,
      entry,
      file,
      where,
      message.subarray(entry.metaDataLength),
    );
    out.push(entry);
  }
  return out;
}

/**
 * The schema as one IPC stream message (continuation marker, length,
 * flatbuffer, padding to 8). Not copied from the file: the Arrow format puts a
 * schema message after the `ARROW1` preamble, but apache-arrow's JS file
 * writer (and so linreg before 0.1) leaves it out and keeps the schema only
 * in the footer, so it is re-encoded from the footer's schema, checked against
 * the file's own schema message when there is one (leading-schema.ts). The
 * cut is the first message of an empty table's stream, before its
 * end-of-stream marker.
 */
function schemaMessage(schema: Schema, file: string): Uint8Array {
  const stream = arrowSync(file, 'schema', () => tableToIPC(new Table(schema), 'stream'));
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  const length = stream.byteLength >= 8 ? view.getInt32(4, true) : -1;
  if (view.getUint32(0, true) !== CONTINUATION || length <= 0 || 8 + length > stream.byteLength) {
    throw new IoError('corrupt', { file, where: 'schema' }, 'could not re-encode the schema');
  }
  return stream.slice(0, 8 + length);
}

const CONTINUATION = 0xffffffff;

/**
 * Whether the V5 schema message that apache-arrow writes decodes this file's
 * batches as the file's own schema would: always, except a union in a file
 * of metadata version V4 or older (before Arrow 1.0 a union had a validity
 * buffer, and reading it as V5 would shift every later buffer).
 */
function reencodable(schema: Schema): boolean {
  if (schema.metadataVersion >= MetadataVersion.V5) return true;
  const hasUnion = (type: DataType): boolean =>
    DataType.isUnion(type) || (type.children ?? []).some((f: Field) => hasUnion(f.type));
  return !schema.fields.some((f: Field) => hasUnion(f.type));
}

/**
 * The footer indexes every record batch: after the last block (or, with no
 * blocks, after the schema message or the magic, `schemaEnd`) at most an
 * end-of-stream marker and padding may precede the footer. A damaged footer
 * that lost its blocks would otherwise read as a file of fewer (or no) rows.
 */
function checkNothingUnindexed(
  file: string,
  batches: readonly ArrowBlock[],
  schemaEnd: number,
  footerStart: number,
): void {
  const last = batches[batches.length - 1];
  const end = last === undefined ? schemaEnd : last.offset + last.metaDataLength + last.bodyLength;
  if (footerStart - end > 16) {
    throw new IoError(
      'corrupt',
      { file, where: 'footer' },
      `Arrow IPC: bytes ${end}-${footerStart} hold data no footer block indexes`,
    );
  }
}

/**
 * An Arrow IPC file ends with its footer, the footer's int32 length and the
 * magic `ARROW1`; checking them first turns a truncated file into a clear
 * error instead of a failure deep inside the flatbuffer decoder.
 */
async function checkFileTail(
  handle: FileHandle,
  file: string,
  bytes: number,
): Promise<{ footerLength: number; footerBytes: Uint8Array }> {
  const tail = new Uint8Array(10);
  if (bytes < 8 + tail.length) {
    throw new IoError('truncated', { file }, `${bytes} bytes is too short for an Arrow IPC file`);
  }
  await handle.read(tail, 0, tail.length, bytes - tail.length);
  const magic = String.fromCharCode(...tail.subarray(4));
  if (magic !== 'ARROW1') {
    throw new IoError(
      'truncated',
      { file },
      'no ARROW1 magic at the end: the file is truncated or still being written',
    );
  }
  const footerLength = new DataView(tail.buffer).getInt32(0, true);
  if (footerLength <= 0 || footerLength + 8 + tail.length > bytes) {
    throw new IoError(
      'corrupt',
      { file },
      `footer length ${footerLength} does not fit in ${bytes} bytes`,
    );
  }
  // apache-arrow trusts the footer's offsets and counts: check them against its bytes first.
  const footer = new Uint8Array(footerLength);
  await handle.read(footer, 0, footerLength, bytes - tail.length - footerLength);
  verifyFooter(footer, file);
  return { footerLength, footerBytes: footer };
}
