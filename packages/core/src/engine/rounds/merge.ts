/**
 * `linreg merge`: the partial states of one round, merged by the fixed tree
 * (dyadic.ts), and the fit carried on from there as `fit` would — to the
 * model, or to the next pass over the data, which is then a further round
 * (the document returned says which).
 */
import { IoError } from '@linreg/io';
import type { FitInput } from '../fit.js';
import { fit } from '../fit.js';
import type { FitResult } from '../fit-types.js';
import { MergeStack } from '../run/reduce.js';
import type { DataSource } from '../source/data-source.js';
import { blockEnd } from './dyadic.js';
import { checkRoundable } from './partial.js';
import { addCounts, decodeState, encodeState, type PassRecord, zeroCounts } from './pass-record.js';
import { RoundStop, replayHook } from './replay.js';
import { type RoundsDocument, roundsDigest, roundsJson } from './rounds-file.js';
import type { PartialFile, PartialHeader } from './state-file.js';

/**
 * A state file known by its header, its states read when the merge reaches
 * it (in unit order, one file at a time): the merge then holds the tree's
 * stack, at most ⌈log₂ n⌉ + 1 states, instead of every file's.
 */
export interface DeferredPartial {
  readonly header: PartialHeader;
  readonly states: () => Promise<readonly Uint8Array[]>;
}

export interface NamedPartial {
  readonly name: string;
  readonly file: PartialFile | DeferredPartial;
}

export type MergeOutcome =
  | { readonly done: true; readonly result: FitResult; readonly document: RoundsDocument }
  | { readonly done: false; readonly document: RoundsDocument };

export async function mergePartials(
  files: readonly NamedPartial[],
  rounds?: { readonly doc: RoundsDocument; readonly name: string },
): Promise<MergeOutcome> {
  const ordered = checkTiling(files, rounds);
  const first = (ordered[0] as NamedPartial).file.header;
  checkRoundable(first.spec, 'merge');
  const records: PassRecord[] = [...(rounds?.doc.passes ?? [])];
  const replay = replayHook(records, rounds?.name ?? '', async (index, call) => {
    if (index !== first.pass.index) throw new RoundStop(index, call.kind);
    if (call.kind !== first.pass.kind) {
      throw new IoError(
        'schema-mismatch',
        { file: (ordered[0] as NamedPartial).name },
        `holds the ${first.pass.kind} pass; this round of the fit is ${call.kind}`,
      );
    }
    // Pushed as each file is read: the merge holds the stack, not every file's states.
    const stack = new MergeStack(call.merge);
    for (const { name, file } of ordered) {
      const states = typeof file.states === 'function' ? await file.states() : file.states;
      file.header.blocks.forEach((block, i) => {
        const state = decodeState<never>(states[i] as Uint8Array, name, `block ${i + 1}`);
        stack.push(block.level, state as Parameters<typeof call.merge>[0]);
      });
    }
    const state = stack.finish();
    const counts = ordered.reduce((c, { file }) => addCounts(c, file.header.counts), zeroCounts());
    // Recorded before the fit goes on: later steps may work in the state's buffers.
    records.push({
      kind: call.kind,
      counts,
      state: state === undefined ? undefined : encodeState(state),
    });
    return { state, counts };
  });
  const spec = { ...first.spec, inputs: first.plan.shards.map((s) => s.file) } as FitInput;
  const doc = (next: string | null): RoundsDocument => ({
    fingerprint: first.fingerprint,
    spec: first.spec,
    plan: first.plan,
    passes: records,
    next,
  });
  try {
    const result = await fit(spec, { source: replaySource(first), reduceHook: replay.hook });
    if (replay.passes() <= first.pass.index) {
      throw new IoError(
        'schema-mismatch',
        { file: (ordered[0] as NamedPartial).name },
        `the fit has no pass ${first.pass.index + 1} (${first.pass.kind}): the files do not follow the round document`,
      );
    }
    return { done: true, result, document: doc(null) };
  } catch (error) {
    if (!(error instanceof RoundStop)) throw error;
    return { done: false, document: doc(error.kind) };
  }
}

/** The plan as the files recorded it: a source for the design's decisions that never reads a row. */
function replaySource(header: PartialFile['header']): DataSource {
  return {
    plan: header.plan,
    units: header.plan.units,
    rereadable: true,
    workers: 0,
    execute: () => Promise.reject(new Error('merge reads no data')),
    close: async () => {},
  };
}

/**
 * The files of one round of one fit, in unit order, tiling every unit once;
 * anything else is an IoError naming the file at fault.
 */
function checkTiling(
  files: readonly NamedPartial[],
  rounds: { readonly doc: RoundsDocument; readonly name: string } | undefined,
): NamedPartial[] {
  const first = files[0];
  if (first === undefined)
    throw new IoError('empty', { file: '<none>' }, 'no state files to merge');
  const h0 = first.file.header;
  const previous = rounds === undefined ? null : roundsDigest(roundsJson(rounds.doc));
  if (rounds !== undefined && rounds.doc.fingerprint !== h0.fingerprint) {
    throw new IoError(
      'schema-mismatch',
      { file: rounds.name },
      'the round document belongs to another fit (options or inputs differ)',
    );
  }
  for (const { name, file } of files) {
    const h = file.header;
    if (h.fingerprint !== h0.fingerprint) {
      throw new IoError(
        'schema-mismatch',
        { file: name },
        `a state of another fit than ${first.name} (options or inputs differ)`,
      );
    }
    if (h.pass.index !== h0.pass.index || h.pass.kind !== h0.pass.kind) {
      throw new IoError(
        'schema-mismatch',
        { file: name },
        `holds pass ${h.pass.index + 1} (${h.pass.kind}), ${first.name} pass ${h0.pass.index + 1} (${h0.pass.kind})`,
      );
    }
    if (h.previous !== previous) {
      throw new IoError(
        'schema-mismatch',
        { file: name },
        previous === null
          ? `a state of round ${h.pass.index + 1}: merge it with --model (the document of the round before)`
          : h.previous === null
            ? 'a state of the first round, but --model was given'
            : `computed from another round document than ${rounds?.name}`,
      );
    }
    let at = h.range[0];
    for (const b of h.blocks) {
      if (b.start !== at)
        throw new IoError('corrupt', { file: name }, 'its blocks do not cover its unit range');
      at = blockEnd(b);
    }
    if (at !== h.range[1])
      throw new IoError('corrupt', { file: name }, 'its blocks do not cover its unit range');
  }
  const ordered = [...files].sort(
    (a, b) =>
      a.file.header.range[0] - b.file.header.range[0] ||
      a.file.header.range[1] - b.file.header.range[1],
  );
  let covered = 0;
  let last: NamedPartial | undefined;
  for (const f of ordered) {
    const [a, b] = f.file.header.range;
    if (a > covered) {
      throw new IoError(
        'empty',
        { file: f.name },
        `units ${covered}..${a} are in no file (missing part?)`,
      );
    }
    if (a < covered && b > a) {
      throw new IoError(
        'schema-mismatch',
        { file: f.name },
        `units ${a}..${Math.min(b, covered)} are also in ${last?.name}`,
      );
    }
    if (b > a) last = f;
    covered = Math.max(covered, b);
  }
  if (covered !== h0.units) {
    throw new IoError(
      'empty',
      { file: (last ?? first).name },
      `units ${covered}..${h0.units} are in no file (missing part?)`,
    );
  }
  return ordered;
}
