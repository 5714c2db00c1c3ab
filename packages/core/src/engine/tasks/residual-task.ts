/**
 * The pass at the final β: whatever the fit asked of the residuals — the
 * robust-SE meat (`se`, numerics/meat), the per-cluster scores (`cluster`,
 * numerics/meat/cluster.ts), the residual diagnostics (`diagnostics`,
 * numerics/diagnostics) and their top rows by Cook's distance and leverage
 * (`top`, numerics/diagnostics/top-rows.ts) — in one read of the unit, each into
 * its own state (moved). States merge in unit order, which is file order
 * (engine/exact/fit-exact.ts).
 */
import {
  DiagnosticsAccumulator,
  type DiagnosticsSpec,
  serializeDiagnosticsState,
  TopRowsAccumulator,
  type TopRowsSpec,
} from '../../numerics/diagnostics/index.js';
import {
  ClusterAccumulator,
  type ClusterSpec,
  type ClusterStateMessage,
  clusterStateMessage,
  MeatAccumulator,
  type MeatSpec,
  serializeMeatState,
} from '../../numerics/meat/index.js';
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
  /** β (NaN → 0), the identified columns and the cluster columns (read through `read.cluster`). */
  readonly cluster?: ClusterSpec | undefined;
  /** β, R_K, σ̂², k and the source's unit count: the diagnostics' top rows. */
  readonly top?: TopRowsSpec | undefined;
}

/** The unit's states, serialized: one per statistic asked for. */
export interface ResidualOutput {
  readonly meat?: ArrayBuffer | undefined;
  readonly diagnostics?: ArrayBuffer | undefined;
  /** Per-cluster score sums, sorted by key (sums moved). */
  readonly cluster?: ClusterStateMessage | undefined;
  /** The unit's top rows and its rows read (numerics/diagnostics/top-rows.ts). */
  readonly top?: Float64Array | undefined;
}

export const task: TaskKind<ResidualArgs, ResidualOutput> = {
  async run(input, args) {
    const meat = args.meat === undefined ? undefined : new MeatAccumulator(args.meat);
    const diagnostics =
      args.diagnostics === undefined ? undefined : new DiagnosticsAccumulator(args.diagnostics);
    const cluster = args.cluster === undefined ? undefined : new ClusterAccumulator(args.cluster);
    const top =
      args.top === undefined ? undefined : new TopRowsAccumulator(args.top, input.unit.index);
    const rows = await streamDesign(
      input,
      args.read,
      (design, firstRow, keys, _, dropMask, where) => {
        meat?.update(design);
        diagnostics?.update(design);
        cluster?.update(design, keys);
        top?.update(design, firstRow, dropMask, where);
      },
    );
    top?.finish(rows.rowsRead);
    return {
      output: {
        meat: meat === undefined ? undefined : serializeMeatState(meat.state),
        diagnostics:
          diagnostics === undefined ? undefined : serializeDiagnosticsState(diagnostics.state),
        cluster: cluster === undefined ? undefined : clusterStateMessage(cluster.state),
        top: top?.state,
      },
      rows,
    };
  },
  transfer: (o) =>
    [
      o.meat,
      o.diagnostics,
      o.top?.buffer as ArrayBuffer | undefined,
      ...(o.cluster?.tables.map((t) => t.sums) ?? []),
    ].filter((b): b is ArrayBuffer => b !== undefined),
};
