/** `linreg fit <inputs..> --target y …`: fit and print the summary table (or JSON); save the model. */
import {
  type FitSpec,
  fit,
  fitGroups,
  fitTargets,
  jsonChunks,
  modelGroupLine,
  modelGroupsOf,
  modelTargetsOf,
  targetsOf,
} from '@linreg/core';
import type { Argv, CommandModule } from 'yargs';
import { writeFileAtomic } from '../atomic-write.js';
import type { CommandContext } from '../context.js';
import { optionsFromArgs, quietOption, reportingFlags, withTableOptions } from '../options.js';
import { checkOutputAgainstInputs } from '../output-check.js';
import { createProgressDisplay } from '../progress.js';
import {
  anovaOption,
  jsonOption,
  type ReportFlags,
  reportFit,
  runSummaryOf,
  writeSummary,
} from '../report-fit.js';
import { modelFileText } from '../rounds-io.js';
import { writeChunks } from '../write-chunks.js';

/** Parsed arguments: the table's fit options under their flags, and the CLI's own. */
export interface FitArgs extends ReportFlags {
  readonly [flag: string]: unknown;
  readonly output?: string | undefined;
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
    .option('json', jsonOption)
    .option('anova', anovaOption)
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
          "$0 fit data/ -f 'cbind(y1, y2, log(y3)) ~ x1 + g' -o mlm.json",
          "several targets from one pass (R's mlm); also --target y1,y2,y3",
        )
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
      const spec = optionsFromArgs(args, 'fit') as FitSpec;
      // Several targets first: fitTargets refuses --by among the options it cannot take.
      if (targetsOf(spec) !== undefined) {
        await fitSeveralTargets(ctx, args, spec);
        return;
      }
      if (args.by !== undefined) {
        await fitByGroups(ctx, args);
        return;
      }
      const progress = createProgressDisplay(io.stderr, args.quiet);
      let result: Awaited<ReturnType<typeof fit>>;
      try {
        result = await reportingFlags('fit', () =>
          fit(spec, {
            signal: io.signal,
            onProgress: progress.onProgress,
            stdin: io.stdin,
          }),
        );
      } finally {
        progress.done();
      }
      if (args.output !== undefined) {
        await writeFileAtomic(args.output, modelFileText(result.model, result.state));
      }
      await reportFit(io, result, args);
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
    await writeFileAtomic(args.output, jsonChunks(modelGroupsOf(by, groups)));
  }
  if (args.json) {
    for (const g of groups) io.stdout.write(modelGroupLine(g));
    return;
  }
  groups.forEach((g, i) => {
    if (i > 0) io.stdout.write('\n');
    io.stdout.write(`Group: ${header(g.key)}\n`);
    writeSummary(io, g.model, runSummaryOf(stats), args);
  });
  if (groups.length === 0) io.stdout.write('No group was fitted.\n');
}

/** Several targets (cbind(…) ~ …, --target y1,y2): a summary per target under `Response y1:` as R's summary(mlm), or the targets document. */
async function fitSeveralTargets(ctx: CommandContext, args: FitArgs, spec: FitSpec): Promise<void> {
  const { io } = ctx;
  const progress = createProgressDisplay(io.stderr, args.quiet);
  let result: Awaited<ReturnType<typeof fitTargets>>;
  try {
    result = await reportingFlags('fit', () =>
      fitTargets(spec, {
        signal: io.signal,
        onProgress: progress.onProgress,
        stdin: io.stdin,
      }),
    );
  } finally {
    progress.done();
  }
  const { targets, stats } = result;
  const doc = modelTargetsOf(targets.map((t) => t.model));
  if (args.output !== undefined) await writeFileAtomic(args.output, jsonChunks(doc));
  if (args.json) {
    await writeChunks(io.stdout, jsonChunks(doc));
    return;
  }
  targets.forEach((t, i) => {
    if (i > 0) io.stdout.write('\n');
    io.stdout.write(`Response ${t.target}:\n`);
    // The run is one pass for all targets: reported once, after the last.
    writeSummary(io, t.model, i < targets.length - 1 ? undefined : runSummaryOf(stats), args);
  });
}
