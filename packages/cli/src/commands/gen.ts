/** `linreg gen <dir> --rows N --cols P --shards K --format …`: write a synthetic regression data set. */

import { UsageError } from '@linreg/errors';
import { generateDataset } from '@linreg/io';
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
  quiet: boolean;
}

const positiveInteger = (name: string, value: number, min: number): number => {
  if (!Number.isInteger(value) || value < min) {
    throw new UsageError(`--${name}: expected an integer >= ${min}, got ${String(value)}`);
  }
  return value;
};

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
        .option('rows', { alias: 'n', describe: 'Total rows', type: 'number', default: 100_000 })
        .option('cols', {
          alias: 'p',
          describe: 'Feature columns x0 … x{p-1}',
          type: 'number',
          default: 10,
        })
        .option('shards', {
          alias: 'k',
          describe: 'Files to split the rows into',
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
        .option('seed', { describe: 'PRNG seed', type: 'number', default: 1 })
        .option('row-group-rows', {
          describe: 'Rows per Parquet row group / Arrow record batch',
          type: 'number',
        })
        .option('quiet', { alias: 'q', describe: 'Print nothing', type: 'boolean', default: false })
        .example('$0 gen data --rows 1000000 --cols 100 --shards 8', '8 Parquet shards, 1M x 100')
        .example(
          '$0 gen toy --rows 1000 --cols 3 --collinear --format csv',
          'an aliased design as CSV',
        ) as never,
    handler: async (args) => {
      const ds = await generateDataset({
        dir: args.dir,
        rows: positiveInteger('rows', args.rows, 0),
        cols: positiveInteger('cols', args.cols, 1),
        shards: positiveInteger('shards', args.shards, 1),
        format: args.format,
        seed: positiveInteger('seed', args.seed, 0),
        collinear: args.collinear,
        missing: args.missing,
        noise: args.noise,
        rowGroupRows: args['row-group-rows'],
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
