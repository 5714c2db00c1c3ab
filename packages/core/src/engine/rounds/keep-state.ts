/**
 * `fit --keep-state`: every merged pass of the run recorded as it completes
 * (pass-record.ts), so the model file can carry the state that `linreg
 * update` extends with new rows.
 */
import type { Plan } from '@linreg/io';
import type { ResolvedFitSpec } from '../../options/index.js';
import type { ReduceCall, ReduceHook, ReduceResult } from '../run/pass.js';
import { fitFingerprint, recordedSpec } from './fingerprint.js';
import { encodeState, type PassRecord } from './pass-record.js';
import type { RoundsDocument } from './rounds-file.js';

export interface StateRecorder {
  readonly hook: ReduceHook;
  /** `given`: the spec as the caller gave it (recorded); `resolved`: for the fingerprint. */
  readonly document: (
    given: Readonly<Record<string, unknown>>,
    resolved: ResolvedFitSpec,
    plan: Plan,
  ) => RoundsDocument;
}

/** Wraps `inner` (or the plain pass) and records each pass's merged state. */
export function stateRecorder(inner?: ReduceHook): StateRecorder {
  const records: PassRecord[] = [];
  const hook: ReduceHook = async <S>(call: ReduceCall<S>): Promise<ReduceResult<S>> => {
    const result = inner === undefined ? await call.run() : await inner(call);
    records.push({
      kind: call.kind,
      counts: result.counts,
      state: result.state === undefined ? undefined : encodeState(result.state),
    });
    return result;
  };
  return {
    hook,
    document: (given, resolved, plan) => ({
      fingerprint: fitFingerprint(recordedSpec(resolved), plan),
      spec: recordedSpec(given),
      plan,
      passes: records,
      next: null,
    }),
  };
}
