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
import type { ColumnInfo } from '../types.js';
import { arrowCall, arrowSync } from './arrow-errors.js';
import { arrowColumns } from './columns.js';
import type { FileHandle } from './read-exactly.js';

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
}

/** Checks the tail, then parses the footer and schema of an Arrow IPC file of `bytes` bytes. */
export async function parseFileMeta(
  handle: FileHandle,
  file: string,
  bytes: number,
): Promise<ArrowFileMeta> {
  await checkFileTail(handle, file, bytes);
  const reader = await arrowCall(file, 'footer', async () => {
    const r = await RecordBatchReader.from(handle);
    return r.open({ autoDestroy: false });
  });
  const footer = reader.footer;
  if (footer === null || !reader.isFile()) {
    throw new IoError('bad-format', { file }, 'not an Arrow IPC file (no footer)');
  }
  const batches: ArrowBlock[] = [];
  for (let i = 0; i < footer.numRecordBatches; i += 1) {
    const block = footer.getRecordBatch(i);
    if (block === null)
      throw new IoError('corrupt', { file, where: `record batch ${i}` }, 'missing footer block');
    batches.push({
      offset: Number(block.offset),
      metaDataLength: block.metaDataLength,
      bodyLength: Number(block.bodyLength),
    });
  }
  return {
    bytes,
    columns: arrowColumns(reader.schema),
    schemaMessage: reencodable(reader.schema) ? schemaMessage(reader.schema, file) : null,
    batches,
  };
}

/**
 * The schema as one IPC stream message (continuation marker, length,
 * flatbuffer, padding to 8). Not copied from the file: the Arrow format puts a
 * schema message after the `ARROW1` preamble, but apache-arrow's JS file
 * writer leaves it out and keeps the schema only in the footer, so it is
 * re-encoded from the footer's schema (the cut is the first message of an
 * empty table's stream, before its end-of-stream marker).
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
 * An Arrow IPC file ends with its footer, the footer's int32 length and the
 * magic `ARROW1`; checking them first turns a truncated file into a clear
 * error instead of a failure deep inside the flatbuffer decoder.
 */
async function checkFileTail(handle: FileHandle, file: string, bytes: number): Promise<void> {
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
}
