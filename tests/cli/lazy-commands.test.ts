/**
 * Commands are registered by descriptors and their modules imported only when
 * run (start-up): each descriptor must say what its module says, and the
 * top-level help and `--version` must not need any command module.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMANDS, invokedCommand } from '../../packages/cli/src/commands/registry.js';
import { runCli } from '../e2e/cli-harness.js';

describe('lazy command registry', () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))(
    '%s: the descriptor matches its module',
    async (name, descriptor) => {
      const module = (await descriptor.load())({
        io: { stdout: { write: () => true }, stderr: { write: () => true } },
      });
      expect(module.command).toBe(descriptor.command);
      expect(module.describe).toBe(descriptor.describe);
      expect(descriptor.command.split(' ')[0]).toBe(name);
    },
  );

  it('finds the command word past the top-level flags', () => {
    expect(invokedCommand(['--help'])).toBeUndefined();
    expect(invokedCommand(['-h', 'fit', 'a.csv'])?.name).toBe('fit');
    expect(invokedCommand(['score', 'm.json', 'd/'])?.name).toBe('score');
    expect(invokedCommand(['fitt'])).toBeUndefined();
  });

  it('--version and -V print the version without yargs, as yargs does', async () => {
    const { version } = JSON.parse(
      readFileSync(new URL('../../packages/cli/package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    for (const flag of ['--version', '-V']) {
      const run = await runCli([flag]);
      expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
    // through yargs (two flags, so not the fast path) the same text
    expect((await runCli(['-V', '--version'])).stdout).toBe(`${version}\n`);
  });

  it('the built binary prints the top-level help without loading a command module', () => {
    const bin = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));
    // a resolve hook (module.register, Node ≥ 20.6) writes every URL the process resolves
    const dir = mkdtempSync(join(tmpdir(), 'linreg-lazy-'));
    const trace = join(dir, 'resolved.txt');
    writeFileSync(
      join(dir, 'hooks.mjs'),
      "import { appendFileSync } from 'node:fs';\n" +
        'export async function resolve(specifier, context, next) {\n' +
        '  const result = await next(specifier, context);\n' +
        "  appendFileSync(process.env.LINREG_RESOLVE_TRACE, result.url + '\\n');\n" +
        '  return result;\n}\n',
    );
    writeFileSync(
      join(dir, 'register.mjs'),
      "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n",
    );
    try {
      const run = spawnSync(
        process.execPath,
        ['--import', pathToFileURL(join(dir, 'register.mjs')).href, bin, '--help'],
        { encoding: 'utf8', env: { ...process.env, LINREG_RESOLVE_TRACE: trace } },
      );
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('linreg <command> [options]');
      const resolved = readFileSync(trace, 'utf8').trim().split('\n');
      expect(resolved.some((url) => url.includes('yargs'))).toBe(true);
      const heavy = resolved.filter((url) =>
        /\/commands\/(?!registry)|\/core\/dist\/|apache-arrow|@stdlib|hyparquet/.test(url),
      );
      expect(heavy).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
