/**
 * `linreg partial`: one pass (round) of a fit over a slice of the plan's
 * units, written as the aligned blocks of the fixed merge tree
 * (dyadic.ts), so `linreg merge` rebuilds the fit's tree bit for bit.
 * Earlier rounds come from the round document (`--model`); the fit runs as
 * `fit` does up to the pass of this round, which is computed over the slice
 * and ends the run.
 */
import { SpecError } from '@linreg/errors';
import { IoError } from '@linreg/io';
import { type FitInput, fit, resolveFitInput } from '../fit.js';
import type { FitOptions } from '../fit-types.js';
import { UnitOrderReducer } from '../run/reduce.js';
import { openFileSource } from '../source/file-source.js';
import { dyadicBlocks, sliceRange } from './dyadic.js';
import { fitFingerprint, recordedSpec } from './fingerprint.js';
import { encodeState } from './pass-record.js';
import { RoundStop, replayHook } from './replay.js';
import { type RoundsDocument, roundsDigest, roundsJson } from './rounds-file.js';
import type { PartialFile, PartialHeader } from './state-file.js';

export interface PartialOptions {
  /** `--part i/N`, 0-based. */
  readonly part?: { readonly index: number; readonly count: number } | undefined;
  /** `--units a..b`: units [start, end). */
  readonly units?: readonly [number, number] | undefined;
  /** The merged earlier rounds and the name of their file (for errors). */
  readonly rounds?: { readonly doc: RoundsDocument; readonly name: string } | undefined;
  /** `--pass NAME`: the pass this round must be (checked). */
  readonly pass?: string | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: FitOptions['onProgress'];
}

/** Refuses what cannot be cut into rounds; shared with merge and update. */
export function checkRoundable(spec: Readonly<Record<string, unknown>>, command: string): void {
  if (spec.by !== undefined) {
    throw new SpecError('by', `per-group fits cannot be run by ${command} (fit each group's rows)`);
  }
  if (spec.solver === 'sgd') {
    throw new SpecError('solver', `sgd's epochs are sequential; ${command} runs the exact solvers`);
  }
}

export async function computePartial(
  spec: FitInput,
  options: PartialOptions,
): Promise<PartialFile> {
  const resolved = resolveFitInput(spec, {});
  checkRoundable(resolved, 'partial');
  if (resolved.inputs.includes('-')) {
    throw new SpecError('inputs', 'partial reads files, not stdin (a slice is a range of units)');
  }
  const source = await openFileSource(resolved.inputs, {
    format: resolved.format,
    workers: resolved.workers,
  });
  try {
    const plan = source.plan;
    const recorded = recordedSpec(spec);
    const fingerprint = fitFingerprint(recordedSpec(resolved), plan);
    const rounds = options.rounds;
    if (rounds !== undefined && rounds.doc.fingerprint !== fingerprint) {
      throw new IoError(
        'schema-mismatch',
        { file: rounds.name },
        'the round document belongs to another fit (options or inputs differ)',
      );
    }
    if (rounds !== undefined && rounds.doc.next === null) {
      throw new IoError('bad-format', { file: rounds.name }, 'the fit needs no further round');
    }
    const n = plan.units.length;
    const [start, end] = rangeOf(n, options);
    const replay = replayHook(rounds?.doc.passes ?? [], rounds?.name ?? '', async (index, call) => {
      if (options.pass !== undefined && options.pass !== call.kind) {
        throw new SpecError(
          '--pass',
          `this round of the fit is the ${call.kind} pass, not ${options.pass}`,
        );
      }
      const blocks = dyadicBlocks(start, end);
      const states: Uint8Array[] = [];
      let b = 0;
      let reducer = new UnitOrderReducer(call.merge);
      const counts = await call.runOver(source.units.slice(start, end), (unit, state) => {
        const block = blocks[b] as { start: number; level: number };
        reducer.add(unit.index - block.start, state);
        const size = 2 ** block.level;
        if (reducer.merged === size) {
          states.push(encodeState(reducer.finish(size)));
          reducer = new UnitOrderReducer(call.merge);
          b += 1;
        }
      });
      throw new RoundStop(index, call.kind, { blocks, states, counts });
    });
    try {
      await fit(spec, {
        source,
        reduceHook: replay.hook,
        signal: options.signal,
        onProgress: options.onProgress,
      });
    } catch (error) {
      if (!(error instanceof RoundStop)) throw error;
      const { blocks, states, counts } = error.value as {
        blocks: { start: number; level: number }[];
        states: Uint8Array[];
        counts: PartialHeader['counts'];
      };
      const header: PartialHeader = {
        kind: 'linreg-partial',
        fingerprint,
        spec: recorded,
        plan,
        units: n,
        range: [start, end],
        part: options.part ?? null,
        pass: { index: error.index, kind: error.kind },
        previous: rounds === undefined ? null : roundsDigest(roundsJson(rounds.doc)),
        counts,
        blocks: blocks.map((block, i) => ({ ...block, bytes: (states[i] as Uint8Array).length })),
      };
      return { header, states };
    }
    throw new SpecError(
      '--pass',
      rounds === undefined
        ? 'the fit read no data (no units)'
        : 'the fit needs no further pass over the data: run linreg merge',
    );
  } finally {
    await source.close();
  }
}

function rangeOf(n: number, options: PartialOptions): [number, number] {
  if (options.part !== undefined) {
    const { index, count } = options.part;
    if (
      !(
        Number.isInteger(count) &&
        count >= 1 &&
        Number.isInteger(index) &&
        index >= 0 &&
        index < count
      )
    ) {
      throw new SpecError('--part', `expected i/N with 0 ≤ i < N, got ${index}/${count}`);
    }
    return sliceRange(n, index, count);
  }
  if (options.units !== undefined) {
    const [a, b] = options.units;
    if (!(Number.isInteger(a) && Number.isInteger(b) && 0 <= a && a <= b && b <= n)) {
      throw new SpecError(
        '--units',
        `expected a..b with 0 ≤ a ≤ b ≤ ${n} (the plan has ${n} units), got ${a}..${b}`,
      );
    }
    return [a, b];
  }
  throw new SpecError('--part', 'give --part i/N or --units a..b');
}
