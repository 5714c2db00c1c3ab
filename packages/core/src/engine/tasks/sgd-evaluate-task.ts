/** The last SGD pass: exact full-batch loss and gradient of the unit's rows at candidate parameters. */
import {
  evaluateSgdAll,
  type SgdEvaluation,
  type Standardization,
} from '../../numerics/sgd/index.js';
import { collectDesign } from './design-rows.js';
import type { DesignRead } from './protocol.js';
import type { TaskKind } from './task-kind.js';

export interface SgdEvaluateArgs {
  readonly read: DesignRead;
  /** Candidate standardized parameter vectors (each of the model's dimension). */
  readonly thetas: readonly Float64Array[];
  readonly standardization: Standardization;
}

/** One evaluation per candidate, in the args' order. */
export const task: TaskKind<SgdEvaluateArgs, readonly SgdEvaluation[]> = {
  async run(input, args) {
    const { batch, rows } = await collectDesign(input, args.read);
    const output = evaluateSgdAll(args.thetas, batch, args.standardization);
    return { output, rows };
  },
  transfer: (evaluations) => evaluations.map((e) => e.gradSum.buffer as ArrayBuffer),
};
