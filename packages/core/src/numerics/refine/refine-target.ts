/**
 * One target's refinement state out of a refinement pass over `[1 X Y]`
 * (several targets, engine/targets/fit-targets.ts).
 *
 * The pass reads target j's rows as the fit read them — X, then the other
 * targets as extra design columns (so a row missing any target is missing
 * here too), then y_j — at β padded with zeros for the extra columns. So
 * rᵢ = yᵢⱼ − xᵢᵀβ exactly as a pass over `[1 X y_j]` computes it (the extra
 * products are exact zeros), and g, S and G restricted to the leading m
 * columns are the numbers that pass sums.
 */
import { NumericInputError } from '@linreg/errors';
import { fieldIndex, REFINE_STATE } from '../state/index.js';
import type { AccumulatorSpec } from '../types.js';
import { createRefineState, gramIndex, type RefineState, refineOffsets } from './refine-state.js';

const ROWS = fieldIndex(REFINE_STATE, 'rows');

/** The state of the leading `spec`'s m columns (m = p + intercept) of `state`. */
export function leadingRefineState(state: RefineState, spec: AccumulatorSpec): RefineState {
  const m = spec.p + (spec.intercept ? 1 : 0);
  const big = state.m;
  if (m > big || spec.intercept !== state.spec.intercept) {
    throw new NumericInputError(`refinement: ${m} leading columns of a state with m = ${big}`);
  }
  const from = refineOffsets(big);
  const beta = state.data.subarray(from.beta, from.beta + m);
  const out = createRefineState(spec, Float64Array.from(beta), { gram: state.gram });
  const to = refineOffsets(m);
  const d = out.data;
  const s = state.data;
  // The rows counted, then g (dd pairs), S, and G's leading triangle.
  d[ROWS] = s[ROWS] as number;
  d.set(s.subarray(from.g, from.g + 2 * m), to.g);
  d.set(s.subarray(from.rss, from.rss + 2), to.rss);
  if (state.gram) {
    for (let a = 0; a < m; a++) {
      for (let b = a; b < m; b++) {
        const src = from.gram + 2 * gramIndex(big, a, b);
        const dst = to.gram + 2 * gramIndex(m, a, b);
        d[dst] = s[src] as number;
        d[dst + 1] = s[src + 1] as number;
      }
    }
  }
  return out;
}
