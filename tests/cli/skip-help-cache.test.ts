/**
 * main() stops yargs rendering the command's help after every handler it runs
 * (packages/cli/src/skip-help-cache.ts). The hook reaches into yargs'
 * internals, so this fails when a yargs upgrade moves them; and the help a
 * user asks for must still be there.
 */
import { describe, expect, it } from 'vitest';
import { skipHelpCache } from '../../packages/cli/src/skip-help-cache.js';
import { runCli } from '../e2e/cli-harness.js';

/** The slice of yargs this test drives (yargs is the CLI package's dependency, not the root's). */
interface Parser {
  exitProcess(exit: boolean): Parser;
  command(module: {
    command: string;
    describe: string;
    handler: (argv: { x?: unknown }) => void;
  }): Parser;
  option(key: string, option: { type: 'number'; describe: string }): Parser;
  parseAsync(args: string[]): Promise<unknown>;
}
const yargsUrl = new URL('../../packages/cli/node_modules/yargs/index.mjs', import.meta.url).href;
const { default: yargs } = (await import(yargsUrl)) as { default: (args: string[]) => Parser };

interface UsageProbe {
  getInternalMethods(): { getUsageInstance(): { hasCachedHelpMessage(): boolean } };
}

function parserWithCommand(ran: string[]) {
  return yargs([])
    .exitProcess(false)
    .option('alpha', { type: 'number', describe: 'an option' })
    .command({
      command: 'go <x>',
      describe: 'a command',
      handler: (argv) => {
        ran.push(String(argv.x));
      },
    });
}

describe('skipHelpCache', () => {
  it('yargs caches the help after a handler unless the hook is applied', async () => {
    const ran: string[] = [];
    const plain = parserWithCommand(ran);
    await plain.parseAsync(['go', 'a']);
    const plainUsage = (plain as unknown as UsageProbe).getInternalMethods().getUsageInstance();
    expect(plainUsage.hasCachedHelpMessage()).toBe(true);

    const hooked = parserWithCommand(ran);
    expect(skipHelpCache(hooked)).toBe(true);
    await hooked.parseAsync(['go', 'b']);
    const hookedUsage = (hooked as unknown as UsageProbe).getInternalMethods().getUsageInstance();
    expect(hookedUsage.hasCachedHelpMessage()).toBe(false);
    expect(ran).toEqual(['a', 'b']);
  });

  it('leaves an object without those internals alone', () => {
    expect(skipHelpCache({})).toBe(false);
  });

  it('fit --help still prints every option, and a bad option is still one line', async () => {
    const help = await runCli(['fit', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--learning-rate');
    expect(help.stdout).toContain('linreg fit <inputs..>');
    const bad = await runCli(['fit', 'x.csv', '-y', 'y', '--bogus']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('linreg: Unknown argument: bogus\n');
  });
});
