/** `linreg fit <inputs..> --target y …`: fit and print the summary table (or JSON); save the model. */
import {
  type FitSpec,
  fit,
  fitGroups,
  modelGroupLine,
  modelGroupsOf,
  modelGroupsToJson,
} from '@linreg/core';
import type { Argv, CommandModule } from 'yargs';
import { writeFileAtomic } from '../atomic-write.js';
import type { CommandContext } from '../context.js';
import { modelJsonText } from '../format/json.js';
import { renderSummary } from '../format/table.js';
import { renderTermAnova } from '../format/term-anova.js';
import { optionsFromArgs, quietOption, reportingFlags, withTableOptions } from '../options.js';
import { checkOutputAgainstInputs } from '../output-check.js';
import { createProgressDisplay } from '../progress.js';
import { modelFileText } from '../rounds-io.js';

/** Parsed arguments: the table's fit options under their flags, and the CLI's own. */
export interface FitArgs {
  readonly [flag: string]: unknown;
  readonly output?: string | undefined;
  readonly json: boolean;
  readonly anova: boolean;
  readonly quiet: boolean;
}

/** The options of `linreg fit`: the table's, then the CLI's own. */
export function fitBuilder(y: Argv): Argv<FitArgs> {
  return withTableOptions(y, 'fit')
    .option('output', {
      alias: 'o',
      describe: 'Write the model (JSON) to this file',
      type: 'string',
    })
    .option('json', {
      describe: 'Print the model as JSON instead of the table',
      type: 'boolean',
      default: false,
    })
    .option('anova', {
      describe: "Also print the per-term ANOVA table (R's anova(fit))",
      type: 'boolean',
      default: false,
    })
    .option('quiet', quietOption) as unknown as Argv<FitArgs>;
}

export function fitCommand(ctx: CommandContext): CommandModule<object, FitArgs> {
  return {
    command: 'fit <inputs..>',
    describe: 'Fit a linear model (OLS / WLS / ridge) on files larger than memory',
    builder: (y) =>
      fitBuilder(y)
        .example('$0 fit data/*.parquet --target y', 'OLS of y on every other numeric column')
        .example(
          '$0 fit data/ -y price --features area,rooms --weights w -o model.json',
          'WLS, save the model',
        )
        .example(
          '$0 fit big.arrow -y y --ridge auto --standardize --json',
          'ridge with λ by GCV, JSON out',
        )
        .example(
          "$0 fit sales.parquet -f 'log(price) ~ carat * cut + poly(depth, 2)' --anova",
          'an R formula: transforms, factors, interactions; per-term ANOVA',
        )
        .example('cat s.arrows | $0 fit - -y y', 'Arrow IPC stream on stdin')
        .example(
          '$0 fit data/ -y y --by store,month -o groups.json',
          'one model per group, one pass',
        )
        .example(
          '$0 fit data/ -y y --solver sgd --optimizer adam --epochs 50',
          'averaged Adam, checked against the exact fit',
        ),
    handler: async (args) => {
      const { io } = ctx;
      if (args.output !== undefined) {
        await checkOutputAgainstInputs(args.output, args.inputs as unknown[], {
          format: args.format,
        });
      }
      if (args.by !== undefined) {
        await fitByGroups(ctx, args);
        return;
      }
      const progress = createProgressDisplay(io.stderr, args.quiet);
      let result: Awaited<ReturnType<typeof fit>>;
      try {
        result = await reportingFlags('fit', () =>
          fit(optionsFromArgs(args, 'fit') as FitSpec, {
            signal: io.signal,
            onProgress: progress.onProgress,
            stdin: io.stdin,
          }),
        );
      } finally {
        progress.done();
      }
      const { model, stats } = result;
      if (args.output !== undefined) {
        await writeFileAtomic(args.output, modelFileText(model, result.state));
      }
      if (args.json) {
        io.stdout.write(modelJsonText(model));
      } else {
        io.stdout.write(
          renderSummary(model, {
            inputs: stats.inputs,
            units: stats.units,
            workers: stats.workers,
            seconds: stats.seconds,
          }),
        );
        if (args.anova) io.stdout.write(`\n${renderTermAnova(model)}`);
      }
    },
  };
}

/** `fit --by`: one summary per group under a `Group:` header, one JSON line per group, or the groups document. */
async function fitByGroups(ctx: CommandContext, args: FitArgs): Promise<void> {
  const { io } = ctx;
  const progress = createProgressDisplay(io.stderr, args.quiet);
  let result: Awaited<ReturnType<typeof fitGroups>>;
  try {
    result = await reportingFlags('fit', () =>
      fitGroups(optionsFromArgs(args, 'fit') as FitSpec, {
        signal: io.signal,
        onProgress: progress.onProgress,
        stdin: io.stdin,
      }),
    );
  } finally {
    progress.done();
  }
  const { groups, skipped, stats, by } = result;
  const header = (key: Readonly<Record<string, string | number>>): string =>
    by.map((name) => `${name} = ${String(key[name])}`).join(', ');
  for (const s of skipped) {
    io.stderr.write(`warning: group ${header(s.key)} (${s.rows} rows) not fitted: ${s.reason}\n`);
  }
  if (args.output !== undefined) {
    await writeFileAtomic(args.output, modelGroupsToJson(modelGroupsOf(by, groups)));
  }
  if (args.json) {
    for (const g of groups) io.stdout.write(modelGroupLine(g));
    return;
  }
  groups.forEach((g, i) => {
    if (i > 0) io.stdout.write('\n');
    io.stdout.write(`Group: ${header(g.key)}\n`);
    io.stdout.write(
      renderSummary(g.model, {
        inputs: stats.inputs,
        units: stats.units,
        workers: stats.workers,
        seconds: stats.seconds,
      }),
    );
    if (args.anova) io.stdout.write(`\n${renderTermAnova(g.model)}`);
  });
  if (groups.length === 0) io.stdout.write('No group was fitted.\n');
}
