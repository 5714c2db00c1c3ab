/**
 * The hook (run/pass.ts ReduceHook) that runs a fit as rounds: the passes a
 * round document already holds are replayed from it, in order, and the next
 * pass is handed to `then` — which computes a slice (partial.ts), merges
 * files (merge.ts) or stops the run. Every other step of the fit (design,
 * solve, refinement step, inference) runs as in `fit`, on the same numbers,
 * so the passes after a replay get the same arguments bit for bit.
 */
import { IoError } from '@linreg/io';
import type { ReduceCall, ReduceHook, ReduceResult } from '../run/pass.js';
import { decodeState, type PassRecord } from './pass-record.js';

/**
 * Thrown through `fit` to end a run at a pass it must not (or need not) run;
 * control flow, not an error: partial.ts and merge.ts always catch it.
 */
export class RoundStop {
  constructor(
    readonly index: number,
    readonly kind: string,
    readonly value?: unknown,
  ) {}
}

export interface ReplayHook {
  readonly hook: ReduceHook;
  /** Passes seen so far (replayed or handed on). */
  readonly passes: () => number;
}

export function replayHook(
  records: readonly PassRecord[],
  source: string,
  then: <S>(index: number, call: ReduceCall<S>) => Promise<ReduceResult<S>>,
): ReplayHook {
  let index = 0;
  const hook: ReduceHook = async <S>(call: ReduceCall<S>): Promise<ReduceResult<S>> => {
    const at = index++;
    const record = records[at];
    if (record === undefined) return then(at, call);
    if (record.kind !== call.kind) {
      throw new IoError(
        'schema-mismatch',
        { file: source },
        `pass ${at + 1} of this fit is ${call.kind}, the document holds ${record.kind}: it belongs to another fit`,
      );
    }
    return { state: decodeState<S>(record.state, source, `pass ${at + 1}`), counts: record.counts };
  };
  return { hook, passes: () => index };
}
