import type { ByteSource } from '../bytes/byte-source.js';
import { chunkBytesFor } from '../bytes/byte-stream.js';
import { openBytes } from '../bytes/open-bytes.js';
import { fsError } from '../detect.js';

/**
 * Default target size of one CSV unit (32 MiB): large enough to amortise a
 * worker task, small enough to balance 64 cores on a few GB.
 */
export const DEFAULT_CSV_CHUNK_BYTES = 32 << 20;
const QUOTE = 34;
const LF = 10;

export interface CsvRange {
  readonly start: number;
  readonly end: number;
  /** Line number of the range's first record. */
  readonly firstLine: number;
  /** Line breaks inside the range (its record count when no quoted field holds a line break). */
  readonly lines: number;
}

/**
 * Splits the data part `[dataStart, bytes)` of an uncompressed CSV file into
 * ranges of about `chunkBytes`, each starting right after a record's line
 * break, so that every range holds whole records.
 *
 * ## Method
 *
 * One sequential pass over the file (done with Buffer.indexOf, i.e. memchr,
 * for `"` and LF) tracks the parity of quote characters seen so far. An LF is
 * a record boundary exactly when that parity is even (RFC 4180: quotes inside
 * a quoted field are doubled, so they do not change the parity), so quoted
 * fields holding line breaks are never split. The first boundary at or after
 * each target offset ends a range. The same pass counts lines, which gives
 * each range its first line number for error messages. A file no larger than
 * one chunk is one range without a scan. The result depends only on the file
 * and `chunkBytes`.
 */
export async function splitCsv(
  file: string,
  dataStart: number,
  bytes: number,
  chunkBytes: number,
  firstLine: number,
): Promise<CsvRange[]> {
  if (bytes - dataStart <= chunkBytes) {
    return [{ start: dataStart, end: bytes, firstLine, lines: -1 }];
  }
  const source: ByteSource = await openBytes(file);
  const ranges: CsvRange[] = [];
  // 4 MiB reads locally; remotely each read is a request, so larger ones.
  const scanBytes = Math.max(4 << 20, chunkBytesFor(file));
  try {
    const chunk = Buffer.allocUnsafe(scanBytes);
    let offset = dataStart;
    let inQuotes = false;
    let line = firstLine;
    let rangeStart = dataStart;
    let rangeLine = firstLine;
    let target = dataStart + chunkBytes;
    while (offset < bytes) {
      const bytesRead = Math.min(scanBytes, bytes - offset, source.size - offset);
      if (bytesRead <= 0) break;
      await source.read(
        offset,
        offset + bytesRead,
        `bytes ${offset}-${offset + bytesRead}`,
        undefined,
        () => chunk.subarray(0, bytesRead),
      );
      const view = chunk.subarray(0, bytesRead);
      let nextQuote = view.indexOf(QUOTE, 0);
      let nextLine = view.indexOf(LF, 0);
      while (nextLine >= 0 || nextQuote >= 0) {
        if (nextQuote >= 0 && (nextLine < 0 || nextQuote < nextLine)) {
          inQuotes = !inQuotes;
          nextQuote = view.indexOf(QUOTE, nextQuote + 1);
          continue;
        }
        line += 1;
        const after = offset + nextLine + 1;
        if (!inQuotes && after >= target && after < bytes) {
          ranges.push({
            start: rangeStart,
            end: after,
            firstLine: rangeLine,
            lines: line - rangeLine,
          });
          rangeStart = after;
          rangeLine = line;
          target = after + chunkBytes;
        }
        nextLine = view.indexOf(LF, nextLine + 1);
      }
      offset += bytesRead;
    }
    ranges.push({ start: rangeStart, end: bytes, firstLine: rangeLine, lines: line - rangeLine });
  } catch (error) {
    throw fsError(file, error);
  } finally {
    await source.close();
  }
  return ranges;
}
