/**
 * The `linreg` command line: yargs with explicit command modules registered
 * through one array. `main` never exits the process and never throws; it
 * returns the exit code, so tests call it in-process.
 */

import { UsageError } from '@linreg/errors';
import yargs, { type CommandModule } from 'yargs';
import { anovaCommand } from './commands/anova.js';
import { demoCommand } from './commands/demo.js';
import { fitCommand } from './commands/fit.js';
import { genCommand } from './commands/gen.js';
import { inspectCommand } from './commands/inspect.js';
import { predictCommand } from './commands/predict.js';
import { scoreCommand } from './commands/score.js';
import { summaryCommand } from './commands/summary.js';
import type { CliIo, CommandContext } from './context.js';
import { classifyError, ExitCode } from './exit-codes.js';
import { protectStdin } from './stdin-arg.js';
import { VERSION } from './version.js';

export type { CliIo, TextSink } from './context.js';
export { ExitCode } from './exit-codes.js';

type CommandFactory = (ctx: CommandContext) => CommandModule;

/**
 * Erase a command's argument type for the registry. yargs' CommandModule is
 * contravariant in its arguments through `handler`, so modules with different
 * argument shapes cannot share one array type; each module is typed on its own.
 */
const command = <A>(factory: (ctx: CommandContext) => CommandModule<object, A>): CommandFactory =>
  factory as unknown as CommandFactory;

const commands: readonly CommandFactory[] = [
  command(fitCommand),
  command(predictCommand),
  command(scoreCommand),
  command(summaryCommand),
  command(anovaCommand),
  command(inspectCommand),
  command(genCommand),
  command(demoCommand),
];

const defaultIo: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };

export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  const ctx: CommandContext = { io };
  const width = Math.min(100, io.stdout.columns ?? 100);
  const args = protectStdin(argv);
  let parser = yargs(args)
    .scriptName('linreg')
    .usage('$0 <command> [options]\n\nExact linear regression on files larger than memory.')
    .exitProcess(false)
    .strict()
    .demandCommand(1, 'a command is required (try linreg --help)')
    .wrap(width)
    .fail((message: string | undefined, error: Error | undefined) => {
      throw error ?? new UsageError(message ?? 'invalid command line');
    })
    .epilogue('Exit codes: 0 success, 1 the fit failed, 2 usage or bad input.');
  for (const factory of commands) parser = parser.command(factory(ctx));
  parser = parser.help().alias('help', 'h').version(VERSION).alias('version', 'V');
  try {
    let helpText = '';
    await parser.parseAsync(args, {}, (_err: Error | undefined, _args: unknown, output: string) => {
      helpText = output;
    });
    if (helpText !== '') io.stdout.write(`${helpText}\n`);
    return ExitCode.ok;
  } catch (error) {
    const { code, message } = classifyError(error);
    io.stderr.write(`linreg: ${message}\n`);
    return code;
  }
}
