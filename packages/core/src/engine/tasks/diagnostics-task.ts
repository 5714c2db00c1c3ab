/**
 * A residual-diagnostics pass: the moments, extremes, successive differences
 * and Breusch–Pagan sums of the unit's residuals at a broadcast β
 * (numerics/diagnostics). The output is the packed state, moved; states merge
 * in unit order, which is file order (engine/exact/fit-exact.ts).
 */
import {
  DiagnosticsAccumulator,
  type DiagnosticsSpec,
  serializeDiagnosticsState,
} from '../../numerics/diagnostics/index.js';
import { accumulatorState, type SpecArgs, stateTask } from './state-task.js';

/** β (NaN → 0), the identified columns and the shift of e². */
export type DiagnosticsArgs = SpecArgs<DiagnosticsSpec>;

export const task = stateTask((args: DiagnosticsArgs) =>
  accumulatorState(new DiagnosticsAccumulator(args.spec), serializeDiagnosticsState),
);
