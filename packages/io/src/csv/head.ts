import { IoError } from '@linreg/errors';
import type { ColumnInfo } from '../types.js';
import { countLines, recordEnd, splitRecord } from './fields.js';
import { FIELD_BAD, NumberScanner } from './number.js';
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
 * Reads the header record and a sample of the data. A column is numeric when
 * every sampled value is a number or a missing token (number.ts); its
 * sourceType is then 'number', else 'text' (a column with only missing values
 * in the sample counts as numeric). A UTF-8 byte-order mark is skipped.
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
  const text = new Array<boolean>(header.length).fill(false);
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
        if (j >= header.length || text[j]) return;
        const b = Buffer.from(value, 'latin1');
        scanner.parse(b, 0, b.length);
        if (scanner.status === FIELD_BAD) text[j] = true;
      });
    }
    pos = end;
  }
  const columns = header.map(
    (name, j): ColumnInfo => ({
      name,
      sourceType: text[j] ? 'text' : 'number',
      numeric: !text[j],
      nullable: true,
    }),
  );
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
