/** Pass 1 of an exact fit: the unit's rows into a fresh accumulator state (TSQR factor or shifted Gram). */
import {
  createAccumulator,
  serializeAccumulator,
  updateAccumulator,
} from '../../numerics/accumulate/index.js';
import type { AccumulatorSpec } from '../../numerics/types.js';
import { streamDesign } from './design-rows.js';
import type { DesignRead } from './protocol.js';
import type { TaskKind } from './task-kind.js';

export interface AccumulateArgs {
  readonly read: DesignRead;
  readonly spec: AccumulatorSpec;
}

export const task: TaskKind<AccumulateArgs, ArrayBuffer> = {
  async run(input, args) {
    const state = createAccumulator(args.spec);
    const rows = await streamDesign(input, args.read, (design, firstRow) =>
      updateAccumulator(state, design, firstRow),
    );
    return { output: serializeAccumulator(state), rows };
  },
  transfer: (state) => [state],
};
