/**
 * Merges of a pass's unit states run on the source's pool (DataSource.offload)
 * instead of the main thread: what reducePass (pass.ts) takes to merge the
 * unit outputs as they come, and decode only the root.
 */
import { rebuildError, UnitError } from '@linreg/errors';
import type { DataSource } from '../source/data-source.js';
import { MERGE_TASK, type MergeMessage, type UnitRef } from '../tasks/protocol.js';

/** How reducePass merges outputs off this thread. */
export interface OffloadedMerge<O> {
  /** Merges the output of units first… with that of …last, into one output of the same kind. */
  readonly merge: (left: O, right: O, first: number, last: number) => Promise<O>;
  /** Merges running at once at most: each holds its two inputs until it ends. */
  readonly concurrency: number;
}

/**
 * Merges of `state` states on the source's pool, or undefined when the source
 * has no pool or one worker (which would run the merges in series with the
 * units, while the main thread idles).
 */
export function offloadedMerges(
  source: DataSource,
  signal: AbortSignal | undefined,
  state: MergeMessage['state'],
): OffloadedMerge<ArrayBuffer> | undefined {
  const { offload, units, workers } = source;
  if (offload === undefined || workers < 2) return undefined;
  const cancel = signal ?? new AbortController().signal;
  return {
    concurrency: workers,
    merge: async (left, right, first, last) => {
      const where = mergeName(units, first, last);
      let reply: Awaited<ReturnType<typeof offload>>;
      try {
        reply = await offload({ kind: MERGE_TASK, state, left, right, first, last }, cancel);
      } catch (error) {
        if (cancel.aborted) throw error;
        const problem = error instanceof Error ? error.message : String(error);
        throw new UnitError(where.file, where.label, `worker failed: ${problem}`);
      }
      if (!reply.ok) throw rebuildError(reply.error, where);
      return reply.output as ArrayBuffer;
    },
  };
}

/** A merge's name in errors: the file of its first unit, and the units it spans. */
function mergeName(
  units: readonly UnitRef[],
  first: number,
  last: number,
): { file: string; label: string } {
  const a = units[first];
  const b = units[last];
  return {
    file: a?.file ?? 'input',
    label: `the merge of ${a?.label ?? `unit ${first}`} to ${b?.label ?? `unit ${last}`}`,
  };
}
