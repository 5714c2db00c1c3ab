/**
 * A daemon run in the foreground as a child of the test (munged -F,
 * slurmctld -D, slurmd -D), its output appended to a log file. Children
 * rather than self-daemonizing processes so that the test holds their pids:
 * stopping them never needs a pid file or a search by name, and an exit hook
 * kills whatever is left if the test process ends abruptly.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

export interface Daemon {
  readonly name: string;
  readonly child: ChildProcess;
  /** Set once it has exited: `exit 1`, `signal SIGTERM`. */
  exit(): string | undefined;
}

const live = new Set<ChildProcess>();
let hooked = false;

/** Last resort on the way out (a crash, vitest's own timeout): no daemon outlives the test. */
function killLeftovers(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

export function startDaemon(
  name: string,
  command: string,
  args: readonly string[],
  log: string,
  env: NodeJS.ProcessEnv,
): Daemon {
  if (!hooked) {
    process.once('exit', killLeftovers);
    hooked = true;
  }
  const fd = openSync(log, 'a');
  let exit: string | undefined;
  const child = spawn(command, args, { env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  live.add(child);
  child.once('error', (error) => {
    exit ??= error.message;
    live.delete(child);
  });
  child.once('exit', (code, signal) => {
    exit ??= code !== null ? `exit ${code}` : `signal ${signal}`;
    live.delete(child);
  });
  return { name, child, exit: () => exit };
}

/** Resolves true once the daemon has exited, false if it is still running after `ms`. */
export function exited(daemon: Daemon, ms: number): Promise<boolean> {
  if (daemon.exit() !== undefined) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      daemon.child.off('exit', done);
      resolve(false);
    }, ms);
    const done = () => {
      clearTimeout(timer);
      resolve(true);
    };
    daemon.child.once('exit', done);
  });
}

/** SIGTERM, then SIGKILL if it has not gone within `graceMs`. */
export async function stopDaemon(daemon: Daemon, graceMs: number): Promise<void> {
  if (daemon.exit() !== undefined) return;
  daemon.child.kill('SIGTERM');
  if (await exited(daemon, graceMs)) return;
  daemon.child.kill('SIGKILL');
  await exited(daemon, 5_000);
}
