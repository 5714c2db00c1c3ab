import { IoError } from '@linreg/errors';
import { arrowFormat } from './arrow/module.js';
import { type RemoteOptions, setRemoteOptions } from './bytes/remote-options.js';
import { isRemote } from './bytes/remote-url.js';
import { describeCsv } from './csv/format.js';
import type { ShardDescription } from './format.js';
import { type ResolvedFile, resolveInputs } from './inputs.js';
import { parquetFormat } from './parquet/index.js';
import { commonColumns } from './schema.js';
import type {
  ColumnInfo,
  DataFormat,
  PartitionValues,
  Plan,
  ShardInfo,
  WorkUnit,
} from './types.js';

export interface PlanOptions {
  /** Read every input as this format instead of detecting it (detect.ts). */
  readonly format?: DataFormat | undefined;
  readonly csv?: { readonly delimiter?: string | undefined } | undefined;
  /** Target bytes per CSV unit (default 32 MiB, csv/split.ts). */
  readonly csvChunkBytes?: number | undefined;
  /**
   * Settings of s3:// inputs (endpoint, region; bytes/remote-options.ts):
   * set for this thread and carried by the units of remote files.
   */
  readonly remote?: RemoteOptions | undefined;
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
 *
 * Hive partition columns (inputs.ts finds the `key=value` directories) follow
 * each shard's own columns, in path order. A key is numeric (sourceType
 * 'partition', float64) when every shard's non-null value of it is an integer
 * written in digits with an optional sign, else text (sourceType
 * 'partition text', `numeric: false`, `categorical: true`); a null value
 * (`key=`, `__HIVE_DEFAULT_PARTITION__`) fits either. When the file itself
 * has a column of the key's name, the file's column wins: the partition value
 * is ignored for that shard (not typed, not read). A shard without a key that
 * others have lacks that column, so it is not common (like any column).
 * Units carry their file's partition values (WorkUnit.partitionValues), which
 * readUnit serves as constant columns.
 */
export async function planInputs(
  inputs: readonly string[],
  options: PlanOptions = {},
): Promise<Plan> {
  setRemoteOptions(options.remote);
  const remote = definedOnly(options.remote);
  const files = await resolveInputs(inputs, { format: options.format });
  const descriptions = await mapLimited(files, DESCRIBE_CONCURRENCY, (file) =>
    describe(file, options),
  );
  const partitions = descriptions.map((d, i) => ownPartitions(files[i]?.partitions, d));
  const integer = partitionTypes(partitions);
  const units: WorkUnit[] = [];
  const shards: ShardInfo[] = [];
  descriptions.forEach((description, i) => {
    const values = partitions[i];
    const extra = remote !== undefined && isRemote(description.info.file) ? { remote } : {};
    for (const unit of description.units) {
      units.push(
        values === undefined
          ? { ...unit, ...extra, index: units.length }
          : { ...unit, ...extra, index: units.length, partitionValues: values },
      );
    }
    const columns =
      values === undefined
        ? description.columns
        : [...description.columns, ...partitionColumns(values, integer, description.info)];
    shards.push(
      values === undefined
        ? { ...description.info, columns }
        : { ...description.info, columns, partitions: values },
    );
  });
  return {
    shards,
    columns: commonColumns(shards.map((s) => s.columns ?? [])),
    units,
  };
}

/** The remote options without undefined entries, or undefined when none is set (units stay small). */
function definedOnly(options: RemoteOptions | undefined): RemoteOptions | undefined {
  const entries = Object.entries(options ?? {}).filter(([, v]) => v !== undefined);
  return entries.length === 0 ? undefined : (Object.fromEntries(entries) as RemoteOptions);
}

/** A shard's partition values without the keys its file has as columns (the file's column wins). */
function ownPartitions(
  values: PartitionValues | undefined,
  description: ShardDescription,
): PartitionValues | undefined {
  if (values === undefined) return undefined;
  const own = new Set(description.columns.map((c) => c.name));
  const kept = Object.entries(values).filter(([key]) => !own.has(key));
  return kept.length === 0 ? undefined : Object.fromEntries(kept);
}

/** An integer written in digits, with an optional sign: a numeric partition value. */
const INTEGER = /^[+-]?[0-9]+$/;

/** For every partition key, whether all its non-null values are integers. */
function partitionTypes(all: readonly (PartitionValues | undefined)[]): Map<string, boolean> {
  const integer = new Map<string, boolean>();
  for (const values of all) {
    for (const [key, value] of Object.entries(values ?? {})) {
      const ok = value === null || INTEGER.test(value);
      integer.set(key, (integer.get(key) ?? true) && ok);
    }
  }
  return integer;
}

/** The ColumnInfo of each partition key of one shard, typed across all shards. */
function partitionColumns(
  values: PartitionValues,
  integer: ReadonlyMap<string, boolean>,
  info: ShardInfo,
): ColumnInfo[] {
  return Object.entries(values).map(([name, value]) => {
    const numeric = integer.get(name) !== false;
    const nullCount = value !== null ? 0 : info.rowsExact ? info.rows : undefined;
    return {
      name,
      sourceType: numeric ? 'partition' : 'partition text',
      numeric,
      nullable: value === null,
      ...(numeric ? {} : { categorical: true }),
      ...(nullCount === undefined ? {} : { nullCount }),
    };
  });
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
