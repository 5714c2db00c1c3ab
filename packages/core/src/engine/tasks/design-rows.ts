/**
 * The two ways a design task reads its unit, both through the engine's
 * DesignBatcher (missing-value policy, non-finite values refused):
 *
 * - `streamDesign`: batch by batch into an update function (accumulators,
 *   refinement): memory is one batch, whatever the unit's size.
 * - `collectDesign`: every row of the unit in one DesignBatch (SGD shuffles
 *   rows within a unit, so it needs them at once — one row group or record
 *   batch, bounded by the file's layout, not by the data set). Rows are
 *   copied into Float64Arrays sized from the unit's row estimate (growing by
 *   doubling when that is short), because a reader may reuse its buffers.
 */
import type { DesignBatch } from '../../numerics/types.js';
import { DesignBatcher } from './design-batch.js';
import { type DesignRead, designColumnNames, type RowCounts } from './protocol.js';
import type { TaskInput } from './task-kind.js';

/** Largest row count pre-allocated from an estimate (a CSV estimate can be far off). */
const MAX_PREALLOCATED_ROWS = 1 << 24;

export async function streamDesign(
  input: TaskInput,
  read: DesignRead,
  update: (design: DesignBatch, firstRow: number) => void,
): Promise<RowCounts> {
  const batcher = new DesignBatcher(read.columns, read.missing, input.unit);
  let rowsRead = 0;
  let rowsDropped = 0;
  for await (const batch of input.read(batcher.columns)) {
    const { design, dropped } = batcher.toDesign(batch, rowsRead);
    if (design.rows > 0) update(design, rowsRead);
    rowsRead += batch.rows;
    rowsDropped += dropped;
  }
  return { rowsRead, rowsUsed: rowsRead - rowsDropped, rowsDropped };
}

function grow(a: Float64Array, need: number): Float64Array {
  if (a.length >= need) return a;
  const b = new Float64Array(Math.max(need, 2 * a.length, 1024));
  b.set(a);
  return b;
}

export async function collectDesign(
  input: TaskInput,
  read: DesignRead,
): Promise<{ batch: DesignBatch; rows: RowCounts }> {
  const p = read.columns.features.length;
  const weighted = read.columns.weights !== undefined;
  const width = designColumnNames(read.columns).length;
  const hint = Math.min(Math.max(0, input.unit.rowEstimate), MAX_PREALLOCATED_ROWS);
  const columns: Float64Array[] = Array.from({ length: width }, () => new Float64Array(hint));
  let used = 0;
  const rows = await streamDesign(input, read, (d) => {
    for (let j = 0; j < width; j++) columns[j] = grow(columns[j], used + d.rows);
    for (let j = 0; j < p; j++) columns[j].set(d.x[j].subarray(0, d.rows), used);
    columns[p].set(d.y.subarray(0, d.rows), used);
    if (d.w !== undefined) columns[p + 1].set(d.w.subarray(0, d.rows), used);
    used += d.rows;
  });
  const batch: DesignBatch = {
    rows: used,
    x: columns.slice(0, p),
    y: columns[p],
    w: weighted ? columns[p + 1] : undefined,
  };
  return { batch, rows };
}
