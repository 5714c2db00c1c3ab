/** A refinement pass: residual statistics of the unit's rows at a broadcast β, in double-double. */
import {
  createRefineState,
  serializeRefineState,
  updateRefineState,
} from '../../numerics/refine/index.js';
import type { AccumulatorSpec } from '../../numerics/types.js';
import { streamDesign } from './design-rows.js';
import type { DesignRead } from './protocol.js';
import type { TaskKind } from './task-kind.js';

export interface RefineArgs {
  readonly read: DesignRead;
  readonly spec: AccumulatorSpec;
  /** Length m coefficients (intercept first when there is one). */
  readonly beta: Float64Array;
}

export const task: TaskKind<RefineArgs, ArrayBuffer> = {
  async run(input, args) {
    const state = createRefineState(args.spec, args.beta);
    const rows = await streamDesign(input, args.read, (design) => updateRefineState(state, design));
    return { output: serializeRefineState(state), rows };
  },
  transfer: (state) => [state],
};
