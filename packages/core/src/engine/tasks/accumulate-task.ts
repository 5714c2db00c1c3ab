/** Pass 1 of an exact fit: the unit's rows into a fresh accumulator state (TSQR factor or shifted Gram). */
import {
  createAccumulator,
  serializeAccumulator,
  tryUpdateAccumulator,
  updateAccumulator,
} from '../../numerics/accumulate/index.js';
import type { AccumulatorSpec } from '../../numerics/types.js';
import type { DesignRead } from './protocol.js';
import { stateTask } from './state-task.js';

export interface AccumulateArgs {
  readonly read: DesignRead;
  readonly spec: AccumulatorSpec;
}

export const task = stateTask((args: AccumulateArgs) => {
  const state = createAccumulator(args.spec);
  return {
    update: (design, firstRow) => updateAccumulator(state, design, firstRow),
    // The accumulator checks the values in a pass it makes anyway, saving the batcher's scan.
    tryUpdate: (design, firstRow) => tryUpdateAccumulator(state, design, firstRow),
    serialize: () => serializeAccumulator(state),
  };
});
