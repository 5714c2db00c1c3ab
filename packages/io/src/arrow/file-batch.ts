import { IoError } from '@linreg/errors';
import { type RecordBatch, RecordBatchReader, type Schema } from 'apache-arrow';
import { asNodeFileHandle } from '../bytes/handle.js';
import type { WorkUnit } from '../types.js';
import { arrowCall, arrowSync } from './arrow-errors.js';
import type { ArrowBlock, ArrowFileMeta } from './file-meta.js';
import { checkedDictionaryMessage, messageOf } from './messages.js';
import { type FileHandle, readExactly } from './read-exactly.js';
import { type BatchHeader, validateBatchHeader } from './validate.js';

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
  const message = messageOf(meta, block, file, where);
  if (!message.isRecordBatch())
    throw new IoError('corrupt', { file, where }, 'footer block is not a record batch');
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
 * Dictionary batches are included only for the ids in `dictionaries` (the
 * dictionary columns read as categories), in footer order, between the two
 * (deltas append; the file format allows no replacement, which is refused).
 * Any other dictionary column decodes with an empty dictionary, and is
 * rejected as non-numeric before its values are used.
 * Checks that the batch is where, and as long as, the plan saw it.
 */
export async function readFileBatch(
  handle: FileHandle,
  meta: ArrowFileMeta,
  unit: WorkUnit,
  dictionaries: ReadonlySet<number> = new Set(),
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
      : await readAsStream(
          handle,
          meta,
          meta.schemaMessage,
          block,
          unit,
          dictionaries.size === 0 ? [] : await dictionaryMessages(handle, meta, unit, dictionaries),
        );
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

/**
 * The dictionary batch messages (metadata and body) of the footer's
 * dictionary blocks whose id is in `ids`, in footer order, each checked.
 */
async function dictionaryMessages(
  handle: FileHandle,
  meta: ArrowFileMeta,
  unit: WorkUnit,
  ids: ReadonlySet<number>,
): Promise<Uint8Array[]> {
  const file = unit.file;
  const out: Uint8Array[] = [];
  const seen = new Set<number>();
  for (const [i, block] of meta.dictionaries.entries()) {
    const where = `dictionary batch ${i}`;
    const head = await readExactly(
      handle,
      file,
      where,
      block.offset,
      block.metaDataLength,
      meta.bytes,
    );
    const { id } = checkedDictionaryMessage(head, meta.schema, block, file, where);
    if (!ids.has(id)) continue;
    const message = new Uint8Array(block.metaDataLength + block.bodyLength);
    message.set(head, 0);
    await readExactly(
      handle,
      file,
      where,
      block.offset + block.metaDataLength,
      block.bodyLength,
      meta.bytes,
      message.subarray(block.metaDataLength),
    );
    const { isDelta } = checkedDictionaryMessage(
      head,
      meta.schema,
      block,
      file,
      where,
      message.subarray(block.metaDataLength),
    );
    if (!isDelta && seen.has(id)) {
      throw new IoError(
        'unsupported',
        { file, where },
        `a second, replacing dictionary for id ${id}: an Arrow IPC file allows only deltas`,
      );
    }
    seen.add(id);
    out.push(message);
  }
  return out;
}

async function readAsStream(
  handle: FileHandle,
  meta: ArrowFileMeta,
  schemaMessage: Uint8Array,
  block: ArrowBlock,
  unit: WorkUnit,
  dictionaries: readonly Uint8Array[],
): Promise<RecordBatch | null> {
  // Schema, dictionaries, batch: each message a multiple of 8 bytes, so bodies stay aligned.
  let head = schemaMessage.length;
  for (const d of dictionaries) head += d.length;
  const length = block.metaDataLength + block.bodyLength;
  const stream = new Uint8Array(head + length);
  stream.set(schemaMessage, 0);
  let at = schemaMessage.length;
  for (const d of dictionaries) {
    stream.set(d, at);
    at += d.length;
  }
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
    const reader = await (await RecordBatchReader.from(asNodeFileHandle(handle))).open({
      autoDestroy: false,
    });
    return reader.readRecordBatch(unit.part);
  });
}
