/**
 * The pass at the final β: whatever the fit asked of the residuals — the
 * robust-SE meat (`se`, numerics/meat) and the residual diagnostics
 * (`diagnostics`, numerics/diagnostics) — in one read of the unit, each into
 * its own state (moved). States merge in unit order, which is file order
 * (engine/exact/fit-exact.ts).
 */
import {
  DiagnosticsAccumulator,
  type DiagnosticsSpec,
  serializeDiagnosticsState,
} from '../../numerics/diagnostics/index.js';
import { MeatAccumulator, type MeatSpec, serializeMeatState } from '../../numerics/meat/index.js';
import { streamDesign } from './design-rows.js';
import type { DesignRead } from './protocol.js';
import type { TaskKind } from './task-kind.js';

export interface ResidualArgs {
  readonly read: DesignRead;
  /**
   * β (NaN → 0), the identified columns, the HC type and R_K: the factor
   * restricted to the identified columns, not its inverse — each row's
   * leverage is a triangular solve with it, backward stable, where an explicit
   * R_K⁻¹ would add a second κ(R_K)·ε of error at the same cost.
   */
  readonly meat?: MeatSpec | undefined;
  /** β (NaN → 0), the identified columns and the shift of e². */
  readonly diagnostics?: DiagnosticsSpec | undefined;
}

/** The unit's states, serialized: one per statistic asked for. */
export interface ResidualOutput {
  readonly meat?: ArrayBuffer | undefined;
  readonly diagnostics?: ArrayBuffer | undefined;
}

export const task: TaskKind<ResidualArgs, ResidualOutput> = {
  async run(input, args) {
    const meat = args.meat === undefined ? undefined : new MeatAccumulator(args.meat);
    const diagnostics =
      args.diagnostics === undefined ? undefined : new DiagnosticsAccumulator(args.diagnostics);
    const rows = await streamDesign(input, args.read, (design) => {
      meat?.update(design);
      diagnostics?.update(design);
    });
    return {
      output: {
        meat: meat === undefined ? undefined : serializeMeatState(meat.state),
        diagnostics:
          diagnostics === undefined ? undefined : serializeDiagnosticsState(diagnostics.state),
      },
      rows,
    };
  },
  transfer: (o) => [o.meat, o.diagnostics].filter((b): b is ArrayBuffer => b !== undefined),
};
