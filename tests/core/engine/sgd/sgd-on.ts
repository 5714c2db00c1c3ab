/**
 * Running the engine's SGD driver on DesignBatch units held in memory: the
 * units become a memory source (columns x1…xp, y, w), the options go through
 * the one resolver (so defaults and checks are the library's), and the
 * driver runs its passes through the engine as in a real fit.
 *
 * `workers` simulates an assignment of units to workers: each inner list is
 * one worker's units in the order it runs them; a unit's answer is held back
 * by its place in its worker's list, so units complete out of order.
 */
import { fitSgd } from '../../../../packages/core/src/engine/sgd/fit-sgd.js';
import type { SgdFit } from '../../../../packages/core/src/engine/sgd/sgd-result.js';
import {
  type SgdSettings,
  sgdSettingsOf,
} from '../../../../packages/core/src/engine/sgd/sgd-settings.js';
import type { DataSource } from '../../../../packages/core/src/engine/source/data-source.js';
import {
  type MemoryBatch,
  memorySource,
} from '../../../../packages/core/src/engine/source/memory-source.js';
import type { AdamSettings } from '../../../../packages/core/src/numerics/sgd/index.js';
import type { AccumulatorKind, DesignBatch } from '../../../../packages/core/src/numerics/types.js';
import { type FitSpec, resolveFitSpec } from '../../../../packages/core/src/options/index.js';

/** The SGD options of a fit, plus the driver's internal knobs tests turn. */
export interface SgdTestSpec {
  readonly p: number;
  readonly intercept?: boolean;
  readonly weighted?: boolean;
  readonly optimizer?: FitSpec['optimizer'];
  readonly learningRate?: number;
  readonly batchSize?: number;
  readonly ridge?: number;
  readonly standardize?: boolean;
  readonly epochs?: number;
  readonly tol?: number;
  readonly decay?: number;
  readonly seed?: number;
  readonly check?: boolean;
  readonly tailFraction?: number;
  readonly varianceReduction?: 'svrg' | 'none';
  readonly checkKind?: AccumulatorKind;
  readonly adam?: Partial<AdamSettings>;
}

export const featureNames = (p: number): string[] =>
  Array.from({ length: p }, (_, j) => `x${j + 1}`);

/** DesignBatch units as named in-memory columns (x1…xp, y, and w when weighted). */
export function designSource(units: readonly DesignBatch[], name = '<memory>'): DataSource {
  const batches = units.map((u): MemoryBatch => {
    const batch: Record<string, Float64Array> = {};
    u.x.forEach((x, j) => {
      batch[`x${j + 1}`] = x.subarray(0, u.rows);
    });
    batch.y = u.y.subarray(0, u.rows);
    if (u.w !== undefined) batch.w = u.w.subarray(0, u.rows);
    return batch;
  });
  return memorySource(batches, name);
}

/** Completions held back by each unit's place in its simulated worker's list. */
function withAssignment(source: DataSource, workers: readonly (readonly number[])[]): DataSource {
  const delay = new Map<number, number>();
  for (const list of workers)
    list.forEach((u, at) => {
      delay.set(u, at);
    });
  if (delay.size !== source.units.length) throw new Error('assignment must cover every unit once');
  const ticks = (n: number) =>
    new Promise<void>((resolve) => {
      let left = n;
      const step = () => (left-- <= 0 ? resolve() : setImmediate(step));
      step();
    });
  return {
    ...source,
    workers: workers.length,
    execute: async (message, signal) => {
      const reply = await source.execute(message, signal);
      await ticks(3 * (delay.get(message.unit.index) ?? 0));
      return reply;
    },
  };
}

export function sgdSettings(spec: SgdTestSpec): SgdSettings {
  const resolved = resolveFitSpec({
    inputs: ['<memory>'],
    target: 'y',
    features: featureNames(spec.p),
    weights: spec.weighted === true ? 'w' : undefined,
    intercept: spec.intercept,
    solver: 'sgd',
    optimizer: spec.optimizer,
    learningRate: spec.learningRate,
    batchSize: spec.batchSize,
    ridge: spec.ridge,
    standardize: spec.standardize,
    epochs: spec.epochs,
    tol: spec.tol,
    decay: spec.decay,
    seed: spec.seed,
    check: spec.check === undefined ? undefined : spec.check ? 'on' : 'off',
    tailFraction: spec.tailFraction,
    varianceReduction: spec.varianceReduction,
  });
  const settings = sgdSettingsOf(resolved, spec.p);
  return {
    ...settings,
    checkKind: spec.checkKind ?? settings.checkKind,
    adam: { ...settings.adam, ...spec.adam },
  };
}

export async function sgdOn(
  units: readonly DesignBatch[] | DataSource,
  spec: SgdTestSpec,
  options: {
    readonly workers?: readonly (readonly number[])[];
    readonly signal?: AbortSignal;
  } = {},
): Promise<SgdFit> {
  const settings = sgdSettings(spec);
  let source = 'execute' in units ? units : designSource(units);
  if (options.workers !== undefined) source = withAssignment(source, options.workers);
  const columns = {
    features: featureNames(spec.p),
    target: 'y',
    weights: spec.weighted === true ? 'w' : undefined,
  };
  return fitSgd(
    { source, batchRows: 65_536, signal: options.signal },
    { columns, missing: 'drop' },
    settings,
  );
}
