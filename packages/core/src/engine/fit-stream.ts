/**
 * Fit on an Arrow IPC stream (stdin), accumulated in the main thread (see
 * fit.ts for why). Same missing-value policy and accumulator as the workers,
 * one state, so the result equals a one-unit file fit of the same rows.
 */
import type { Readable } from 'node:stream';
import { openStream, type Plan } from '@linreg/io';
import { CancelledError } from '../errors.js';
import {
  createAccumulator,
  finalizeAccumulator,
  updateAccumulator,
} from '../numerics/accumulate/index.js';
import { DesignBatcher } from './design-batch.js';
import { finishFit } from './finish.js';
import type { FitOptions, FitResult } from './fit.js';
import { ProgressTracker } from './progress.js';
import { accumulatorSpecOf, designColumnsOf } from './projection.js';
import type { ResolvedFitSpec } from './spec.js';

const STDIN_NAME = '-';

export async function fitStream(
  spec: ResolvedFitSpec,
  source: Readable,
  options: FitOptions,
): Promise<FitResult> {
  const started = performance.now();
  const stream = await openStream(source, STDIN_NAME);
  // A stream is one shard with no units; column selection only needs its schema.
  const shard = { file: STDIN_NAME, format: 'arrow' as const, bytes: 0, rows: 0, rowsExact: false };
  const plan: Plan = {
    shards: [{ ...shard, columns: stream.columns }],
    columns: stream.columns,
    units: [],
  };
  const design = designColumnsOf(plan, spec);
  const accSpec = accumulatorSpecOf(spec, design.features.length);
  const state = createAccumulator(accSpec);
  const batcher = new DesignBatcher(design, spec.missing, { file: STDIN_NAME, label: STDIN_NAME });
  const progress = new ProgressTracker('read', 0, 0, options.onProgress);
  let rowsRead = 0;
  let rowsDropped = 0;
  for await (const batch of stream.read(batcher.columns, { batchRows: spec.batchRows })) {
    if (options.signal?.aborted) throw new CancelledError();
    const { design: d, dropped } = batcher.toDesign(batch, rowsRead);
    if (d.rows > 0) updateAccumulator(state, d, rowsRead);
    rowsRead += batch.rows;
    rowsDropped += dropped;
    progress.unitDone(batch.rows, 0);
  }
  const factor = finalizeAccumulator(state);
  const rows = { read: rowsRead, used: rowsRead - rowsDropped, dropped: rowsDropped };
  const finished = await finishFit({
    spec,
    features: design.features,
    factor,
    rows,
    refinePass: undefined,
  });
  return {
    model: finished.model,
    factor,
    solution: finished.solution,
    stats: {
      inputs: 1,
      units: 1,
      workers: 0,
      rowsRead,
      rowsUsed: rows.used,
      rowsDropped,
      bytes: 0,
      passes: 1,
      seconds: (performance.now() - started) / 1000,
    },
  };
}
