/** `linreg gen <dir> --rows N --cols P --shards K --format …`: write a synthetic regression data set. */

import { statfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from '@linreg/errors';
import { GENERATE_LIMITS, generateDataset } from '@linreg/io';
import type { CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';

interface GenArgs {
  dir: string;
  rows: number;
  cols: number;
  shards: number;
  format: 'parquet' | 'arrow' | 'csv';
  collinear: boolean;
  missing: number;
  noise: number;
  seed: number;
  'row-group-rows'?: number;
  'beta-seed'?: number;
  quiet: boolean;
}

const positiveInteger = (name: string, value: number, min: number, max?: number): number => {
  if (!Number.isInteger(value) || value < min) {
    throw new UsageError(`--${name}: expected an integer >= ${min}, got ${String(value)}`);
  }
  if (max !== undefined && value > max) {
    throw new UsageError(
      `--${name}: expected an integer <= ${max.toLocaleString('en-US')}, got ${String(value)}`,
    );
  }
  return value;
};

/** Rows per generation block by default: 100,000, fewer for wide data (≤ 2^27 values, 1 GiB). */
const defaultBlockRows = (cols: number): number =>
  Math.max(1, Math.min(100_000, Math.floor(GENERATE_LIMITS.blockValues / (cols + 1))));

/** Bytes per value on disk, roughly: 8 in Parquet and Arrow (random doubles), ~20 in CSV. */
const BYTES_PER_VALUE = { parquet: 8, arrow: 8, csv: 20 } as const;

/**
 * Refuses a data set whose estimated size exceeds the free space of the file
 * system that will hold `dir` (the nearest existing directory above it).
 */
async function checkDiskSpace(dir: string, bytes: number): Promise<void> {
  let at = resolve(dir);
  for (;;) {
    try {
      const fs = await statfs(at);
      const free = fs.bavail * fs.bsize;
      if (bytes > free) {
        throw new UsageError(
          `--rows/--cols: the data set needs about ${formatBytes(bytes)}, but ${dir} has ${formatBytes(free)} free`,
        );
      }
      return;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      const parent = dirname(at);
      if (parent === at) return; // cannot tell: let the writer report a full disk
      at = parent;
    }
  }
}

function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${value} bytes` : `${value.toPrecision(3)} ${units[unit]}`;
}

export function genCommand(ctx: CommandContext): CommandModule<object, GenArgs> {
  return {
    command: 'gen <dir>',
    describe: 'Generate a synthetic data set y = b + Xβ + ε (seeded)',
    builder: (y) =>
      y
        .positional('dir', {
          describe: 'Output directory (created if needed)',
          type: 'string',
          demandOption: true,
        })
        .option('rows', {
          alias: 'n',
          describe:
            'Total rows (at most 1e12; the estimated size, rows × (cols + 1) × 8 bytes, 20 for CSV, must fit the free disk space)',
          type: 'number',
          default: 100_000,
        })
        .option('cols', {
          alias: 'p',
          describe: 'Feature columns x0 … x{p-1} (at most 10,000)',
          type: 'number',
          default: 10,
        })
        .option('shards', {
          alias: 'k',
          describe: 'Files to split the rows into (at most 10,000)',
          type: 'number',
          default: 1,
        })
        .option('format', {
          describe: 'File format',
          choices: ['parquet', 'arrow', 'csv'] as const,
          default: 'parquet' as const,
        })
        .option('collinear', {
          describe: 'Make the last feature equal x0 + 1 (aliased)',
          type: 'boolean',
          default: false,
        })
        .option('missing', {
          describe: 'Fraction of feature cells made null/NaN',
          type: 'number',
          default: 0,
        })
        .option('noise', { describe: 'Standard deviation of ε', type: 'number', default: 1 })
        .option('seed', { describe: 'PRNG seed of the rows', type: 'number', default: 1 })
        .option('beta-seed', {
          describe:
            'PRNG seed of the true model (β, feature locations and scales); default --seed. The same --beta-seed with another --seed gives a held-out set from the same model',
          type: 'number',
        })
        .option('row-group-rows', {
          describe:
            'Rows per Parquet row group / Arrow record batch (default 100,000; at most 2^27 values per group: rows × (cols + 1))',
          type: 'number',
        })
        .option('quiet', { alias: 'q', describe: 'Print nothing', type: 'boolean', default: false })
        .example('$0 gen data --rows 1000000 --cols 100 --shards 8', '8 Parquet shards, 1M x 100')
        .example(
          '$0 gen toy --rows 1000 --cols 3 --collinear --format csv',
          'an aliased design as CSV',
        )
        .example(
          '$0 gen holdout --rows 10000 --seed 2 --beta-seed 1',
          'held-out rows from the model of `gen train --seed 1`',
        ) as never,
    handler: async (args) => {
      const rows = positiveInteger('rows', args.rows, 0, GENERATE_LIMITS.rows);
      const cols = positiveInteger('cols', args.cols, 1, GENERATE_LIMITS.cols);
      const shards = positiveInteger('shards', args.shards, 1, GENERATE_LIMITS.shards);
      const seed = positiveInteger('seed', args.seed, 0);
      const betaSeed =
        args['beta-seed'] === undefined
          ? undefined
          : positiveInteger('beta-seed', args['beta-seed'], 0);
      const given = args['row-group-rows'];
      const maxBlock = Math.floor(GENERATE_LIMITS.blockValues / (cols + 1));
      const rowGroupRows =
        given === undefined
          ? defaultBlockRows(cols)
          : positiveInteger('row-group-rows', given, 1, Math.max(1, maxBlock));
      await checkDiskSpace(args.dir, rows * (cols + 1) * BYTES_PER_VALUE[args.format]);
      const ds = await generateDataset({
        dir: args.dir,
        rows,
        cols,
        shards,
        format: args.format,
        seed,
        betaSeed,
        collinear: args.collinear,
        missing: args.missing,
        noise: args.noise,
        rowGroupRows,
        signal: ctx.io.signal,
      });
      if (args.quiet) return;
      const beta = Array.from(ds.coefficients, (b, j) => `${ds.features[j]}=${b.toPrecision(6)}`);
      ctx.io.stdout.write(
        `wrote ${ds.files.length} ${args.format} file(s), ${args.rows} rows, to ${args.dir}\n` +
          `true model: ${ds.target} = ${ds.intercept} + Σ β·x + ε, β: ${beta.join(' ')}\n`,
      );
    },
  };
}
