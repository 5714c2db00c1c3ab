/**
 * The exact fit (solvers qr and normal) as passes of the engine: pass 1
 * accumulates every unit into a partial state (TSQR factor or shifted Gram),
 * merged in unit order by the fixed tree, so the coefficients are bitwise
 * identical for any worker count; the merged factor is solved in the main
 * thread. When refinement is on (or `auto` and the solution asks for it),
 * each refinement pass re-reads the units with β broadcast (finish.ts) — not
 * possible on a source read once, which finish.ts reports as a warning.
 * Robust standard errors (`se` hc0–hc3, or `cluster`) and residual diagnostics
 * (`diagnostics`) take one more pass, the `residual` task at the final β —
 * one pass for both; for either, a source read once is refused up front,
 * before pass 1.
 */
import { SpecError } from '@linreg/errors';
import {
  type AccumulatorState,
  augmentedColumns,
  createAccumulator,
  deserializeAccumulator,
  finalizeAccumulator,
  mergeAccumulators,
} from '../../numerics/accumulate/index.js';
import {
  deserializeDiagnosticsState,
  mergeDiagnosticsStates,
  mergeTopRowsStates,
} from '../../numerics/diagnostics/index.js';
import {
  type ClusterState,
  clusterStateOf,
  deserializeMeatState,
  mergeClusterStates,
  mergeMeatStates,
} from '../../numerics/meat/index.js';
import {
  createRefineState,
  deserializeRefineState,
  mergeRefineStates,
  type RefinePassOptions,
  type RefineState,
} from '../../numerics/refine/index.js';
import type { AccumulatorSpec } from '../../numerics/types.js';
import type { RouteResult, RouteSpec } from '../fit-types.js';
import { columnKinds, designRead, type ModelDesign } from '../model-design.js';
import { accumulatorSpecOf } from '../projection.js';
import { offloadedMerges } from '../run/offload-merge.js';
import { canReread, type PassContext, type PassCounts, reducePass } from '../run/pass.js';
import type { ClusterRead, DesignRead } from '../tasks/protocol.js';
import type { ResidualArgs, ResidualOutput } from '../tasks/residual-task.js';
import { finishFit, type ResidualStates } from './finish.js';

export async function fitExact(
  ctx: PassContext,
  spec: RouteSpec,
  design: ModelDesign,
): Promise<RouteResult> {
  const columns = design.columns;
  if (spec.se !== 'classical' && !ctx.source.rereadable) {
    throw new SpecError(
      'se',
      `${spec.se} needs a second pass over the data; stdin can be read only once (save it to a file)`,
    );
  }
  if (spec.diagnostics && !ctx.source.rereadable) {
    throw new SpecError(
      'diagnostics',
      'needs a second pass over the data; stdin can be read only once (save it to a file)',
    );
  }
  if (spec.cluster !== undefined && !ctx.source.rereadable) {
    throw new SpecError(
      'cluster',
      'needs a second pass over the data; stdin can be read only once (save it to a file)',
    );
  }
  const accSpec = accumulatorSpecOf(spec, columns.features.length);
  const cluster =
    spec.cluster === undefined ? undefined : clusterRead(ctx, spec.cluster, spec.timestamps);
  // Cluster columns are read in every pass: a row missing one is missing from the fit too.
  const read = { ...designRead(design, spec), ...(cluster === undefined ? {} : { cluster }) };
  const pass1 = await accumulatePass(ctx, read, accSpec);
  const factor = finalizeAccumulator(pass1.state);
  const refinePass = canReread(ctx)
    ? async (beta: Float64Array, options: RefinePassOptions): Promise<RefineState> => {
        const pass = await reducePass(
          ctx,
          {
            kind: 'refine',
            args: {
              read,
              spec: accSpec,
              beta,
              ...(options.gram === false ? { gram: false } : {}),
            },
            phase: 'refine',
          },
          deserializeRefineState,
          mergeRefineStates,
        );
        return pass.state ?? createRefineState(accSpec, beta, options);
      }
    : undefined;
  // The pass at the final β (robust-SE meat, residual diagnostics): states merged in unit order.
  const residualPass = async (args: Omit<ResidualArgs, 'read'>): Promise<ResidualStates> => {
    const merge = (a: ResidualStates, b: ResidualStates): ResidualStates =>
      mergeResidualStates(a, b, spec.cluster ?? [], spec.maxClusters);
    const pass = await reducePass(
      ctx,
      { kind: 'residual', args: { ...args, read }, phase: 'residuals' },
      decodeResidualStates,
      merge,
    );
    return pass.state ?? {};
  };
  const c = pass1.counts;
  const rows = { read: c.rowsRead, used: c.rowsUsed, dropped: c.rowsDropped };
  const finished = await finishFit({
    spec,
    target: columns.target,
    features: columns.features,
    terms: design.program,
    factor,
    rows,
    refinePass,
    refineSkipped: ctx.noReread,
    residualPass,
    unitFiles: ctx.source.units.map((u) => u.file),
  });
  return {
    model: finished.model,
    factor,
    solution: finished.solution,
    rows,
    bytes: c.bytes,
    passes: 1 + finished.passes,
  };
}

/**
 * The narrowest TSQR factor (k = p + 1 + intercept columns) whose merges run
 * on the pool's workers rather than the main thread. A merge of two k × k
 * factors costs ~(2/3)k³ flops: measured 1 ms at k = 102, 6 ms at k = 202,
 * 19 ms at k = 302, 85 ms at k = 502 (double-double), 34 ms at k = 1,002 —
 * below ~2 ms the message and the states' checksums cost as much as the
 * merge. Gram states merge by an O(k²) addition and always stay here.
 */
export const OFFLOAD_MERGE_MIN_COLUMNS = 160;

/**
 * The widest factor merged on the workers. In a worker a merge holds its two
 * k × k states and the kernel's copy beside the worker's last decoded row
 * group, and the workers cannot end while it runs: at k = 4,002 (two
 * workers, 4 units, `--refine off`) peak RSS rose 1.91 / 1.94 → 2.88 /
 * 2.86 GB, for no gain in wall time on 2 cores (51.3 / 50.8 → 53.1 /
 * 51.5 s). Wider factors are merged on the main thread, as before.
 */
export const OFFLOAD_MERGE_MAX_COLUMNS = 2048;

/** The accumulate pass over `read`: the merged state (an empty one with no units) and the rows read. */
export async function accumulatePass(
  ctx: PassContext,
  read: DesignRead,
  accSpec: AccumulatorSpec,
): Promise<{ readonly state: AccumulatorState; readonly counts: PassCounts }> {
  const k = augmentedColumns(accSpec);
  const offloaded =
    accSpec.kind === 'qr' && k >= OFFLOAD_MERGE_MIN_COLUMNS && k <= OFFLOAD_MERGE_MAX_COLUMNS
      ? offloadedMerges(ctx.source, ctx.signal, 'accumulator')
      : undefined;
  const pass = await reducePass(
    ctx,
    // The Gram route adds a formula's one-hot blocks sparsely; TSQR takes dense rows.
    {
      kind: 'accumulate',
      args: { read: { ...read, sparse: accSpec.kind === 'normal' }, spec: accSpec },
      phase: 'read',
    },
    deserializeAccumulator,
    mergeAccumulators,
    offloaded,
  );
  return { state: pass.state ?? createAccumulator(accSpec), counts: pass.counts };
}

/**
 * The cluster (or `by` group) columns' read: each must be in every shard,
 * numeric (read as numbers) or text (categories); errors name `option`.
 */
export function clusterRead(
  ctx: PassContext,
  names: readonly string[],
  temporal: boolean,
  option = 'cluster',
): ClusterRead {
  const plan = ctx.source.plan;
  const categorical = names.map(() => false);
  const shards = plan.shards.length > 0 ? plan.shards : [{ file: 'input', columns: plan.columns }];
  for (const shard of shards) {
    const kinds = columnKinds(shard.columns ?? plan.columns, temporal);
    names.forEach((name, c) => {
      const kind = kinds.find((k) => k.name === name);
      if (kind === undefined) {
        throw new SpecError(option, `${shard.file}: no column ${name}`);
      }
      if (!kind.numeric && !kind.categorical) {
        throw new SpecError(option, `${shard.file}: column ${name} is neither numeric nor text`);
      }
      if (!kind.numeric) categorical[c] = true;
    });
  }
  return { names, categorical };
}

export function decodeResidualStates(output: ResidualOutput): ResidualStates {
  return {
    cluster: output.cluster === undefined ? undefined : clusterStateOf(output.cluster),
    meat: output.meat === undefined ? undefined : deserializeMeatState(output.meat),
    diagnostics:
      output.diagnostics === undefined
        ? undefined
        : deserializeDiagnosticsState(output.diagnostics),
    top: output.top,
  };
}

export function mergeResidualStates(
  a: ResidualStates,
  b: ResidualStates,
  columns: readonly string[],
  maxClusters: number,
): ResidualStates {
  return {
    cluster: mergeCluster(a.cluster, b.cluster, columns, maxClusters),
    meat: a.meat === undefined || b.meat === undefined ? a.meat : mergeMeatStates(a.meat, b.meat),
    diagnostics:
      a.diagnostics === undefined || b.diagnostics === undefined
        ? a.diagnostics
        : mergeDiagnosticsStates(a.diagnostics, b.diagnostics),
    top: a.top === undefined || b.top === undefined ? a.top : mergeTopRowsStates(a.top, b.top),
  };
}

function mergeCluster(
  a: ClusterState | undefined,
  b: ClusterState | undefined,
  columns: readonly string[],
  maxClusters: number,
): ClusterState | undefined {
  return a === undefined || b === undefined ? a : mergeClusterStates(a, b, columns, maxClusters);
}
