/** What `fit` takes besides the spec, and what it returns (fit.ts runs it). */

import type { Readable } from 'node:stream';
import type { LinregModel } from '../model/model.js';
import type { Solution } from '../numerics/solve/index.js';
import type { TriangularFactor } from '../numerics/types.js';
import type { ResolvedFitSpec } from '../options/index.js';
import type { WorkerPool } from './pool.js';
import type { RoundsDocument } from './rounds/rounds-file.js';
import type { PassCounts, ReduceHook } from './run/pass.js';
import type { Progress } from './run/progress.js';
import type { SgdFit } from './sgd/sgd-result.js';
import type { DataSource } from './source/data-source.js';

/** How to run a fit (what to fit, `workers` included, is the FitSpec: options/table.ts). */
export interface FitOptions {
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((p: Progress) => void) | undefined;
  /** Source of the input '-' (default process.stdin). */
  readonly stdin?: Readable | undefined;
  /**
   * A pool from createPool(), shared across calls (ETL scripts, services) to
   * skip worker start-up, or to run another worker module (`workerFile`); fit
   * leaves it running and uses all its threads (`spec.workers` is then ignored).
   */
  readonly pool?: WorkerPool | undefined;
  /**
   * Read from this source instead of `spec.inputs` (e.g. memorySource() over
   * columns already in memory); the caller closes it.
   */
  readonly source?: DataSource | undefined;
  /** Takes over the run's reduce passes (engine/rounds/: partial, merge, update, kept state). */
  readonly reduceHook?: ReduceHook | undefined;
  /** Skip refinement with this note (PassContext.noReread). */
  readonly noReread?: string | undefined;
}

/** How a fit went: the rows and bytes of its first pass (run/pass.ts), and the run around it. */
export interface FitStats extends PassCounts {
  /** Input files (shards); 1 for stdin. */
  readonly inputs: number;
  /** Work units of the plan (row groups, record batches, CSV byte ranges); 1 for stdin. */
  readonly units: number;
  /** Worker threads used; 0 when the rows were read in the calling thread (stdin, memory). */
  readonly workers: number;
  /** Passes over the data: 1, plus one per refinement step; sgd: epochs + 2. */
  readonly passes: number;
  readonly seconds: number;
}

export interface FitResult {
  readonly model: LinregModel;
  /** The exact factor of the rows; undefined for an SGD fit without the exact check. */
  readonly factor: TriangularFactor | undefined;
  readonly solution: Solution;
  readonly stats: FitStats;
  /** solver 'sgd': the optimizer's report (epochs, history, distance to the exact answer). */
  readonly sgd?: SgdFit | undefined;
  /** `keepState`: the merged passes (engine/rounds/), for the model file and `update`. */
  readonly state?: RoundsDocument | undefined;
}

/** What a fit route returns to fit.ts, which adds the source's figures. */
export interface RouteResult {
  readonly model: LinregModel;
  readonly factor: TriangularFactor | undefined;
  readonly solution: Solution;
  readonly rows: { readonly read: number; readonly used: number; readonly dropped: number };
  readonly bytes: number;
  readonly passes: number;
  readonly sgd?: SgdFit | undefined;
}

/**
 * The spec a route runs with: `solver: 'auto'` decided, and the target and
 * intercept as the design has them (a formula's response label, its `- 1`).
 */
export type RouteSpec = Omit<ResolvedFitSpec, 'solver' | 'target'> & {
  readonly solver: 'qr' | 'normal' | 'sgd';
  readonly target: string;
};
