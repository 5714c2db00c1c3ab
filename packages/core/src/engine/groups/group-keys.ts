/**
 * Group keys of a grouped fit (`by`): one value per group column, a number or
 * a text. Keys are kept sorted: column by column, numbers ascending before
 * texts, texts by UTF-16 code units (the order does not depend on the locale),
 * so units' groups merge by a merge-join and the output order is fixed.
 */
import { SpecError } from '@linreg/errors';
import {
  type AccumulatorState,
  deserializeAccumulator,
  mergeAccumulators,
} from '../../numerics/accumulate/index.js';

export type GroupKey = readonly (number | string)[];

/** A unit's groups (the accumulate-groups task's output), sorted by key, and their states (moved). */
export interface GroupsOutput {
  readonly keys: GroupKey[];
  readonly states: ArrayBuffer[];
}

export function compareGroupKeys(a: GroupKey, b: GroupKey): number {
  for (let c = 0; c < a.length; c++) {
    const x = a[c] as number | string;
    const y = b[c] as number | string;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** The one-line error of a group column that cannot be grouped, or of too many groups. */
export function tooManyGroups(by: readonly string[], problem: string): SpecError {
  return new SpecError(
    'by',
    `${problem} of ${by.join(',')}` +
      (problem.startsWith('more than')
        ? ' (raise --max-groups, memory is about groups × p² doubles)'
        : ''),
  );
}

/** Merged group states, sorted by key. */
export interface GroupStates {
  readonly keys: GroupKey[];
  readonly states: AccumulatorState[];
}

export function decodeGroups(output: GroupsOutput): GroupStates {
  return { keys: output.keys, states: output.states.map(deserializeAccumulator) };
}

/** Merge-join of two sorted group lists; equal keys merge their states (left, then right). */
export function mergeGroups(
  a: GroupStates,
  b: GroupStates,
  by: readonly string[],
  maxGroups: number,
): GroupStates {
  const keys: GroupKey[] = [];
  const states: AccumulatorState[] = [];
  let i = 0;
  let j = 0;
  while (i < a.keys.length || j < b.keys.length) {
    const order =
      i === a.keys.length
        ? 1
        : j === b.keys.length
          ? -1
          : compareGroupKeys(a.keys[i] as GroupKey, b.keys[j] as GroupKey);
    if (order < 0) {
      keys.push(a.keys[i] as GroupKey);
      states.push(a.states[i++] as AccumulatorState);
    } else if (order > 0) {
      keys.push(b.keys[j] as GroupKey);
      states.push(b.states[j++] as AccumulatorState);
    } else {
      keys.push(a.keys[i] as GroupKey);
      states.push(
        mergeAccumulators(a.states[i++] as AccumulatorState, b.states[j++] as AccumulatorState),
      );
    }
    if (keys.length > maxGroups) throw tooManyGroups(by, `more than ${maxGroups} groups`);
  }
  return { keys, states };
}
