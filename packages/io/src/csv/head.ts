import { IoError } from '@linreg/errors';
import type { ColumnInfo } from '../types.js';
import { countLines, recordEnd, splitRecord } from './fields.js';
import { FIELD_BAD, FIELD_OK, NumberScanner } from './number.js';
import { ByteCarry, csvBytes } from './source.js';

/** Bytes read after the header to guess which columns are numeric. */
const SAMPLE_BYTES = 1 << 16;
const SAMPLE_RECORDS = 200;
/** A header longer than this is taken as a sign of a wrong delimiter or a binary file. */
const MAX_HEADER_BYTES = 16 << 20;

export interface CsvHead {
  readonly header: readonly string[];
  /** Byte offset of the first data record (in the decompressed stream for gzip). */
  readonly dataStart: number;
  /** Line number of the first data record. */
  readonly firstLine: number;
  readonly columns: readonly ColumnInfo[];
  /** Average bytes per record in the sample (for row estimates); 0 when there is no data. */
  readonly bytesPerRecord: number;
}

/**
 * Reads the header record and a sample of the data (the first 200 records, at
 * most about 64 KiB) and guesses each column's type from it:
 *
 * - a column is **text** when most of its non-missing sampled values are not
 *   numbers (more non-numbers than numbers; missing tokens, number.ts, count
 *   for neither): it is not selected by default, and selecting it is a
 *   'non-numeric' error;
 * - otherwise it is **numeric** (sourceType 'number'), also when its sample holds
 *   only missing values, and every value of it is then read as a number: a value
 *   that is not one (a typo, `abc`, `1,5`) is an error naming the file, column,
 *   line and value, wherever it is — in the sample or at row 4,001.
 *
 * Every column is also `categorical` (read as codes plus levels when asked,
 * whatever its guessed type: CSV has no types, a field's text is its level).
 *
 * So a mostly numeric column with a stray text value is never silently dropped
 * from the default selection (R's read.csv and DuckDB's sniffer would read it
 * as text; a regression would then lose a predictor without a word). A column
 * with as many text values as numbers counts as numeric: an error is
 * recoverable (`--exclude` it), a silently different model is not.
 * A UTF-8 byte-order mark is skipped.
 */
export async function readCsvHead(
  file: string,
  gzip: boolean,
  delimiter: string,
): Promise<CsvHead> {
  const carry = new ByteCarry();
  let atEof = true;
  for await (const chunk of csvBytes(file, null, gzip)) {
    carry.append(chunk);
    const bytes = carry.view();
    const bom = hasBom(bytes) ? 3 : 0;
    const headerEnd = recordEnd(bytes, bom, bytes.length, false);
    if (headerEnd >= 0 && bytes.length - headerEnd >= SAMPLE_BYTES) {
      atEof = false;
      break;
    }
    if (bytes.length > MAX_HEADER_BYTES && headerEnd < 0) {
      throw new IoError(
        'bad-format',
        { file },
        `no line break in the first ${MAX_HEADER_BYTES} bytes`,
      );
    }
  }
  const bytes = carry.view();
  if (bytes.length === 0) throw new IoError('empty', { file }, 'file is empty');
  const bom = hasBom(bytes) ? 3 : 0;
  const delimiterByte = delimiter.charCodeAt(0);
  const headerEnd = recordEnd(bytes, bom, bytes.length, true);
  const header = splitRecord(bytes, bom, headerEnd, delimiterByte).map((name) => name.trim());
  checkHeader(file, header);
  const firstLine = 1 + countLines(bytes, bom, headerEnd);

  const scanner = new NumberScanner();
  const numbers = new Array<number>(header.length).fill(0);
  const others = new Array<number>(header.length).fill(0);
  let pos = headerEnd;
  let records = 0;
  while (records < SAMPLE_RECORDS && pos < bytes.length) {
    const end = recordEnd(bytes, pos, bytes.length, atEof);
    if (end < 0) break;
    const fields = splitRecord(bytes, pos, end, delimiterByte);
    const blank = fields.length === 1 && fields[0] === '';
    if (!blank) {
      records += 1;
      fields.forEach((value, j) => {
        if (j >= header.length) return;
        const b = Buffer.from(value, 'latin1');
        scanner.parse(b, 0, b.length);
        if (scanner.status === FIELD_OK) numbers[j] = (numbers[j] ?? 0) + 1;
        else if (scanner.status === FIELD_BAD) others[j] = (others[j] ?? 0) + 1;
      });
    }
    pos = end;
  }
  const columns = header.map((name, j): ColumnInfo => {
    const text = (others[j] ?? 0) > (numbers[j] ?? 0);
    return {
      name,
      sourceType: text ? 'text' : 'number',
      numeric: !text,
      nullable: true,
      categorical: true,
    };
  });
  return {
    header,
    dataStart: headerEnd,
    firstLine,
    columns,
    bytesPerRecord: records === 0 ? 0 : (pos - headerEnd) / records,
  };
}

function hasBom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

function checkHeader(file: string, header: readonly string[]): void {
  const seen = new Set<string>();
  header.forEach((name, j) => {
    if (name === '')
      throw new IoError('bad-format', { file, where: 'header' }, `column ${j + 1} has no name`);
    if (seen.has(name))
      throw new IoError(
        'bad-format',
        { file, column: name, where: 'header' },
        'duplicate column name',
      );
    seen.add(name);
  });
}
