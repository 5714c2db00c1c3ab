/**
 * The library's entry point: fit a linear model on files, in parallel.
 *
 * Pass 1 reads every unit in a pool worker into a partial state (TSQR factor
 * or shifted Gram), merged in unit order by a fixed tree (reduce.ts), so the
 * coefficients are bitwise identical for any worker count. The merged factor
 * is solved in the main thread. If refinement is on (or `auto` and the
 * solution asks for it), pass 2 re-reads the same plan with β broadcast in
 * each task, accumulating residual statistics for one step of iterative
 * refinement. Then inference and the model.
 *
 * stdin ('-', an Arrow IPC stream) is read in the main thread and accumulated
 * there: a stream cannot be split into independent units, and Arrow decoding
 * is cheap next to the accumulator update; it cannot be read twice, so
 * refinement is skipped (with a warning) for stdin.
 *
 * solver 'sgd' runs averaged SGD / Adam through the same pool instead
 * (fit-sgd-files.ts): a statistics pass, the epochs, an evaluation pass.
 */
import type { Readable } from 'node:stream';
import { SpecError } from '../errors.js';
import type { LinregModel } from '../model/model.js';
import type { Solution } from '../numerics/solve/index.js';
import type { TriangularFactor } from '../numerics/types.js';
import { fitFiles } from './fit-files.js';
import { fitSgdFiles } from './fit-sgd-files.js';
import { fitStream } from './fit-stream.js';
import type { WorkerPool } from './pool.js';
import type { Progress } from './progress.js';
import type { SgdFit } from './sgd/sgd-result.js';
import { type FitSpec, resolveFitSpec } from './spec.js';

export interface FitOptions {
  /** Worker threads (default os.availableParallelism()). */
  readonly workers?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((p: Progress) => void) | undefined;
  /** Source of the input '-' (default process.stdin). */
  readonly stdin?: Readable | undefined;
  /** Path of the compiled worker module (default: found next to this module or in dist/). */
  readonly workerFile?: string | undefined;
  /**
   * A pool from createPool(), shared across calls (ETL scripts, services) to
   * skip worker start-up; fit leaves it running and uses all its threads
   * (`workers` is then ignored).
   */
  readonly pool?: WorkerPool | undefined;
}

export interface FitStats {
  /** Input files (shards); 1 for stdin. */
  readonly inputs: number;
  /** Work units of the plan (row groups, record batches, CSV byte ranges); 1 for stdin. */
  readonly units: number;
  /** Worker threads used; 0 when stdin was read in the main thread. */
  readonly workers: number;
  readonly rowsRead: number;
  /** Rows that entered the fit. */
  readonly rowsUsed: number;
  /** Rows dropped for a missing value in a used column. */
  readonly rowsDropped: number;
  /** Bytes of the units read (0 for stdin). */
  readonly bytes: number;
  /** Passes over the data: 1, plus one per refinement step; sgd: epochs + 2. */
  readonly passes: number;
  readonly seconds: number;
}

export interface FitResult {
  readonly model: LinregModel;
  readonly factor: TriangularFactor;
  readonly solution: Solution;
  readonly stats: FitStats;
  /** solver 'sgd': the optimizer's report (epochs, history, distance to the exact answer). */
  readonly sgd?: SgdFit | undefined;
}

export async function fit(spec: FitSpec, options: FitOptions = {}): Promise<FitResult> {
  const resolved = resolveFitSpec(spec);
  if (resolved.inputs[0] === '-') {
    if (resolved.solver === 'sgd') {
      throw new SpecError(
        'solver',
        'sgd reads the data once per epoch; stdin can be read only once',
      );
    }
    return fitStream(resolved, options.stdin ?? process.stdin, options);
  }
  return resolved.solver === 'sgd' ? fitSgdFiles(resolved, options) : fitFiles(resolved, options);
}
