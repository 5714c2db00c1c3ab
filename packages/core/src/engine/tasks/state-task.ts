/**
 * The shape most task kinds share: read the unit's design rows batch by batch
 * into a fresh mergeable state, and return the state's bytes (moved, not
 * copied). A kind supplies only how to open its state for the task's args.
 */
import type { DesignBatch } from '../../numerics/types.js';
import { streamDesign } from './design-rows.js';
import type { DesignRead } from './protocol.js';
import type { TaskKind } from './task-kind.js';

/** A state being filled by one task. */
export interface OpenState {
  update(design: DesignBatch, firstRow: number): void;
  /**
   * `update` for a batch whose values are not checked yet (design-rows.ts
   * streamDesign's tryUnchecked): false, with the state untouched, when they
   * need the careful check; then `update` gets the checked batch.
   */
  tryUpdate?(design: DesignBatch, firstRow: number): boolean;
  /** The state's bytes, header sealed (numerics/state). */
  serialize(): ArrayBuffer;
}

export function stateTask<A extends { readonly read: DesignRead }>(
  open: (args: A) => OpenState,
): TaskKind<A, ArrayBuffer> {
  return {
    async run(input, args) {
      const state = open(args);
      // A state folds each batch into its sums and keeps none of its arrays.
      const rows = await streamDesign(
        input,
        args.read,
        (design, firstRow) => state.update(design, firstRow),
        true,
        state.tryUpdate?.bind(state),
      );
      return { output: state.serialize(), rows };
    },
    transfer: (state) => [state],
  };
}
