import type { FormatModule, ReadOptions, ShardDescription } from '../format.js';
import type { ColumnBatch, WorkUnit } from '../types.js';

/*
 * apache-arrow costs ~150 ms of CPU to load, paid by every thread that
 * imports it. The Arrow reader modules are therefore imported on first use
 * (each import cached in one module-level promise), so a worker or a CLI run
 * that reads only Parquet or CSV never loads apache-arrow.
 */

type ArrowFileReader = typeof import('./format.js');
type ArrowStreamReader = typeof import('./stream.js');

let fileReader: Promise<ArrowFileReader> | undefined;
let streamReader: Promise<ArrowStreamReader> | undefined;

/** The Arrow file/stream-file reader (format.ts), loaded once. */
export function loadArrowFileReader(): Promise<ArrowFileReader> {
  fileReader ??= import('./format.js');
  return fileReader;
}

/** The Arrow IPC stream reader (stream.ts), loaded once. */
export function loadArrowStreamReader(): Promise<ArrowStreamReader> {
  streamReader ??= import('./stream.js');
  return streamReader;
}

async function describe(file: string): Promise<ShardDescription> {
  const { describeArrow } = await loadArrowFileReader();
  return describeArrow(file);
}

async function* read(
  unit: WorkUnit,
  columns: readonly string[],
  options: ReadOptions,
): AsyncGenerator<ColumnBatch> {
  const { readArrow } = await loadArrowFileReader();
  yield* readArrow(unit, columns, options);
}

/** Arrow IPC as a FormatModule; see format.ts for describe() and read(). */
export const arrowFormat: FormatModule = {
  format: 'arrow',
  describe,
  read,
};
