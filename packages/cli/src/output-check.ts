/**
 * Output paths are checked before any data is read, so a run that cannot
 * write its result fails at once, and an output can never replace an input.
 */
import { checkOutputPath, type DataFormat, isRemote, resolveInputs, STDIN } from '@linreg/io';
import { restoreStdin } from './stdin-arg.js';

/**
 * Checks `output` (see checkOutputPath: its directory exists, it is not a
 * directory, device or other non-regular file) and that it is none of the
 * files `inputs` expand to (directories and globs included), nor any of
 * `files` (e.g. the model file of predict). Standard input (`-`) is skipped,
 * and so are remote inputs (an output is always a local file).
 */
export async function checkOutputAgainstInputs(
  output: string,
  inputs: readonly unknown[],
  options: { readonly files?: readonly string[]; readonly format?: unknown } = {},
): Promise<void> {
  await checkOutputPath(output);
  const named = restoreStdin(inputs.map(String)).filter(
    (input) => input !== STDIN && !isRemote(input),
  );
  const format = typeof options.format === 'string' ? (options.format as DataFormat) : undefined;
  const expanded =
    named.length === 0 ? [] : (await resolveInputs(named, { format })).map((r) => r.file);
  await checkOutputPath(output, [...(options.files ?? []), ...expanded]);
}
