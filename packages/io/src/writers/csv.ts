import { createWriteStream, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { ColumnBatch } from '../types.js';
import { batchTypes, type OutputType, rawCsvText } from './raw-encode.js';
import type { FormatSink } from './types.js';

/** Rows turned into one string before it is written, to bound memory on large batches. */
const ROWS_PER_WRITE = 8192;

/**
 * CSV output: a header, then one line per row with LF endings; numbers in
 * JavaScript's shortest round-trip form (`String(x)`, and `-0` for negative
 * zero, so reading back gives the same bits), NaN as `NaN`, ±Infinity as
 * `Infinity`/`-Infinity`, nulls as empty fields. Names holding the delimiter,
 * a quote or a line break are quoted.
 */
export function csvSink(
  temp: string | Writable,
  columns: readonly string[],
  delimiter: string,
  gzip: boolean,
): FormatSink {
  const owned = typeof temp === 'string';
  const file = (typeof temp === 'string' ? createWriteStream(temp) : temp) as WriteStream;
  const gz = gzip ? createGzip() : null;
  const out: Writable = gz ?? file;
  if (gz !== null) gz.pipe(file);
  let failure: unknown;
  const onError = (error: unknown): void => {
    failure ??= error;
  };
  file.on('error', onError);
  gz?.on('error', onError);
  const put = async (text: string): Promise<void> => {
    if (failure !== undefined) throw failure;
    if (!out.write(text)) await drained(out, file);
    if (failure !== undefined) throw failure;
  };
  let headerWritten = false;
  let types: OutputType[] | undefined;
  return {
    async write(batch: ColumnBatch) {
      types = batchTypes(typeof temp === 'string' ? temp : '-', batch, types);
      if (!headerWritten) {
        await put(`${columns.map((name) => quote(name, delimiter)).join(delimiter)}\n`);
        headerWritten = true;
      }
      const n = columns.length;
      for (let start = 0; start < batch.rows; start += ROWS_PER_WRITE) {
        const end = Math.min(batch.rows, start + ROWS_PER_WRITE);
        let text = '';
        for (let i = start; i < end; i += 1) {
          for (let j = 0; j < n; j += 1) {
            if (j > 0) text += delimiter;
            const raw = batch.raw?.[j];
            if (raw !== null && raw !== undefined) {
              const t = rawCsvText(raw, i);
              if (t !== null) text += quoteText(t, delimiter, raw.type.kind === 'utf8');
              continue;
            }
            const mask = batch.nulls[j];
            if (mask !== null && mask !== undefined && mask[i] === 1) continue;
            const v = (batch.columns[j] as Float64Array)[i] as number;
            // String(-0) is '0'; keep the sign so the value reads back bit for bit.
            text += v === 0 && 1 / v < 0 ? '-0' : String(v);
          }
          text += '\n';
        }
        await put(text);
      }
    },
    async finish() {
      if (!headerWritten)
        await put(`${columns.map((name) => quote(name, delimiter)).join(delimiter)}\n`);
      if (owned || gz !== null) {
        out.end();
        if (owned) await finished(file);
        else await finished(out);
      }
      if (failure !== undefined) throw failure;
    },
    async destroy() {
      gz?.destroy();
      if (!owned) return;
      file.destroy();
      await finished(file).catch(() => undefined);
    },
  };
}

/** Resolves on 'drain' of `out`, rejects on an error of `file`; removes both listeners. */
function drained(out: Writable, file: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      out.off('drain', done);
      file.off('error', fail);
      resolve();
    };
    const fail = (error: unknown): void => {
      out.off('drain', done);
      file.off('error', fail);
      reject(error);
    };
    out.on('drain', done);
    file.on('error', fail);
  });
}

/**
 * A kept value's field: quoted when it holds the delimiter, a quote or a line
 * break, or (text) when it is empty or has surrounding spaces, so an empty
 * string reads back as text, not as null.
 */
function quoteText(text: string, delimiter: string, isText: boolean): string {
  if (isText && (text === '' || text.trim() !== text)) return `"${text.replaceAll('"', '""')}"`;
  return quote(text, delimiter);
}

function quote(name: string, delimiter: string): string {
  if (!name.includes(delimiter) && !/["\r\n]/.test(name)) return name;
  return `"${name.replaceAll('"', '""')}"`;
}
