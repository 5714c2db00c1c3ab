import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CancelledError, IoError } from '@linreg/errors';
import { Xoshiro128 } from './random.js';
import type { ColumnBatch, DataFormat } from './types.js';
import { openWriter } from './writers/open.js';

/**
 * Bounds of generateDataset's sizes: at most 1e12 rows, 10,000 feature
 * columns and 10,000 shards, and a generation block (`rowGroupRows` × columns)
 * of at most 2^27 values (1 GiB). `linreg gen` also refuses a data set larger
 * than the free space of the target file system.
 */
export const GENERATE_LIMITS = Object.freeze({
  rows: 1e12,
  cols: 10_000,
  shards: 10_000,
  blockValues: 2 ** 27,
});

export interface GenerateOptions {
  readonly dir: string;
  readonly rows: number;
  /** Feature columns x0 … x{cols-1} (the collinear one included). */
  readonly cols: number;
  readonly shards: number;
  readonly format: DataFormat;
  readonly seed: number;
  /**
   * Seed of the model (β, and each feature's location and scale); default
   * `seed`. Two data sets with the same `betaSeed` and different `seed`s are
   * draws from the same true model: a training set and a held-out set.
   */
  readonly betaSeed?: number | undefined;
  /** Standard deviation of the Gaussian noise added to y (default 1). */
  readonly noise?: number | undefined;
  /** Make the last feature x{cols-1} = x0 + 1 exactly (needs cols ≥ 2). */
  readonly collinear?: boolean | undefined;
  /** Fraction of feature cells made missing, half null, half NaN (default 0; y never is). */
  readonly missing?: number | undefined;
  /** Rows per Parquet row group / Arrow record batch / generation block (default 100,000). */
  readonly rowGroupRows?: number | undefined;
  /** Default 1.5. */
  readonly intercept?: number | undefined;
  /**
   * Cancels the run (e.g. SIGINT): checked between blocks; the shard being
   * written is aborted (its temporary file removed) and the shards already
   * written are deleted, then a CancelledError is thrown.
   */
  readonly signal?: AbortSignal | undefined;
  /**
   * Round every value to this many decimals (the same values in every format;
   * CSV then parses on its fast path).
   */
  readonly decimals?: number | undefined;
}

export interface GeneratedDataset {
  readonly files: readonly string[];
  /** β used for y, one per feature in `features` order. */
  readonly coefficients: Float64Array;
  readonly intercept: number;
  readonly features: readonly string[];
  readonly target: string;
  /** Every column in file order: features, then target. */
  readonly names: readonly string[];
}

/**
 * Writes a synthetic regression data set y = b + Xβ + ε in `shards` files
 * named part-00000.<ext> … .
 *
 * Per seed, in this order: β_j uniform on [-3, 3]; a location μ_j uniform on
 * [-5, 5] and scale σ_j uniform on [0.5, 2] per feature; then row by row
 * x_ij = μ_j + σ_j·z (z standard normal), ε_i = noise·z. The rows form one
 * stream that the shards cut into consecutive pieces (shard k gets
 * ⌊n/K⌋ or ⌈n/K⌉ rows), so the data do not depend on the shard count or
 * format. y is computed from the complete row; missing cells are applied
 * afterwards (a separate PRNG stream, so `missing` does not change the
 * values). Memory: one block of `rowGroupRows` rows.
 */
export async function generateDataset(options: GenerateOptions): Promise<GeneratedDataset> {
  const { rows, cols, shards, format, seed } = options;
  const noise = options.noise ?? 1;
  const missing = options.missing ?? 0;
  const blockRows = options.rowGroupRows ?? 100_000;
  const intercept = options.intercept ?? 1.5;
  const collinear = options.collinear === true;
  const limits = GENERATE_LIMITS;
  check(
    options.dir,
    Number.isInteger(rows) && rows >= 0 && rows <= limits.rows,
    `rows must be an integer in [0, ${limits.rows}], got ${rows}`,
  );
  check(
    options.dir,
    Number.isInteger(cols) && cols >= 1 && cols <= limits.cols,
    `cols must be an integer in [1, ${limits.cols}], got ${cols}`,
  );
  check(
    options.dir,
    Number.isInteger(shards) && shards >= 1 && shards <= limits.shards,
    `shards must be an integer in [1, ${limits.shards}], got ${shards}`,
  );
  check(
    options.dir,
    Number.isInteger(blockRows) && blockRows >= 1,
    `rowGroupRows must be a positive integer`,
  );
  check(
    options.dir,
    blockRows * (cols + 1) <= limits.blockValues,
    `rowGroupRows × (cols + 1) must be at most ${limits.blockValues} values (1 GiB of memory), got ${blockRows} × ${cols + 1}`,
  );
  check(options.dir, missing >= 0 && missing < 1, `missing must be in [0, 1), got ${missing}`);
  check(options.dir, !collinear || cols >= 2, 'collinear needs at least 2 columns');
  const round = roundingTo(options.decimals);

  // Without betaSeed the model and the rows are one stream (as always); with it, two.
  const modelRng = new Xoshiro128(options.betaSeed ?? seed);
  const holes = new Xoshiro128(seed ^ 0x5bd1e995);
  const coefficients = new Float64Array(cols);
  const location = new Float64Array(cols);
  const scale = new Float64Array(cols);
  for (let j = 0; j < cols; j += 1) coefficients[j] = round(6 * modelRng.nextFloat() - 3);
  for (let j = 0; j < cols; j += 1) {
    location[j] = 10 * modelRng.nextFloat() - 5;
    scale[j] = 0.5 + 1.5 * modelRng.nextFloat();
  }
  const rng = options.betaSeed === undefined ? modelRng : new Xoshiro128(seed);
  const features = Array.from({ length: cols }, (_, j) => `x${j}`);
  const target = 'y';
  const names = [...features, target];
  const extension = format === 'parquet' ? 'parquet' : format === 'arrow' ? 'arrow' : 'csv';
  try {
    await mkdir(options.dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? 'it (or a directory above it) is not a directory'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : error instanceof Error
            ? error.message
            : String(error);
    throw new IoError('write-failed', { file: options.dir }, `cannot write: ${why}`);
  }

  const files: string[] = [];
  const cancelled = async (): Promise<never> => {
    // A cancelled data set is not a smaller data set: remove what was written.
    await Promise.all(files.map((f) => rm(f, { force: true })));
    throw new CancelledError(String(options.signal?.reason ?? 'cancelled'));
  };
  for (let k = 0; k < shards; k += 1) {
    const shardRows = Math.floor(((k + 1) * rows) / shards) - Math.floor((k * rows) / shards);
    const file = join(options.dir, `part-${String(k).padStart(5, '0')}.${extension}`);
    const writer = await openWriter(file, names, { format, rowGroupRows: blockRows });
    try {
      for (let done = 0; done < shardRows; done += blockRows) {
        if (options.signal?.aborted === true) throw new CancelledError('cancelled');
        const n = Math.min(blockRows, shardRows - done);
        const batch = makeBlock(n, cols, names, {
          rng,
          holes,
          coefficients,
          location,
          scale,
          intercept,
          noise,
          missing,
          collinear,
          round,
        });
        await writer.write(batch);
      }
      await writer.close();
    } catch (error) {
      await writer.abort();
      if (error instanceof CancelledError) await cancelled();
      throw error;
    }
    files.push(file);
    if (options.signal?.aborted === true) await cancelled();
  }
  return { files, coefficients, intercept, features, target, names };
}

interface BlockParameters {
  readonly rng: Xoshiro128;
  readonly holes: Xoshiro128;
  readonly coefficients: Float64Array;
  readonly location: Float64Array;
  readonly scale: Float64Array;
  readonly intercept: number;
  readonly noise: number;
  readonly missing: number;
  readonly collinear: boolean;
  readonly round: (v: number) => number;
}

function makeBlock(
  n: number,
  cols: number,
  names: readonly string[],
  p: BlockParameters,
): ColumnBatch {
  const x = Array.from({ length: cols }, () => new Float64Array(n));
  const y = new Float64Array(n);
  const nulls: (Uint8Array | null)[] = names.map(() => null);
  const { rng, holes, coefficients, location, scale, round } = p;
  for (let i = 0; i < n; i += 1) {
    let sum = p.intercept;
    for (let j = 0; j < cols; j += 1) {
      let v: number;
      if (p.collinear && j === cols - 1) v = round((x[0] as Float64Array)[i] as number) + 1;
      else v = round((location[j] as number) + (scale[j] as number) * rng.nextGaussian());
      (x[j] as Float64Array)[i] = v;
      sum += (coefficients[j] as number) * v;
    }
    y[i] = round(sum + p.noise * rng.nextGaussian());
    if (p.missing > 0) {
      for (let j = 0; j < cols; j += 1) {
        if (holes.nextFloat() >= p.missing) continue;
        if (holes.nextFloat() < 0.5) {
          const mask = nulls[j] ?? new Uint8Array(n);
          nulls[j] = mask;
          mask[i] = 1;
          (x[j] as Float64Array)[i] = 0;
        } else {
          (x[j] as Float64Array)[i] = Number.NaN;
        }
      }
    }
  }
  return { rows: n, names, columns: [...x, y], nulls };
}

function roundingTo(decimals: number | undefined): (v: number) => number {
  if (decimals === undefined) return (v) => v;
  const factor = 10 ** decimals;
  return (v) => Math.round(v * factor) / factor;
}

function check(dir: string, ok: boolean, problem: string): void {
  if (!ok) throw new IoError('unsupported', { file: dir }, `generate: ${problem}`);
}
