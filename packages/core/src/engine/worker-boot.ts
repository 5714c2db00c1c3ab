/**
 * What a pool worker is given when it starts (piscina's `workerData`): the
 * Parquet footers the main thread parsed while planning (io's cachedFooters),
 * so that a worker's first unit of each file skips reading and parsing the
 * footer — in profiles ~10–15 ms of a worker's start for 100 columns in
 * 16 row groups and ~30 ms for 1,000 columns in 4 (thrift decoding in code
 * not yet optimized), against ~7 and ~10 ms to deserialize them. They are
 * serialized once (node:v8) for all workers
 * rather than structured-cloned per worker on the main thread. A worker uses
 * a footer only while its file has the size and version it was parsed at
 * (io's footer-seeds.ts), so a file changed since planning is read again,
 * and the check after each pass (DataSource.verify) still names it.
 */
import { deserialize, serialize } from 'node:v8';
import type { FooterSeed } from '@linreg/io/read-unit';

export interface WorkerBoot {
  /** v8.serialize of a FooterSeed[]. */
  readonly footers: Uint8Array;
}

/** The boot data for `footers`, or undefined when there are none. */
export function workerBoot(footers: readonly FooterSeed[]): WorkerBoot | undefined {
  return footers.length === 0 ? undefined : { footers: serialize(footers) };
}

/** The footers in a worker's `workerData` (none when the pool was started without them). */
export function bootFooters(data: unknown): FooterSeed[] {
  if (typeof data !== 'object' || data === null) return [];
  const footers = (data as Partial<WorkerBoot>).footers;
  return footers instanceof Uint8Array ? (deserialize(footers) as FooterSeed[]) : [];
}
