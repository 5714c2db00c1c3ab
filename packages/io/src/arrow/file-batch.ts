import { type RecordBatch, RecordBatchReader } from 'apache-arrow';
import { IoError } from '../errors.js';
import type { WorkUnit } from '../types.js';
import { arrowSync } from './arrow-errors.js';
import { type ArrowFileMeta, type FileHandle, readExactly } from './footer-cache.js';

/**
 * Reads record batch `unit.part` of an Arrow IPC file with one positioned
 * read, using the cached footer (footer-cache.ts) instead of parsing it again
 * for every unit. The cached schema message and the batch's message are
 * placed back to back in one buffer — a one-batch IPC stream — and decoded by
 * apache-arrow's stream reader. Both messages are padded to 8 bytes, so the
 * body keeps its 8-byte alignment and typed arrays view it without copying.
 * Dictionary batches are not included: a dictionary column decodes with an
 * empty dictionary, and is rejected as non-numeric before its values are used.
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
  const head = meta.schemaMessage.length;
  const stream = new Uint8Array(head + length);
  stream.set(meta.schemaMessage, 0);
  await readExactly(handle, file, where, block.offset, length, meta.bytes, stream.subarray(head));
  const batch = arrowSync(file, where, () => {
    const reader = RecordBatchReader.from(stream);
    const next = reader.open({ autoDestroy: false }).next();
    return next.done === true ? null : next.value;
  });
  if (batch === null || batch === undefined) {
    throw new IoError('truncated', { file, where }, 'record batch missing');
  }
  if (batch.numRows !== unit.rowEnd - unit.rowStart) {
    throw new IoError(
      'schema-mismatch',
      { file, where },
      `holds ${batch.numRows} rows, the plan expected ${unit.rowEnd - unit.rowStart}: the file changed`,
    );
  }
  return batch;
}
