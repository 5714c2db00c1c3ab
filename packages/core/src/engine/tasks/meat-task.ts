/**
 * A robust-SE pass: the meat Σ ωᵢ xᵢxᵢᵀ of a sandwich covariance (HC0–HC3)
 * of the unit's rows at a broadcast β, with each row's leverage from the
 * first pass's factor (numerics/meat). The output is the packed state,
 * moved; states merge in unit order (engine/exact/fit-exact.ts).
 */
import { MeatAccumulator, type MeatSpec, serializeMeatState } from '../../numerics/meat/index.js';
import { accumulatorState, type SpecArgs, stateTask } from './state-task.js';

/**
 * β (NaN → 0), the identified columns, the HC type and R_K: the factor
 * restricted to the identified columns, not its inverse — each row's leverage
 * is a triangular solve with it, backward stable, where an explicit R_K⁻¹
 * would add a second κ(R_K)·ε of error at the same cost.
 */
export type MeatArgs = SpecArgs<MeatSpec>;

export const task = stateTask((args: MeatArgs) =>
  accumulatorState(new MeatAccumulator(args.spec), serializeMeatState),
);
