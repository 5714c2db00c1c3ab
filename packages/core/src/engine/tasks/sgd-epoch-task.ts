/** One SGD epoch over the unit's rows from the broadcast parameters (numerics/sgd). */
import {
  runSgdEpoch,
  type SgdEpochOptions,
  type SgdEpochResult,
  type SgdParams,
} from '../../numerics/sgd/index.js';
import { collectDesign } from './design-rows.js';
import type { DesignRead } from './protocol.js';
import type { TaskKind } from './task-kind.js';

export interface SgdEpochArgs {
  readonly read: DesignRead;
  readonly params: SgdParams;
  /** Kernel options; the unit index is filled in per unit (it keys the row shuffle). */
  readonly options: Omit<SgdEpochOptions, 'unitIndex'>;
}

export const task: TaskKind<SgdEpochArgs, SgdEpochResult> = {
  async run(input, args) {
    const { batch, rows } = await collectDesign(input, args.read);
    const output = runSgdEpoch(args.params, batch, {
      ...args.options,
      unitIndex: input.unit.index,
    });
    return { output, rows };
  },
  transfer: (r) => {
    const buffers = [r.average, r.params.theta, r.params.m, r.params.vMax, r.params.v];
    if (r.start !== undefined) buffers.push(r.start.gradSum);
    return buffers.map((b) => b.buffer as ArrayBuffer);
  },
};
