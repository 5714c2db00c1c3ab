/**
 * `linreg update`: a model's kept state (keep-state.ts) extended with new
 * rows, as biglm's update does. The fit runs again with the kept options on
 * the new inputs; the levels pass is replayed from the state (the design is
 * the model's: a new level in the new rows is an error, as in predict), and
 * the accumulate pass merges the kept state with the new rows' — the state
 * of old and new rows together, equal to a refit to rounding (bitwise when
 * the old units are a power-of-two count, the merge tree then being the
 * refit's). Passes that need every row at a later β (refinement, robust
 * standard errors, diagnostics) cannot run on the new rows alone and are
 * refused.
 */
import { FitError, SpecError } from '@linreg/errors';
import { IoError } from '@linreg/io';
import type { LevelFindings } from '../../formula/levels.js';
import { type FitInput, fit } from '../fit.js';
import type { FitOptions, FitResult } from '../fit-types.js';
import type { ReduceCall, ReduceResult } from '../run/pass.js';
import { checkRoundable } from './partial.js';
import { addCounts, decodeState } from './pass-record.js';
import type { RoundsDocument } from './rounds-file.js';

export interface UpdateOptions {
  /**
   * The kept model's design columns and whether it has formula terms: a
   * model of plain columns (no formula) is updated on exactly those columns,
   * not on whatever numeric columns the new files have.
   */
  readonly design?: { readonly features: readonly string[]; readonly terms: boolean } | undefined;
  readonly workers?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: FitOptions['onProgress'];
}

export async function updateFit(
  kept: RoundsDocument,
  name: string,
  inputs: readonly string[],
  options: UpdateOptions = {},
): Promise<{ readonly result: FitResult; readonly document: RoundsDocument }> {
  const spec = kept.spec;
  checkRoundable(spec, 'update');
  for (const [key, bad] of [
    ['se', spec.se !== undefined && spec.se !== 'classical'],
    ['cluster', spec.cluster !== undefined],
    ['diagnostics', spec.diagnostics === true],
    ['refine', spec.refine === 'on'],
  ] as const) {
    if (bad) {
      throw new SpecError(
        key,
        `the model was fitted with --${key} ${String(spec[key])}, which needs a pass over the old rows too: refit old and new rows together`,
      );
    }
  }
  let at = 0;
  const hook = async <S>(call: ReduceCall<S>): Promise<ReduceResult<S>> => {
    const record = kept.passes[at++];
    if (call.kind === 'levels' && record?.kind === 'levels') {
      return { state: decodeState<S>(record.state, name, 'levels pass'), counts: record.counts };
    }
    if (call.kind === 'accumulate' && record?.kind === 'accumulate') {
      const fresh = await call.run();
      const old = decodeState<S>(record.state, name, 'accumulate pass');
      const state =
        old === undefined
          ? fresh.state
          : fresh.state === undefined
            ? old
            : call.merge(old, fresh.state);
      return { state, counts: addCounts(record.counts, fresh.counts) };
    }
    if (call.kind === 'refine') {
      throw new FitError(
        'the updated fit needs iterative refinement (an ill-conditioned design), which reads the old rows too: refit old and new rows together',
      );
    }
    throw new IoError(
      'schema-mismatch',
      { file: name },
      `the kept state has no ${call.kind} pass where the fit needs one`,
    );
  };
  const design = options.design;
  const plain =
    design !== undefined &&
    !design.terms &&
    spec.formula === undefined &&
    spec.features === undefined;
  const { exclude: _exclude, ...rest } = spec;
  const fitSpec = {
    ...(plain ? { ...rest, features: [...design.features] } : spec),
    inputs: [...inputs],
    keepState: true,
    ...(options.workers === undefined ? {} : { workers: options.workers }),
  } as FitInput;
  const result = await fit(fitSpec, {
    reduceHook: hook,
    noReread:
      'iterative refinement skipped: an update reads only the new rows (refit old and new rows together for the last digits)',
    signal: options.signal,
    onProgress: options.onProgress,
  });
  if (result.state === undefined) throw new FitError('update kept no state');
  return { result: withBasisWarning(result, kept, name), document: result.state };
}

/**
 * Orthogonal poly() terms keep the basis the kept rows gave (their power
 * sums): the fitted values are a refit's, the poly coefficients are in the
 * old basis, not the one a refit on all rows would build.
 */
function withBasisWarning(result: FitResult, kept: RoundsDocument, name: string): FitResult {
  const poly = kept.passes.some(
    (p) =>
      p.kind === 'levels' &&
      (decodeState<LevelFindings>(p.state, name, 'levels pass')?.sums.some((s) => s !== null) ??
        false),
  );
  if (!poly) return result;
  const warning =
    'update: orthogonal poly() terms keep the basis of the rows first fitted; fitted values equal a refit, the poly() coefficients are in that basis';
  return { ...result, model: { ...result.model, warnings: [...result.model.warnings, warning] } };
}
