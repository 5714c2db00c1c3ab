import { IoError } from '@linreg/errors';
import { arrowFormat } from './arrow/module.js';
import { describeCsv } from './csv/format.js';
import type { ShardDescription } from './format.js';
import { type ResolvedFile, resolveInputs } from './inputs.js';
import { parquetFormat } from './parquet/index.js';
import { commonColumns } from './schema.js';
import type { DataFormat, Plan, WorkUnit } from './types.js';

export interface PlanOptions {
  /** Read every input as this format instead of detecting it (detect.ts). */
  readonly format?: DataFormat | undefined;
  readonly csv?: { readonly delimiter?: string | undefined } | undefined;
  /** Target bytes per CSV unit (default 32 MiB, csv/split.ts). */
  readonly csvChunkBytes?: number | undefined;
}

/** Files described at once; bounded so thousands of shards do not exhaust file descriptors. */
const DESCRIBE_CONCURRENCY = 8;

/**
 * Turns inputs (files, directories, globs; see inputs.ts) into a plan: the
 * shards, their common columns and the work units — Parquet row groups, Arrow
 * record batches (one unit per Arrow stream file), CSV byte ranges split at
 * record boundaries (one unit per .csv.gz). Unit indices follow file order,
 * then part order inside a file. The plan depends only on the files and the
 * options, never on the worker count, so partial states merge in the same
 * order on any machine.
 */
export async function planInputs(
  inputs: readonly string[],
  options: PlanOptions = {},
): Promise<Plan> {
  const files = await resolveInputs(inputs, { format: options.format });
  const descriptions = await mapLimited(files, DESCRIBE_CONCURRENCY, (file) =>
    describe(file, options),
  );
  const units: WorkUnit[] = [];
  for (const description of descriptions) {
    for (const unit of description.units) units.push({ ...unit, index: units.length });
  }
  return {
    shards: descriptions.map((d) => ({ ...d.info, columns: d.columns })),
    columns: commonColumns(descriptions.map((d) => d.columns)),
    units,
  };
}

async function describe(file: ResolvedFile, options: PlanOptions): Promise<ShardDescription> {
  const description = await describeFile(file, options);
  if (description.columns.length === 0) {
    throw new IoError('bad-format', { file: file.file }, 'no columns');
  }
  return description;
}

function describeFile(file: ResolvedFile, options: PlanOptions): Promise<ShardDescription> {
  switch (file.format) {
    case 'csv':
      return describeCsv(file.file, {
        delimiter: options.csv?.delimiter,
        chunkBytes: options.csvChunkBytes,
      });
    case 'arrow':
      return arrowFormat.describe(file.file);
    case 'parquet':
      return parquetFormat.describe(file.file);
  }
}

/** Promise.all over `items` with at most `limit` calls running; results keep the input order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  call: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next;
      next += 1;
      results[i] = await call(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
