import type { open } from 'node:fs/promises';
import { RecordBatchReader, type Schema, Table, tableToIPC } from 'apache-arrow';
import { IoError } from '../errors.js';
import type { ColumnInfo } from '../types.js';
import { arrowCall, arrowSync } from './arrow-errors.js';
import { arrowColumns } from './columns.js';

export type FileHandle = Awaited<ReturnType<typeof open>>;

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
   */
  readonly schemaMessage: Uint8Array;
  readonly batches: readonly ArrowBlock[];
}

interface Entry {
  readonly size: number;
  readonly mtimeMs: number;
  readonly meta: Promise<ArrowFileMeta>;
}

/**
 * Footers parsed in this thread, least recently used first, keyed by path and
 * valid while size and mtime match. A worker reads the batches of a few files
 * in turn, so a handful of entries is plenty; each holds only the schema and
 * the block index (dictionaries are not kept: dictionary columns are never
 * numeric). Entries are promises, so units of one file arriving together
 * share one parse.
 */
const cache = new Map<string, Entry>();
const CAPACITY = 8;

/**
 * The parsed footer of `file`, open as `handle`: from the cache when the file
 * still has the size and mtime it had when parsed, else read and cached.
 */
export async function arrowFileMeta(handle: FileHandle, file: string): Promise<ArrowFileMeta> {
  const stat = await handle.stat();
  const hit = cache.get(file);
  if (hit !== undefined && hit.size === stat.size && hit.mtimeMs === stat.mtimeMs) {
    cache.delete(file);
    cache.set(file, hit);
    return hit.meta;
  }
  const meta = parseFileMeta(handle, file, stat.size);
  const entry: Entry = { size: stat.size, mtimeMs: stat.mtimeMs, meta };
  cache.delete(file);
  if (cache.size >= CAPACITY) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(file, entry);
  // A failed parse is not remembered: the next unit reports the error afresh.
  meta.catch(() => {
    if (cache.get(file) === entry) cache.delete(file);
  });
  return meta;
}

async function parseFileMeta(
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
    schemaMessage: schemaMessage(reader.schema, file),
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

/** Bytes [offset, offset + length) of the file, all of them, or a 'truncated' IoError. */
export async function readExactly(
  handle: FileHandle,
  file: string,
  where: string,
  offset: number,
  length: number,
  bytes: number,
  into: Uint8Array = new Uint8Array(length),
): Promise<Uint8Array> {
  if (offset + length > bytes) {
    throw new IoError(
      'truncated',
      { file, where },
      `bytes ${offset}-${offset + length} are past the end of the file (${bytes} bytes)`,
    );
  }
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(into, filled, length - filled, offset + filled);
    if (bytesRead === 0) {
      throw new IoError('truncated', { file, where }, `the file ended at byte ${offset + filled}`);
    }
    filled += bytesRead;
  }
  return into;
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
