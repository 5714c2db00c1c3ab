/**
 * What several targets are, and which options they take: the targets of a
 * spec (a formula's `cbind(…)` responses, or `target: 'y1,y2'`), and one
 * line for each option that needs a pass per target (engine/targets/fit-targets.ts).
 */
import { SpecError } from '@linreg/errors';
import { deparse } from '../../formula/deparse.js';
import { parseFormula } from '../../formula/parse.js';
import { responsesOf } from '../../formula/responses.js';
import type { ResolvedFitSpec } from '../../options/index.js';
import type { FitInput } from '../fit.js';

export const ONE_PASS = 'several targets are fitted from one pass over the data';

/**
 * The targets of a spec: a formula's `cbind(…)` responses as R prints them,
 * or `target` split at commas; undefined for one target.
 */
export function targetsOf(
  spec: Pick<FitInput, 'formula' | 'target'>,
): readonly string[] | undefined {
  if (spec.formula !== undefined) return responsesOf(parseFormula(spec.formula))?.map(deparse);
  if (spec.target === undefined || !spec.target.includes(',')) return undefined;
  return spec.target.split(',').map((t) => t.trim());
}

/** One line for each option that several targets cannot take. */
export function checkTargetOptions(spec: ResolvedFitSpec, targets: readonly string[]): void {
  if (targets.some((t) => t === '')) throw new SpecError('target', 'names an empty column');
  if (new Set(targets).size !== targets.length) {
    throw new SpecError('target', 'names a column twice');
  }
  if (spec.by !== undefined)
    throw new SpecError('by', `cannot be combined with several targets: ${ONE_PASS}`);
  if (spec.solver === 'sgd') {
    throw new SpecError('solver', `sgd cannot fit several targets: use qr or normal (${ONE_PASS})`);
  }
  if (spec.keepState) {
    throw new SpecError(
      'keepState',
      `cannot be combined with several targets: keep one state per target with a fit each`,
    );
  }
  const stdin = spec.inputs.includes('-');
  const again =
    'needs a second pass over the data; stdin can be read only once (save it to a file)';
  if (spec.se !== 'classical' && stdin) throw new SpecError('se', `${spec.se} ${again}`);
  if (spec.cluster !== undefined && stdin) throw new SpecError('cluster', again);
  if (spec.diagnostics && stdin) throw new SpecError('diagnostics', again);
  for (const c of spec.cluster ?? []) {
    if (targets.includes(c)) throw new SpecError('cluster', `column ${c} is a target`);
  }
  for (const used of [spec.weights, ...(spec.features ?? [])]) {
    if (used !== undefined && targets.includes(used)) {
      throw new SpecError('target', `column ${used} is a target and also a feature or the weights`);
    }
  }
}
