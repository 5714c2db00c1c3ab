/** What merge and update print, as `linreg fit` does: the summary table, or the model as JSON. */
import type { FitResult } from '@linreg/core';
import type { CliIo } from './context.js';
import { modelJsonText } from './format/json.js';
import { renderSummary } from './format/table.js';
import { renderTermAnova } from './format/term-anova.js';

export function reportFit(
  io: CliIo,
  result: FitResult,
  args: { readonly json: boolean; readonly anova: boolean },
  how?: string,
): void {
  const { model, stats } = result;
  if (args.json) {
    io.stdout.write(modelJsonText(model));
    return;
  }
  io.stdout.write(
    renderSummary(model, {
      inputs: stats.inputs,
      units: stats.units,
      workers: stats.workers,
      seconds: stats.seconds,
      how,
    }),
  );
  if (args.anova) io.stdout.write(`\n${renderTermAnova(model)}`);
}
