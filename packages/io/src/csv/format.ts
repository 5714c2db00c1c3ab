import { IoError } from '@linreg/errors';
import { defaultDelimiter, kindFromMagic, readHead } from '../detect.js';
import type { FormatModule, ReadOptions, ShardDescription } from '../format.js';
import type { ColumnBatch, WorkUnit } from '../types.js';
import { recordEnd } from './fields.js';
import { readCsvHead } from './head.js';
import { RecordParser } from './records.js';
import { ByteCarry, csvBytes } from './source.js';
import { DEFAULT_CSV_CHUNK_BYTES, splitCsv } from './split.js';

export interface CsvOptions {
  /** One character; default ',' or '\t' for .tsv files. */
  readonly delimiter?: string | undefined;
  /** Target bytes per unit (DEFAULT_CSV_CHUNK_BYTES = 32 MiB). */
  readonly chunkBytes?: number | undefined;
}

/**
 * Describes a CSV file: header, guessed column types (head.ts) and units of
 * about `chunkBytes` split at record boundaries (split.ts). A gzip file is
 * one unit: a gzip stream cannot be entered in the middle.
 */
export async function describeCsv(
  file: string,
  options: CsvOptions = {},
): Promise<ShardDescription> {
  const delimiter = options.delimiter ?? defaultDelimiter(file.replace(/\.gz$/i, ''));
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new IoError(
      'unsupported',
      { file },
      `delimiter ${JSON.stringify(delimiter)} must be one character other than a quote or line break`,
    );
  }
  const chunkBytes = options.chunkBytes ?? DEFAULT_CSV_CHUNK_BYTES;
  if (!(Number.isInteger(chunkBytes) && chunkBytes > 0)) {
    throw new IoError(
      'unsupported',
      { file },
      `csv chunk bytes must be a positive integer, got ${chunkBytes}`,
    );
  }
  const { head, bytes } = await readHead(file);
  const gzip = kindFromMagic(head) === 'csv-gzip';
  const csvHead = await readCsvHead(file, gzip, delimiter);
  const base = {
    file,
    format: 'csv' as const,
    part: -1,
    rowStart: 0,
    rowEnd: 0,
    csvHeader: csvHead.header,
    csvDelimiter: delimiter,
  };
  const perRecord = csvHead.bytesPerRecord;
  const estimate = (span: number): number => (perRecord > 0 ? Math.round(span / perRecord) : 0);
  if (gzip) {
    return {
      info: { file, format: 'csv', bytes, rows: 0, rowsExact: false },
      columns: csvHead.columns,
      units: [
        {
          ...base,
          byteStart: 0,
          byteEnd: bytes,
          rowEstimate: 0,
          csvFirstLine: csvHead.firstLine,
          csvGzip: true,
          label: `${file} (gzip)`,
        },
      ],
    };
  }
  const ranges = await splitCsv(file, csvHead.dataStart, bytes, chunkBytes, csvHead.firstLine);
  const units = ranges
    .filter((range) => range.end > range.start)
    .map((range) => ({
      ...base,
      byteStart: range.start,
      byteEnd: range.end,
      rowEstimate: range.lines >= 0 ? range.lines : estimate(range.end - range.start),
      csvFirstLine: range.firstLine,
      label: `${file} bytes ${range.start}-${range.end}`,
    }));
  const rows = units.reduce((sum, unit) => sum + unit.rowEstimate, 0);
  return {
    info: { file, format: 'csv', bytes, rows, rowsExact: false },
    columns: csvHead.columns,
    units,
  };
}

/**
 * The longest record (or header) a reader buffers: 64 MiB. A longer one is an
 * error naming the file and the record's first line, instead of a buffer that
 * grows with the file (a file without line breaks, or an unterminated quote).
 */
export const MAX_CSV_RECORD_BYTES = 64 << 20;
const LF = 10;
const CR = 13;

/**
 * Reads one CSV unit; see RecordParser for what is accepted (and how columns
 * named in `options.categorical` become codes and levels). A record longer
 * than `maxRecordBytes` (default MAX_CSV_RECORD_BYTES) is an error.
 */
export async function* readCsv(
  unit: WorkUnit,
  columns: readonly string[],
  options: ReadOptions,
  maxRecordBytes = MAX_CSV_RECORD_BYTES,
): AsyncGenerator<ColumnBatch> {
  const header = unit.csvHeader;
  if (header === undefined) {
    throw new IoError(
      'unsupported',
      { file: unit.file, where: unit.label },
      'CSV unit without a header',
    );
  }
  const delimiter = (unit.csvDelimiter ?? ',').charCodeAt(0);
  const gzip = unit.csvGzip === true;
  const parser = new RecordParser({
    file: unit.file,
    header,
    columns,
    delimiter,
    batchRows: options.batchRows,
    firstLine: unit.csvFirstLine ?? 2,
    categorical: options.categorical,
  });
  const carry = new ByteCarry();
  let skipHeader = gzip;
  const range = gzip ? null : { start: unit.byteStart, end: unit.byteEnd };
  if (range !== null && range.end <= range.start) return;
  for await (const chunk of csvBytes(unit.file, range, gzip)) {
    // A record ends only at a line break, so bytes without one cannot complete a record: the
    // parser skips them (a record without line breaks then costs linear, not quadratic, time).
    let complete =
      (carry.size > 0 && carry.view()[carry.size - 1] === CR) ||
      chunk.indexOf(LF) >= 0 ||
      chunk.indexOf(CR) >= 0;
    carry.append(chunk);
    if (skipHeader) {
      const headerEnd = recordEnd(carry.view(), 0, carry.size, false);
      if (headerEnd < 0) {
        if (carry.size > maxRecordBytes) throw recordTooLong(unit.file, 1, maxRecordBytes);
        continue;
      }
      carry.drop(headerEnd);
      skipHeader = false;
      complete = true;
    }
    if (complete) {
      carry.drop(parser.consume(carry.view(), false));
      yield* parser.takeBatches();
    }
    if (carry.size > maxRecordBytes) {
      throw recordTooLong(unit.file, parser.nextLine, maxRecordBytes);
    }
  }
  if (!skipHeader) parser.consume(carry.view(), true);
  yield* parser.finish();
}

function recordTooLong(file: string, line: number, limit: number): IoError {
  const size = limit % (1 << 20) === 0 ? `${limit >> 20} MiB` : `${limit} bytes`;
  return new IoError(
    'bad-format',
    { file, where: `line ${line}` },
    `record longer than ${size} (no line break, or an unterminated quote)`,
  );
}

export const csvFormat: FormatModule = {
  format: 'csv',
  describe: (file) => describeCsv(file),
  read: readCsv,
};
