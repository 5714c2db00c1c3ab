/**
 * The first pass of an SGD fit: per-column weighted moments (for the
 * standardization), the weights' counts the inference needs, and — when the
 * fit checks against the exact answer — an exact accumulator of the same rows.
 */
import {
  createAccumulator,
  createMoments,
  serializeAccumulator,
  serializeMoments,
  updateAccumulator,
  updateMoments,
} from '../../numerics/accumulate/index.js';
import type { AccumulatorSpec, DesignBatch } from '../../numerics/types.js';
import { collectDesign } from './design-rows.js';
import type { DesignRead } from './protocol.js';
import type { TaskKind } from './task-kind.js';
import { nameWeightsColumn } from './weights-column-error.js';

export interface SgdStatisticsArgs {
  readonly read: DesignRead;
  /** Also build an exact accumulator of this spec; omitted when not checking. */
  readonly exact?: AccumulatorSpec | undefined;
}

export interface SgdStatisticsOutput {
  /** Serialized moments state. */
  readonly moments: ArrayBuffer;
  /** Serialized accumulator state when the pass asked for one. */
  readonly exact?: ArrayBuffer | undefined;
  /** Rows with positive weight, and Σ log w over them (0 unweighted): the WLS likelihood needs both. */
  readonly rowsPositiveWeight: number;
  readonly sumLogWeights: number;
}

function weightCounts(batch: DesignBatch): { positive: number; sumLog: number } {
  const w = batch.w;
  if (w === undefined) return { positive: batch.rows, sumLog: 0 };
  let positive = 0;
  let sumLog = 0;
  for (let i = 0; i < batch.rows; i++) {
    const wi = w[i];
    if (wi > 0) {
      positive += 1;
      sumLog += Math.log(wi);
    }
  }
  return { positive, sumLog };
}

export const task: TaskKind<SgdStatisticsArgs, SgdStatisticsOutput> = {
  async run(input, args) {
    const { batch, rows } = await collectDesign(input, args.read);
    const moments = createMoments(args.read.columns.features.length);
    try {
      if (batch.rows > 0) updateMoments(moments, batch);
    } catch (error) {
      throw nameWeightsColumn(error, args.read.columns.weights);
    }
    let exact: ArrayBuffer | undefined;
    if (args.exact !== undefined) {
      const state = createAccumulator(args.exact);
      if (batch.rows > 0) updateAccumulator(state, batch);
      exact = serializeAccumulator(state);
    }
    const counts = weightCounts(batch);
    return {
      output: {
        moments: serializeMoments(moments),
        exact,
        rowsPositiveWeight: counts.positive,
        sumLogWeights: counts.sumLog,
      },
      rows,
    };
  },
  transfer: (o) => (o.exact === undefined ? [o.moments] : [o.moments, o.exact]),
};
