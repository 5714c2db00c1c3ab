/** A refinement pass: residual statistics of the unit's rows at a broadcast β, in double-double. */
import {
  createRefineState,
  serializeRefineState,
  updateRefineState,
} from '../../numerics/refine/index.js';
import type { AccumulatorSpec } from '../../numerics/types.js';
import type { DesignRead } from './protocol.js';
import { stateTask } from './state-task.js';

export interface RefineArgs {
  readonly read: DesignRead;
  readonly spec: AccumulatorSpec;
  /** Length m coefficients (intercept first when there is one). */
  readonly beta: Float64Array;
  /** false: no double-double Gram (coefficients only); absent: refine-state.ts's default. */
  readonly gram?: boolean;
}

export const task = stateTask((args: RefineArgs) => {
  const state = createRefineState(args.spec, args.beta, args.gram === false ? { gram: false } : {});
  return {
    update: (design) => updateRefineState(state, design),
    serialize: () => serializeRefineState(state),
  };
});
