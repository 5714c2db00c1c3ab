/**
 * What fit, merge and update print: the summary table, or the model as JSON —
 * and the two flags that choose it, declared once so the commands' help
 * reads the same.
 */
import type { FitResult, FitStats, LinregModel } from '@linreg/core';
import type { CliIo } from './context.js';
import { modelJsonTextChunks } from './format/json.js';
import { type RunSummary, renderSummary } from './format/table.js';
import { renderTermAnova } from './format/term-anova.js';
import { writeChunks } from './write-chunks.js';

/** `--json`: the model instead of the table. */
export const jsonOption = {
  describe: 'Print the model as JSON instead of the table',
  type: 'boolean',
  default: false,
} as const;

/** `--anova`: the per-term table after the summary. */
export const anovaOption = {
  describe: "Also print the per-term ANOVA table (R's anova(fit))",
  type: 'boolean',
  default: false,
} as const;

/** The flags reportFit reads. */
export interface ReportFlags {
  readonly json: boolean;
  readonly anova: boolean;
}

/** The summary's `Run:` line from a fit's figures; `how` stands in place of the workers. */
export function runSummaryOf(stats: FitStats, how?: string): RunSummary {
  return {
    inputs: stats.inputs,
    units: stats.units,
    workers: stats.workers,
    seconds: stats.seconds,
    how,
  };
}

/** One model's summary, then its ANOVA table under `--anova`. */
export function writeSummary(
  io: CliIo,
  model: LinregModel,
  run: RunSummary | undefined,
  args: ReportFlags,
): void {
  io.stdout.write(renderSummary(model, run));
  if (args.anova) io.stdout.write(`\n${renderTermAnova(model)}`);
}

export async function reportFit(
  io: CliIo,
  result: FitResult,
  args: ReportFlags,
  how?: string,
): Promise<void> {
  if (args.json) {
    await writeChunks(io.stdout, modelJsonTextChunks(result.model));
    return;
  }
  writeSummary(io, result.model, runSummaryOf(result.stats, how), args);
}
