/**
 * The `linreg` command line: yargs with the commands of one registry
 * (commands/registry.ts). Only the module of the command being run is
 * imported, and with it core, Arrow, Parquet and `@stdlib`; every other
 * command is registered by its descriptor (command string and description,
 * all the top-level help shows), so `--help` and `--version` load none of
 * them. `main` never exits the process and never throws; it returns the exit
 * code, so tests call it in-process.
 */

import { UsageError } from '@linreg/errors';
import type { CommandModule } from 'yargs';
import { COMMANDS, invokedCommand } from './commands/registry.js';
import type { CliIo, CommandContext } from './context.js';
import { classifyError, ExitCode } from './exit-codes.js';
import { skipHelpCache } from './skip-help-cache.js';
import { protectStdin } from './stdin-arg.js';
import { VERSION } from './version.js';

export type { CliIo, TextSink } from './context.js';
export { ExitCode } from './exit-codes.js';

const defaultIo: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };

export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  const ctx: CommandContext = { io };
  const args = protectStdin(argv);
  // `linreg --version` alone: the answer yargs would print, without loading yargs.
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    io.stdout.write(`${VERSION}\n`);
    return ExitCode.ok;
  }
  try {
    const { default: yargs } = await import('yargs');
    const width = Math.min(100, io.stdout.columns ?? 100);
    const invoked = invokedCommand(args);
    const factory = await invoked?.load();
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
    for (const descriptor of COMMANDS) {
      const module: CommandModule =
        descriptor === invoked && factory !== undefined
          ? factory(ctx)
          : { command: descriptor.command, describe: descriptor.describe, handler: () => {} };
      parser = parser.command(module);
    }
    parser = parser.help().alias('help', 'h').version(VERSION).alias('version', 'V');
    skipHelpCache(parser);
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
