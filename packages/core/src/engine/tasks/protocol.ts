/**
 * The one message format of the engine: what a pass asks of one unit, and
 * what the unit answers. Every kind of task (accumulate, refine, predict, the
 * SGD passes, and the passes later features add) travels in this shape,
 * whether a pool worker or the calling thread runs it (docs/architecture.md).
 *
 * Plain, structured-clone-able data only: no class instances, no closures.
 * Output buffers are moved, not copied (each kind lists them). Errors come
 * back as data (`FlatError`), because structured clone keeps only an Error's
 * message; the main thread rebuilds the class from the error registry.
 */
import type { FlatError } from '@linreg/errors';
import type { RowFilter } from '../../filter/index.js';
import type { DesignProgram } from '../../formula/program.js';

/** What the engine needs to know of a unit: its place in the merge order and names for errors. */
export interface UnitRef {
  /** Position in the source; results merge in this order. */
  readonly index: number;
  readonly file: string;
  /** e.g. 'data/part-3.parquet row group 2'. */
  readonly label: string;
  /** Byte extent when known (progress and ETA); 0 and 0 otherwise. */
  readonly byteStart: number;
  readonly byteEnd: number;
  /** Rows the unit holds, exactly or as an estimate (output buffers are sized from it). */
  readonly rowEstimate: number;
  /** CSV: 1-based line of the unit's first record, so errors can name the line. */
  readonly csvFirstLine?: number | undefined;
}

export type MissingPolicy = 'drop' | 'error';

/** Which projected columns a design task reads, in this order: features, target, then weights. */
export interface DesignColumns {
  readonly features: readonly string[];
  readonly target: string;
  readonly weights?: string | undefined;
}

/**
 * How a task that feeds a model reads its rows: the design columns, the
 * missing-value policy and, for a formula, the program that computes the
 * design columns from raw columns (without it, `columns` are read as they are).
 */
export interface DesignRead {
  readonly columns: DesignColumns;
  readonly missing: MissingPolicy;
  readonly program?: DesignProgram | undefined;
  /**
   * The consumer takes one-hot blocks (DesignBatch.sparse): a program's
   * factor terms then come as codes, not as dense zero-filled columns.
   */
  readonly sparse?: boolean | undefined;
  /**
   * Cluster columns read alongside the design (`cluster`): a row missing one
   * is a missing row in every pass (tasks/cluster-columns.ts).
   */
  readonly cluster?: ClusterRead | undefined;
  /**
   * `where`: rows the filter does not keep are removed before the design is
   * built (tasks/filter-rows.ts); they count as read, neither used nor dropped.
   */
  readonly filter?: RowFilter | undefined;
  /**
   * The last `presence` feature columns are read only so that a row missing
   * one of them is a missing row (several targets: the other targets, in a
   * pass of one target); streamDesign's batches leave them out.
   */
  readonly presence?: number | undefined;
}

/** The cluster columns of a read and which of them are read as categories (text). */
export interface ClusterRead {
  readonly names: readonly string[];
  readonly categorical: readonly boolean[];
}

export interface TaskMessage<K extends string = string, A = unknown, U extends UnitRef = UnitRef> {
  readonly kind: K;
  readonly unit: U;
  /** Rows per batch the reader hands the task. */
  readonly batchRows: number;
  readonly args: A;
}

/**
 * A task on no unit: merge two states a pass's units produced (run/reduce-async.ts),
 * in a worker instead of the main thread. Both buffers are moved to the worker;
 * the reply's output is the merged state's buffer (the left one's, moved back).
 */
export interface MergeMessage {
  readonly kind: typeof MERGE_TASK;
  /** The states' kind (numerics/state): only accumulator states are merged off the main thread. */
  readonly state: 'accumulator';
  readonly left: ArrayBuffer;
  readonly right: ArrayBuffer;
  /** The units the merge spans, first and last: its reply's `unit`, and its name in errors. */
  readonly first: number;
  readonly last: number;
}

/** MergeMessage's kind: not a unit task's (tasks/table.ts), so the two never meet. */
export const MERGE_TASK = 'merge';

export function isMergeMessage(message: { readonly kind: string }): message is MergeMessage {
  return message.kind === MERGE_TASK;
}

/** Counters every unit reports. */
export interface UnitCounts {
  readonly rowsRead: number;
  readonly rowsUsed: number;
  readonly rowsDropped: number;
  /** Bytes of the unit (its byte extent when known, else 0). */
  readonly bytes: number;
}

export interface TaskSuccess<O = unknown> {
  readonly ok: true;
  readonly unit: number;
  readonly counts: UnitCounts;
  readonly output: O;
}

export interface TaskFailure {
  readonly ok: false;
  readonly unit: number;
  readonly error: FlatError;
}

export type TaskReply<O = unknown> = TaskSuccess<O> | TaskFailure;

/** The rows a task saw, as it reports them (bytes are added by the runner from the unit). */
export type RowCounts = Omit<UnitCounts, 'bytes'>;

/** Column names of a design read, in batch order. */
export function designColumnNames(design: DesignColumns): string[] {
  return [
    ...design.features,
    design.target,
    ...(design.weights === undefined ? [] : [design.weights]),
  ];
}

export function unitBytes(unit: UnitRef): number {
  return Math.max(0, unit.byteEnd - unit.byteStart);
}
