/**
 * Run a command to completion with a time limit, capturing what it prints.
 * The Slurm harness runs daemons' client tools (sinfo, sbatch, scontrol) and
 * apt-get this way; none of them is allowed to hang the test.
 */
import { spawnSync } from 'node:child_process';

export interface CommandResult {
  /** Exit status; null when the command was killed (time limit) or could not start. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Why it did not run to an exit status, e.g. `timed out after 60 s` or `spawn sinfo ENOENT`. */
  readonly failure?: string;
}

export interface CommandOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly timeoutMs: number;
}

export function runCommand(
  command: string,
  args: readonly string[],
  options: CommandOptions,
): CommandResult {
  const result = spawnSync(command, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: options.timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  const out = { code: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
  if (result.error !== undefined) {
    const timedOut = (result.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
    const failure = timedOut
      ? `timed out after ${options.timeoutMs / 1000} s`
      : result.error.message;
    return { ...out, failure };
  }
  return out;
}

/** One line naming the command and how it failed, with the tail of what it printed. */
export function describeFailure(
  command: string,
  args: readonly string[],
  result: CommandResult,
): string {
  const how = result.failure ?? `exit ${result.code}`;
  const said = `${result.stderr}\n${result.stdout}`.trim().split('\n').slice(-5).join(' | ');
  return `${[command, ...args].join(' ')}: ${how}${said === '' ? '' : `: ${said}`}`;
}

/** Run and return stdout; throw naming the command when it does not exit 0. */
export function mustRun(command: string, args: readonly string[], options: CommandOptions): string {
  const result = runCommand(command, args, options);
  if (result.code !== 0) throw new Error(describeFailure(command, args, result));
  return result.stdout;
}
