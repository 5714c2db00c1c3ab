/**
 * `linreg partial <inputs..> [fit options] --part i/N -o part-i.lrstate`:
 * one round of a fit over a slice of the units, as a state file for
 * `linreg merge` (docs/state-format.md "State files", README "Scaling out").
 */
import { computePartial, encodePartialFile, type FitSpec } from '@linreg/core';
import { UsageError } from '@linreg/errors';
import type { Argv, CommandModule } from 'yargs';
import { writeFileAtomic } from '../atomic-write.js';
import type { CommandContext } from '../context.js';
import { optionsFromArgs, quietOption, reportingFlags, withTableOptions } from '../options.js';
import { checkOutputAgainstInputs } from '../output-check.js';
import { createProgressDisplay } from '../progress.js';
import { readRoundsFile } from '../rounds-io.js';

interface PartialArgs {
  readonly [flag: string]: unknown;
  readonly inputs: string[];
  readonly output: string;
  readonly part?: string | undefined;
  readonly units?: string | undefined;
  readonly pass?: string | undefined;
  readonly model?: string | undefined;
  readonly quiet: boolean;
}

/** The passes a round can be (engine/tasks: the exact fit's reduce passes). */
const PASSES = ['levels', 'accumulate', 'refine', 'residual'] as const;

export function partialCommand(ctx: CommandContext): CommandModule<object, PartialArgs> {
  return {
    command: 'partial <inputs..>',
    describe: 'Compute one slice of a fit (--part i/N) as a state file for linreg merge',
    builder: (y: Argv) =>
      withTableOptions(y, 'fit')
        .option('part', {
          describe: 'Slice i of N, 0-based (0 ≤ i < N): the units ⌊i·U/N⌋ … ⌊(i+1)·U/N⌋ − 1',
          type: 'string',
        })
        .option('units', {
          describe: 'Units a..b (a included, b not) instead of --part',
          type: 'string',
        })
        .option('pass', {
          describe:
            'The round to compute (checked against --model): levels, accumulate, refine, residual',
          type: 'string',
          choices: PASSES,
        })
        .option('model', {
          describe: 'The round document linreg merge wrote when the fit needed another round',
          type: 'string',
        })
        .option('output', {
          alias: 'o',
          describe: 'The state file to write',
          type: 'string',
          demandOption: true,
        })
        .option('quiet', quietOption)
        .example(
          '$0 partial data/ -y y --part $SLURM_ARRAY_TASK_ID/8 -o part-$SLURM_ARRAY_TASK_ID.lrstate',
          'slice i of 8',
        )
        .example(
          '$0 partial data/ -y y --part 3/8 --pass refine --model round.json -o r-3.lrstate',
          'a further round',
        ) as never,
    handler: async (args) => {
      const { io } = ctx;
      if ((args.part === undefined) === (args.units === undefined)) {
        throw new UsageError('partial: give exactly one of --part i/N and --units a..b');
      }
      const part = args.part === undefined ? undefined : parseFraction(args.part);
      const units = args.units === undefined ? undefined : parseRange(args.units);
      await checkOutputAgainstInputs(args.output, args.inputs, {
        format: args.format,
        files: args.model === undefined ? [] : [args.model],
      });
      const rounds = args.model === undefined ? undefined : await readRoundsFile(args.model);
      const progress = createProgressDisplay(io.stderr, args.quiet);
      let file: Awaited<ReturnType<typeof computePartial>>;
      try {
        file = await reportingFlags('fit', () =>
          computePartial(optionsFromArgs(args, 'fit') as FitSpec, {
            part,
            units,
            rounds,
            pass: args.pass,
            signal: io.signal,
            onProgress: progress.onProgress,
          }),
        );
      } finally {
        progress.done();
      }
      await writeFileAtomic(args.output, encodePartialFile(file));
      const h = file.header;
      if (!args.quiet) {
        io.stderr.write(
          `${args.output}: ${h.pass.kind} pass, units ${h.range[0]}..${h.range[1]} of ${h.units}, ${h.counts.rowsRead} rows read\n`,
        );
      }
    },
  };
}

function parseFraction(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || !(count >= 1 && index < count)) {
    throw new UsageError(`--part: expected i/N with 0 ≤ i < N (0-based), got '${text}'`);
  }
  return { index, count };
}

function parseRange(text: string): [number, number] {
  const m = /^(\d+)\.\.(\d+)$/.exec(text.trim());
  if (m === null || Number(m[1]) > Number(m[2])) {
    throw new UsageError(`--units: expected a..b with a ≤ b, got '${text}'`);
  }
  return [Number(m[1]), Number(m[2])];
}
