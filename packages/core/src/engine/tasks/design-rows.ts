/**
 * The two ways a design task reads its unit, both through the engine's
 * DesignBatcher (missing-value policy, non-finite values refused):
 *
 * - `streamDesign`: batch by batch into an update function (accumulators,
 *   refinement): memory is one batch, whatever the unit's size.
 * - `collectDesign`: every row of the unit in one DesignBatch (SGD shuffles
 *   rows within a unit, so it needs them at once — one row group or record
 *   batch, bounded by the file's layout, not by the data set). A unit that
 *   arrives in one batch is used as read; several batches are copied into
 *   Float64Arrays sized from the unit's row estimate (growing by doubling
 *   when that is short).
 */
import type { ClusterKeyColumn } from '../../numerics/meat/index.js';
import type { DesignBatch } from '../../numerics/types.js';
import { DesignBatcher } from './design-batch.js';
import { filteredInput } from './filter-rows.js';
import { ProgramBatcher } from './program-batch.js';
import { type DesignRead, designColumnNames, type RowCounts } from './protocol.js';
import type { TaskInput } from './task-kind.js';
import { nameWeightsColumn } from './weights-column-error.js';

/** The batcher of a design read: a formula's program, or the columns as read. */
function batcherOf(read: DesignRead, input: TaskInput): DesignBatcher | ProgramBatcher {
  return read.program === undefined
    ? new DesignBatcher(read.columns, read.missing, input.unit, read.cluster)
    : new ProgramBatcher(
        read.program,
        read.missing,
        input.unit,
        read.sparse === true,
        read.cluster,
      );
}

/** A batch's rows before `--where` (streamDesign's `where`). */
export interface WhereRows {
  readonly firstRow: number;
  readonly keep: Uint8Array;
}

/** Largest row count pre-allocated from an estimate (a CSV estimate can be far off). */
const MAX_PREALLOCATED_ROWS = 1 << 24;

export async function streamDesign(
  input: TaskInput,
  read: DesignRead,
  update: (
    design: DesignBatch,
    firstRow: number,
    cluster: readonly ClusterKeyColumn[],
    /** Σ offsets of the batch's rows (a formula's offset()), aligned with the design rows. */
    offset: Float64Array | undefined,
    /** The rows of the batch as read that were dropped (1), when any was: maps design rows back. */
    dropMask: Uint8Array | undefined,
    /**
     * Under `--where`: the batch's first row in the unit before the filter and
     * which of the rows from there the filter kept (1), mapping a kept row back
     * to its row in the file; undefined without a filter.
     */
    where: WhereRows | undefined,
  ) => void,
  /** `update` keeps no array of a batch once it returns: the reader may recycle them. */
  reuseBatches = false,
  /**
   * Tried first with each batch's values unchecked (DesignBatcher.uncheckedDesign),
   * when the read allows it: true means the batch is done; false means its
   * values need the careful check, and the batch goes through `update` as usual.
   * For a task that updates only a state and reads no cluster keys, offsets or row maps.
   */
  tryUnchecked?: (design: DesignBatch, firstRow: number) => boolean,
): Promise<RowCounts> {
  const batcher = batcherOf(read, input);
  const filtered = filteredInput(input, read.filter);
  // Dense reads only: a one-hot batch's x is its dense columns, which `presence` does not count.
  const kept =
    read.sparse === true
      ? Number.POSITIVE_INFINITY
      : read.columns.features.length - (read.presence ?? 0);
  let rowsRead = 0;
  let rowsDropped = 0;
  let removedBefore = 0;
  const batches = filtered.input.read(
    batcher.columns,
    batcher.categorical,
    undefined,
    reuseBatches,
  );
  // Presence-only columns must be checked too, and an unchecked design would not carry them.
  const fast =
    tryUnchecked !== undefined &&
    batcher instanceof DesignBatcher &&
    kept >= read.columns.features.length
      ? batcher
      : undefined;
  try {
    for await (const batch of batches) {
      const unchecked = fast?.uncheckedDesign(batch);
      if (
        unchecked !== undefined &&
        tryUnchecked !== undefined &&
        (unchecked.rows === 0 || tryUnchecked(unchecked, rowsRead))
      ) {
        removedBefore = filtered.filtered();
        rowsRead += batch.rows;
        continue;
      }
      const { design: built, dropped } = batcher.toDesign(batch, rowsRead);
      // Presence-only columns have done their part (missing rows): the task sees the rest.
      const design = built.x.length <= kept ? built : { ...built, x: built.x.slice(0, kept) };
      const keep = filtered.keep();
      if (design.rows > 0) {
        const where = keep === undefined ? undefined : { firstRow: rowsRead + removedBefore, keep };
        update(design, rowsRead, batcher.clusterKeys, batcher.offset, batcher.dropMask, where);
      }
      removedBefore = filtered.filtered();
      rowsRead += batch.rows;
      rowsDropped += dropped;
    }
  } catch (error) {
    throw nameWeightsColumn(error, read.columns.weights);
  }
  return countRows(rowsRead, rowsDropped, filtered.filtered());
}

/** A task's counts: rows the filter removed are read, but neither used nor dropped as missing. */
export function countRows(kept: number, dropped: number, filtered: number): RowCounts {
  return { rowsRead: kept + filtered, rowsUsed: kept - dropped, rowsDropped: dropped };
}

function grow(a: Float64Array, need: number): Float64Array {
  if (a.length >= need) return a;
  const b = new Float64Array(Math.max(need, 2 * a.length, 1024));
  b.set(a);
  return b;
}

/** The columns of a design batch in read order: features, target, then weights. */
const columnsOf = (d: DesignBatch): Float64Array[] => [
  ...d.x,
  d.y,
  ...(d.w === undefined ? [] : [d.w]),
];

export async function collectDesign(
  input: TaskInput,
  read: DesignRead,
): Promise<{ batch: DesignBatch; rows: RowCounts }> {
  const p = read.columns.features.length;
  const weighted = read.columns.weights !== undefined;
  const width = designColumnNames(read.columns).length;
  const batcher = batcherOf(read, input);
  const filtered = filteredInput(input, read.filter);
  // A unit read in one batch with nothing dropped is used as read, without a copy: readers
  // hand out fresh arrays per batch (io's contract), so nothing else writes them. Otherwise
  // rows are copied, since the batcher reuses its compaction scratch from batch to batch.
  let held: Float64Array[] | undefined;
  let columns: Float64Array[] | undefined;
  let used = 0;
  let rowsRead = 0;
  let rowsDropped = 0;
  for await (const batch of filtered.input.read(batcher.columns, batcher.categorical)) {
    const { design, dropped } = batcher.toDesign(batch, rowsRead);
    rowsRead += batch.rows;
    rowsDropped += dropped;
    if (design.rows === 0) continue;
    const parts = columnsOf(design);
    if (held === undefined && columns === undefined && dropped === 0 && !batcher.reusesOutput) {
      held = parts.map((c) => c.subarray(0, design.rows));
      used = design.rows;
      continue;
    }
    if (columns === undefined) {
      const hint = Math.min(Math.max(0, input.unit.rowEstimate), MAX_PREALLOCATED_ROWS);
      columns = Array.from({ length: width }, (_, j) => {
        const c = new Float64Array(Math.max(hint, used + design.rows));
        if (held !== undefined) c.set(held[j] as Float64Array);
        return c;
      });
      held = undefined;
    }
    for (let j = 0; j < width; j++) {
      columns[j] = grow(columns[j] as Float64Array, used + design.rows);
      (columns[j] as Float64Array).set((parts[j] as Float64Array).subarray(0, design.rows), used);
    }
    used += design.rows;
  }
  const out = columns ?? held ?? Array.from({ length: width }, () => new Float64Array(0));
  const batch: DesignBatch = {
    rows: used,
    x: out.slice(0, p),
    y: out[p] as Float64Array,
    w: weighted ? out[p + 1] : undefined,
  };
  return { batch, rows: countRows(rowsRead, rowsDropped, filtered.filtered()) };
}
