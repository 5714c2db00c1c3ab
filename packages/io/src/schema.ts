import { IoError } from '@linreg/errors';
import { notCategoricalProblem } from './categorical.js';
import { temporalHint } from './temporal.js';
import type { ColumnInfo, Plan, ShardInfo } from './types.js';

/**
 * Columns across shards. Every numeric source type (float16/32/64, signed and
 * unsigned integers of any width, decimals, booleans as 0/1) is read as
 * float64; text, nested and dictionary columns are not numeric. Dates, times
 * and timestamps (Parquet and Arrow; CSV has no typed columns) are read only
 * when the request sets `temporal`: then as float64 seconds since the Unix
 * epoch (a date is its midnight; a time of day counts from midnight), with
 * the conversion and rounding stated in temporal.ts. Shards may differ in columns they do not share; a mismatch only
 * matters for the columns a fit asks for, and selectColumns reports it there,
 * naming the shard.
 *
 * Text, booleans, every CSV column and text hive partition columns are
 * `categorical` (types.ts): read as codes plus levels when a request names
 * them in `categorical`. Hive partition columns (sourceType 'partition' for
 * integers, 'partition text' otherwise; see plan.ts) follow the file's own
 * columns and are never chosen by default.
 */

/**
 * The columns present in every shard, in the first shard's order: numeric when
 * numeric in every shard, nullable when nullable in any; sourceType is the
 * distinct source types joined by '|', e.g. 'INT64|DOUBLE'; categorical when
 * categorical in every shard.
 */
export function commonColumns(shards: readonly (readonly ColumnInfo[])[]): ColumnInfo[] {
  const [first, ...rest] = shards;
  if (first === undefined) return [];
  const maps = rest.map((columns) => new Map(columns.map((c) => [c.name, c])));
  const out: ColumnInfo[] = [];
  for (const column of first) {
    const others = maps.map((m) => m.get(column.name));
    if (others.some((c) => c === undefined)) continue;
    const all = [column, ...(others as ColumnInfo[])];
    // Temporal in some shard and readable in all: usable once the fit opts in.
    const temporal =
      all.some((c) => c.temporal === true) && all.every((c) => c.numeric || c.temporal === true);
    const categorical = all.every((c) => c.categorical === true);
    out.push({
      name: column.name,
      sourceType: [...new Set(all.map((c) => c.sourceType))].join('|'),
      numeric: all.every((c) => c.numeric),
      nullable: all.some((c) => c.nullable),
      ...(temporal ? { temporal } : {}),
      ...(categorical ? { categorical } : {}),
      ...nullCountOf(all),
    });
  }
  return out;
}

/** The shards' null counts summed, when every shard knows its own. */
function nullCountOf(all: readonly ColumnInfo[]): { nullCount?: number } {
  let sum = 0;
  for (const c of all) {
    if (c.nullCount === undefined) return {};
    sum += c.nullCount;
  }
  return { nullCount: sum };
}

/** What a fit reads: the response, the features and optional weights and pass-through columns. */
export interface ColumnRequest {
  readonly target: string;
  /**
   * Default: every numeric column of the first shard (and, with `temporal`,
   * every date, time and timestamp column) but the target, weights and `exclude`.
   */
  readonly features?: readonly string[] | undefined;
  readonly exclude?: readonly string[] | undefined;
  readonly weights?: string | undefined;
  /** Extra numeric columns to read along (e.g. an id to copy into predictions). */
  readonly extra?: readonly string[] | undefined;
  /**
   * Accept date, time and timestamp columns as numbers, read as float64
   * seconds since the epoch (times: since midnight); see temporal.ts. Default
   * false: selecting one is an error that says how to opt in.
   */
  readonly temporal?: boolean | undefined;
  /**
   * Names among the features and extra columns to read as categories (codes
   * plus levels; ReadOptions.categorical). Each must be categorical
   * (ColumnInfo.categorical) in every shard, and is exempt from the numeric
   * requirement. Naming a column that is neither a feature nor an extra
   * column, or the target or weights, is an error; the default feature list
   * stays numeric (list a categorical feature explicitly).
   */
  readonly categorical?: readonly string[] | undefined;
}

/** The projection: `columns` is what to read, in this order: features, target, weights, extra. */
export interface Projection {
  readonly columns: readonly string[];
  readonly features: readonly string[];
  readonly target: string;
  readonly weights: string | undefined;
  /** Extra columns not already among the others. */
  readonly extra: readonly string[];
  /**
   * The request's categorical names in projection (`columns`) order, to pass
   * as ReadOptions.categorical; present exactly when the request has
   * `categorical` (absent otherwise, so projections of requests without it are
   * unchanged).
   */
  readonly categorical?: readonly string[] | undefined;
}

/**
 * Checks a column request against every shard of the plan and returns the
 * projection. Every requested column must exist and be numeric (or, with
 * `request.temporal`, temporal; or, named in `request.categorical`,
 * categorical) in every shard; otherwise an IoError names the shard's file,
 * the column and its type. The default features are the first shard's
 * numeric columns (temporal ones with `temporal`), never a hive partition
 * column.
 */
export function selectColumns(plan: Plan, request: ColumnRequest): Projection {
  const first = plan.shards[0];
  if (first === undefined)
    throw new IoError('not-found', { file: '(no input)' }, 'the plan has no shards');
  const firstColumns = shardColumns(first, plan);
  const temporal = request.temporal === true;
  const exclude = new Set(request.exclude ?? []);
  for (const name of exclude) requireColumn(first, firstColumns, name, 'any');
  const roles = new Set([
    request.target,
    ...(request.weights === undefined ? [] : [request.weights]),
  ]);
  const categorical = new Set(request.categorical ?? []);
  for (const name of categorical) {
    if (roles.has(name)) {
      const role = name === request.target ? 'target' : 'weights';
      throw new IoError(
        'unsupported',
        { file: first.file, column: name },
        `is the ${role} and cannot be read as a category`,
      );
    }
  }
  const features =
    request.features === undefined
      ? firstColumns
          .filter(
            (c) =>
              readable(c, temporal) &&
              !isPartitionColumn(c) &&
              !roles.has(c.name) &&
              !exclude.has(c.name),
          )
          .map((c) => c.name)
      : [...request.features];
  for (const name of features) {
    if (roles.has(name)) {
      const role = name === request.target ? 'target' : 'weights';
      throw new IoError(
        'unsupported',
        { file: first.file, column: name },
        `is the ${role} and cannot also be a feature`,
      );
    }
  }
  if (new Set(features).size !== features.length) {
    const dup = features.find((name, i) => features.indexOf(name) !== i);
    throw new IoError('unsupported', { file: first.file, column: dup }, 'feature listed twice');
  }
  const base = [
    ...features,
    request.target,
    ...(request.weights === undefined ? [] : [request.weights]),
  ];
  const extra = (request.extra ?? []).filter(
    (name, i, all) => !base.includes(name) && all.indexOf(name) === i,
  );
  const columns = [...base, ...extra];
  for (const name of categorical) {
    if (!columns.includes(name)) {
      throw new IoError(
        'unsupported',
        { file: first.file, column: name },
        'is listed as categorical but is neither a feature nor an extra column',
      );
    }
  }
  for (const shard of plan.shards) {
    const available = shardColumns(shard, plan);
    for (const name of columns) {
      const requirement = categorical.has(name) ? 'categorical' : temporal ? 'temporal' : 'numeric';
      requireColumn(shard, available, name, requirement);
    }
  }
  return {
    columns,
    features,
    target: request.target,
    weights: request.weights,
    extra,
    ...(request.categorical === undefined
      ? {}
      : { categorical: columns.filter((name) => categorical.has(name)) }),
  };
}

/** A hive partition column (plan.ts), which the default feature list leaves out. */
function isPartitionColumn(column: ColumnInfo): boolean {
  return column.sourceType === 'partition' || column.sourceType === 'partition text';
}

function shardColumns(shard: ShardInfo, plan: Plan): readonly ColumnInfo[] {
  return shard.columns ?? plan.columns;
}

/** Whether a column can be read as float64 for a request with or without `temporal`. */
function readable(column: ColumnInfo, temporal: boolean): boolean {
  return column.numeric || (temporal && column.temporal === true);
}

/** What requireColumn accepts: any column, numeric ones, numeric and temporal ones, or categorical ones. */
type Requirement = 'any' | 'numeric' | 'temporal' | 'categorical';

/** Each list's names, built once per list (shards usually share the plan's columns). */
const namesOf = new WeakMap<readonly { readonly name: string }[], ReadonlyMap<string, unknown>>();

/**
 * Each name's first entry, as `list.find` gives it, for lookups by name
 * (columns, or anything named after them): a scan per requested column
 * costs p²/2 comparisons, ~8 ms of the main thread before the workers start
 * at p = 1,000 (and p² per shard of a many-file input).
 */
export function columnsByName<T extends { readonly name: string }>(
  list: readonly T[],
): ReadonlyMap<string, T> {
  let names = namesOf.get(list) as ReadonlyMap<string, T> | undefined;
  if (names === undefined) {
    const map = new Map<string, T>();
    for (const entry of list) if (!map.has(entry.name)) map.set(entry.name, entry);
    names = map;
    namesOf.set(list, names);
  }
  return names;
}

function requireColumn(
  shard: ShardInfo,
  columns: readonly ColumnInfo[],
  name: string,
  requirement: Requirement,
): void {
  const column = columnsByName(columns).get(name);
  if (column === undefined) {
    const known = columns
      .slice(0, 8)
      .map((c) => c.name)
      .join(', ');
    const more = columns.length > 8 ? ', …' : '';
    throw new IoError(
      'missing-column',
      { file: shard.file, column: name },
      `no such column (has ${known}${more})`,
    );
  }
  if (requirement === 'categorical') {
    if (column.categorical === true) return;
    throw new IoError(
      'unsupported',
      { file: shard.file, column: name },
      notCategoricalProblem(column.sourceType),
    );
  }
  if (requirement === 'any' || readable(column, requirement === 'temporal')) return;
  const hint = column.temporal === true ? ` (${temporalHint(column.sourceType)})` : '';
  throw new IoError(
    'non-numeric',
    { file: shard.file, column: name },
    `type ${column.sourceType} is not numeric${hint}`,
  );
}
