/**
 * An SgdRunner over units already in memory (tests, small data, ETL scripts
 * that hold their batches). `workers` simulates an assignment of units to
 * workers: each inner list is one worker's units in the order it runs them.
 * Any assignment that covers every unit once gives bitwise-identical outputs,
 * because each unit's answer depends only on the pass and its rows.
 */

import type { DesignBatch } from '../../numerics/types.js';
import { NumericInputError } from '../../numerics/types.js';
import type { OutputOf, SgdPass, SgdRunner } from './protocol.js';
import { runSgdUnit } from './unit-work.js';

export interface InMemoryRunnerOptions {
  /** Unit indices per simulated worker (default: one worker running units in order). */
  readonly workers?: readonly (readonly number[])[] | undefined;
}

export function inMemorySgdRunner(
  units: readonly DesignBatch[],
  options: InMemoryRunnerOptions = {},
): SgdRunner {
  const assignment = options.workers ?? [units.map((_, i) => i)];
  const seen = new Uint8Array(units.length);
  for (const worker of assignment) {
    for (const u of worker) {
      if (!Number.isInteger(u) || u < 0 || u >= units.length || seen[u] === 1) {
        throw new NumericInputError(
          `in-memory runner: unit ${u} is out of range or assigned twice`,
        );
      }
      seen[u] = 1;
    }
  }
  if (seen.some((s) => s === 0))
    throw new NumericInputError('in-memory runner: some units are not assigned');
  return {
    units: units.length,
    async runPass<P extends SgdPass>(pass: P): Promise<readonly OutputOf<P>[]> {
      const outputs = new Array<OutputOf<P>>(units.length);
      // Round-robin over the simulated workers, so their units interleave in time.
      const cursors = assignment.map(() => 0);
      for (let progressed = true; progressed; ) {
        progressed = false;
        for (let w = 0; w < assignment.length; w++) {
          const list = assignment[w];
          const at = cursors[w];
          if (at >= list.length) continue;
          cursors[w] = at + 1;
          progressed = true;
          const u = list[at];
          outputs[u] = runSgdUnit(pass, u, units[u]);
        }
      }
      return outputs;
    },
  };
}
