/**
 * Gather all rows of one unit into one DesignBatch, missing rows dropped:
 * SGD shuffles rows within a unit, so it needs the unit's rows at once (one
 * row group or record batch — bounded by the file's layout, not by the data
 * set). Rows are copied into Float64Arrays sized by the unit's row count
 * (growing by doubling when that is an estimate), because a reader may reuse
 * its batch buffers; the copy is O(n·p), small next to an epoch's work.
 */
import type { ColumnBatch } from '@linreg/io';
import type { DesignBatch } from '../../numerics/types.js';
import { DesignBatcher, type UnitName } from '../design-batch.js';
import type { DesignColumns, MissingPolicy } from '../protocol.js';
import type { SgdUnitRows } from './protocol.js';

export interface UnitRows extends SgdUnitRows {
  readonly batch: DesignBatch;
}

function grow(a: Float64Array, need: number): Float64Array {
  if (a.length >= need) return a;
  const b = new Float64Array(Math.max(need, 2 * a.length, 1024));
  b.set(a);
  return b;
}

export async function collectUnitRows(
  batches: AsyncIterable<ColumnBatch>,
  design: DesignColumns,
  missing: MissingPolicy,
  unit: UnitName,
  sizeHint = 0,
): Promise<UnitRows> {
  const batcher = new DesignBatcher(design, missing, unit);
  const p = design.features.length;
  const weighted = design.weights !== undefined;
  const width = p + 1 + (weighted ? 1 : 0);
  const columns: Float64Array[] = Array.from({ length: width }, () => new Float64Array(sizeHint));
  let rows = 0;
  let rowsRead = 0;
  let rowsDropped = 0;
  for await (const batch of batches) {
    const { design: d, dropped } = batcher.toDesign(batch, rowsRead);
    rowsRead += batch.rows;
    rowsDropped += dropped;
    for (let j = 0; j < width; j++) columns[j] = grow(columns[j], rows + d.rows);
    append(columns, d, rows);
    rows += d.rows;
  }
  const batch: DesignBatch = {
    rows,
    x: columns.slice(0, p),
    y: columns[p],
    w: weighted ? columns[p + 1] : undefined,
  };
  return { batch, rowsRead, rowsUsed: rowsRead - rowsDropped, rowsDropped };
}

function append(columns: Float64Array[], d: DesignBatch, at: number): void {
  const p = d.x.length;
  for (let j = 0; j < p; j++) columns[j].set(d.x[j].subarray(0, d.rows), at);
  columns[p].set(d.y.subarray(0, d.rows), at);
  if (d.w !== undefined) columns[p + 1].set(d.w.subarray(0, d.rows), at);
}
