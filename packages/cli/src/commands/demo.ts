/**
 * `linreg demo`: the README's first command. Generates a data set in a
 * temporary directory and fits it end to end, then fits the motivating toy
 * example — X = [[1,2],[2,3],[3,4],[4,5],[5,6]], y = [3,5,7,9,11], where
 * x2 = x1 + 1 — and explains its aliasing: rank 2, the relation, and the
 * minimum-norm solution x1 = 1, x2 = 1, intercept = 0.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fit, type LinregModel } from '@linreg/core';
import { generateDataset } from '@linreg/io';
import type { CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';
import { formatNumber } from '../format/numbers.js';
import { renderSummary } from '../format/table.js';
import { reportingFlags, yargsOption } from '../options.js';
import { createProgressDisplay } from '../progress.js';

interface DemoArgs {
  rows: number;
  cols: number;
  workers?: number;
  quiet: boolean;
}

export const TOY_CSV = 'x1,x2,y\n1,2,3\n2,3,5\n3,4,7\n4,5,9\n5,6,11\n';

function aliasingReport(model: LinregModel): string {
  // Rounding leaves ~1e-16 where the exact minimum-norm value is 0; show those as 0.
  const scale = Math.max(...model.coefficients.map((c) => Math.abs(c.estimate) || 0));
  const shown = (v: number): string => formatNumber(Math.abs(v) <= 1e-10 * scale ? 0 : v, 6);
  const coefficients = model.coefficients.map((c) => `${c.name} = ${shown(c.estimate)}`).join(', ');
  const relations = model.aliased.map((a) => a.relation).join('; ');
  return [
    `rank ${model.rank} of ${model.coefficients.length} design columns (condition number ${formatNumber(model.statistics.conditionNumber)})`,
    `aliased: ${relations === '' ? 'none' : relations}`,
    `minimum-norm solution: ${coefficients}  (|value| < 1e-10·max shown as 0)`,
    'Every (w1, w2, b) with w1 + w2 = 2 and b + w2 = 1 fits exactly; the minimum-norm one is (1, 1, 0).',
    'An optimizer started elsewhere (Keras/Adam) stops at another exact fit, e.g. (1.15, 0.85, 0.15).',
  ].join('\n');
}

export function demoCommand(ctx: CommandContext): CommandModule<object, DemoArgs> {
  return {
    command: 'demo',
    describe: 'Generate a data set, fit it end to end, then explain the collinear toy example',
    builder: (y) =>
      y
        .option('rows', {
          describe: 'Rows of the generated data set',
          type: 'number',
          default: 200_000,
        })
        .option('cols', {
          describe: 'Features of the generated data set',
          type: 'number',
          default: 5,
        })
        .option('workers', yargsOption('workers'))
        .option('quiet', {
          alias: 'q',
          describe: 'No progress bar',
          type: 'boolean',
          default: false,
        })
        .example('$0 demo', 'the whole story in one command') as never,
    handler: async (args) => {
      const out = ctx.io.stdout;
      const dir = await mkdtemp(join(tmpdir(), 'linreg-demo-'));
      try {
        const shards = 4;
        out.write(
          `1. Generating ${args.rows} rows x ${args.cols} features in ${shards} Parquet shards under ${dir}\n`,
        );
        const ds = await generateDataset({
          dir: join(dir, 'data'),
          rows: args.rows,
          cols: args.cols,
          shards,
          format: 'parquet',
          seed: 42,
          rowGroupRows: 25_000,
        });
        const truth = Array.from(
          ds.coefficients,
          (b, j) => `${ds.features[j]}=${formatNumber(b, 6)}`,
        );
        out.write(
          `   true model: y = ${ds.intercept} + Σ β·x + N(0, 1), β: ${truth.join(' ')}\n\n`,
        );
        out.write(`2. linreg fit ${join(dir, 'data')} --target y\n\n`);
        const progress = createProgressDisplay(ctx.io.stderr, args.quiet);
        let result: Awaited<ReturnType<typeof fit>>;
        try {
          result = await reportingFlags('fit', () =>
            fit(
              { inputs: [join(dir, 'data')], target: 'y', workers: args.workers },
              { signal: ctx.io.signal, onProgress: progress.onProgress },
            ),
          );
        } finally {
          progress.done();
        }
        const s = result.stats;
        out.write(
          renderSummary(result.model, {
            inputs: s.inputs,
            units: s.units,
            workers: s.workers,
            seconds: s.seconds,
          }),
        );

        const toy = join(dir, 'toy.csv');
        await writeFile(toy, TOY_CSV);
        out.write(
          '\n3. The motivating toy example: X = [[1,2],[2,3],[3,4],[4,5],[5,6]], y = [3,5,7,9,11]\n',
        );
        out.write(`   linreg fit ${toy} --target y\n\n`);
        const toyFit = await fit(
          { inputs: [toy], target: 'y', workers: 1 },
          { signal: ctx.io.signal },
        );
        out.write(renderSummary(toyFit.model));
        out.write(`\n${aliasingReport(toyFit.model)}\n`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
