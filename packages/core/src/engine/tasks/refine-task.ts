/** A refinement pass: residual statistics of the unit's rows at a broadcast β, in double-double. */
import {
  createRefineState,
  serializeRefineState,
  tryUpdateRefineState,
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
  /**
   * Also sum XᵀWX in double-double: absent, createRefineState's default (m ≤ 64); false when
   * only the coefficients need the pass; several targets set it for their own m.
   */
  readonly gram?: boolean | undefined;
}

export const task = stateTask((args: RefineArgs) => {
  const state = createRefineState(
    args.spec,
    args.beta,
    args.gram === undefined ? {} : { gram: args.gram },
  );
  return {
    update: (design) => updateRefineState(state, design),
    // Values unchecked: the state checks them on its way (the WebAssembly walk's copy).
    tryUpdate: (design) => tryUpdateRefineState(state, design),
    serialize: () => serializeRefineState(state),
  };
});
