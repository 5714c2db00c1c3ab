/**
 * An Arrow IPC stream (standard input for '-') as a source: one unit, read
 * once, in the calling thread — a stream cannot be split into independent
 * units, and Arrow decoding is cheap next to the accumulator update. Passes
 * that need a second read (refinement, SGD epochs) see `rereadable: false`.
 */
import type { Readable } from 'node:stream';
import { CancelledError, FitError } from '@linreg/errors';
import { openStream, type Plan } from '@linreg/io';
import type { UnitRef } from '../tasks/protocol.js';
import type { DataSource } from './data-source.js';
import { inThreadExecute } from './in-thread.js';

const isAborted = (signal: AbortSignal | undefined): boolean => signal?.aborted === true;

/**
 * Reads the stream's schema. A cancellation (SIGINT on an open pipe that
 * sends nothing) ends the wait at once: the input is destroyed and the
 * CancelledError thrown, not a "no Arrow stream" error.
 */
export async function openStreamSource(
  input: Readable,
  name = '-',
  signal?: AbortSignal,
): Promise<DataSource> {
  if (signal?.aborted === true) throw new CancelledError();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      input.destroy();
      reject(new CancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  let stream: Awaited<ReturnType<typeof openStream>>;
  try {
    stream = await Promise.race([openStream(input, name), aborted]);
  } catch (error) {
    // Read again: TypeScript narrowed `aborted` at the top, but the signal may have fired since.
    throw isAborted(signal) ? new CancelledError() : error;
  } finally {
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
    aborted.catch(() => {});
  }
  const plan: Plan = {
    shards: [
      { file: name, format: 'arrow', bytes: 0, rows: 0, rowsExact: false, columns: stream.columns },
    ],
    columns: stream.columns,
    units: [],
  };
  const unit: UnitRef = {
    index: 0,
    file: name,
    label: name,
    byteStart: 0,
    byteEnd: 0,
    rowEstimate: 0,
  };
  let read = false;
  return {
    plan,
    units: [unit],
    rereadable: false,
    workers: 0,
    execute: inThreadExecute([unit], (_unit, columns, options) => {
      if (read) throw new FitError('the stream was already read; it can be read only once', name);
      read = true;
      return stream.read(columns, options);
    }),
    close: async () => {},
  };
}
