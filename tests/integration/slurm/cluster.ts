/**
 * A one-node Slurm cluster on localhost for the length of a test: MUNGE with
 * a fresh key, slurmctld and slurmd as children of the test, all state under
 * one temporary directory. `startCluster` either returns a cluster whose node
 * is idle, or tears down what it started and says why it could not.
 */
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, hostname, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Daemon, exited, startDaemon, stopDaemon } from './daemon.js';
import { freePort } from './free-port.js';
import { type CommandResult, runCommand } from './run-command.js';
import { slurmConf } from './slurm-conf.js';

export interface Cluster {
  readonly dir: string;
  readonly node: string;
  /** The environment client tools need (SLURM_CONF points at this cluster). */
  readonly env: NodeJS.ProcessEnv;
  /** Run a Slurm client tool (sinfo, sbatch, scontrol, …) against this cluster. */
  slurm(command: string, args: readonly string[], timeoutMs?: number): CommandResult;
  /** The last lines of every daemon's log, for a failure message. */
  logTail(lines: number): string;
  /** Cancel every job, stop the daemons, remove the directory. Safe to call twice. */
  stop(): Promise<void>;
}

export type ClusterStart =
  | { readonly ok: true; readonly cluster: Cluster }
  | { readonly ok: false; readonly reason: string };

const MIB = 2 ** 20;

function shortHostname(): string {
  const result = runCommand('hostname', ['-s'], { timeoutMs: 5_000 });
  const name = result.code === 0 ? result.stdout.trim() : '';
  return name !== '' ? name : (hostname().split('.')[0] ?? 'localhost');
}

/**
 * Poll `test` (undefined: done; else what is still missing) until done; fail
 * at once when `fatal` says something (a daemon has died), or after `ms`.
 */
async function until(
  what: string,
  ms: number,
  fatal: () => string | undefined,
  test: () => string | undefined,
): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const dead = fatal();
    if (dead !== undefined) throw new Error(`${what}: ${dead}`);
    const last = test();
    if (last === undefined) return;
    if (Date.now() > deadline) throw new Error(`${what}: not after ${ms / 1000} s (${last})`);
    await sleep(200);
  }
}

/**
 * Start the cluster. `timeoutMs` bounds the wait for the node to be idle;
 * set LINREG_SLURM_KEEP=1 to keep the directory (config and logs) afterwards.
 */
export async function startCluster(timeoutMs: number): Promise<ClusterStart> {
  const dir = mkdtempSync(join(tmpdir(), 'linreg-slurm-'));
  // MUNGE refuses a socket whose directory others cannot traverse.
  chmodSync(dir, 0o755);
  for (const sub of ['log', 'state', 'spool', 'munge']) mkdirSync(join(dir, sub));
  const node = shortHostname();
  const socket = join(dir, 'munge', 'munge.socket');
  const conf = join(dir, 'slurm.conf');
  const env: NodeJS.ProcessEnv = { ...process.env, SLURM_CONF: conf };
  const daemons: Daemon[] = [];
  let stopped = false;

  const logTail = (lines: number): string =>
    ['munged.log', 'slurmctld.log', 'slurmd.log']
      .map((name) => join(dir, 'log', name))
      .filter((path) => existsSync(path))
      .map((path) => {
        const text = readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
        return `--- ${path}\n${text}`;
      })
      .join('\n');

  const slurm = (command: string, args: readonly string[], ms = 30_000): CommandResult =>
    runCommand(command, args, { env, timeoutMs: ms });

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    const ctld = daemons.find((d) => d.name === 'slurmctld');
    let shutdown = false;
    if (ctld !== undefined && ctld.exit() === undefined) {
      // Cancel first: slurmd's job steps (slurmstepd) are not its children
      // and would outlive `scontrol shutdown`.
      slurm('scancel', ['--partition', 'linreg'], 15_000);
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline) {
        const queue = slurm('squeue', ['-h', '-o', '%i'], 10_000);
        if (queue.code !== 0 || queue.stdout.trim() === '') break;
        await sleep(250);
      }
      shutdown = slurm('scontrol', ['shutdown'], 15_000).code === 0;
    }
    // slurmd and slurmctld first (they still talk to munged), munged last; the
    // Slurm daemons got `scontrol shutdown` and are given time to save and go.
    for (const daemon of [...daemons].reverse()) {
      const asked = shutdown && daemon.name !== 'munged';
      if (!asked || !(await exited(daemon, 10_000))) await stopDaemon(daemon, 5_000);
    }
    if (process.env.LINREG_SLURM_KEEP === undefined) rmSync(dir, { recursive: true, force: true });
  };

  const fail = async (reason: string): Promise<ClusterStart> => {
    const logs = logTail(8);
    await stop();
    return { ok: false, reason: `${reason}${logs === '' ? '' : `\n${logs}`}` };
  };

  const start = (name: string, command: string, args: readonly string[]): void => {
    daemons.push(startDaemon(name, command, args, join(dir, 'log', `${name}.out`), env));
  };
  const dead = (): string | undefined => {
    const gone = daemons.find((d) => d.exit() !== undefined);
    return gone === undefined ? undefined : `${gone.name} ended (${gone.exit()})`;
  };

  try {
    const key = join(dir, 'munge', 'munge.key');
    writeFileSync(key, randomBytes(1024), { mode: 0o400 });
    start('munged', 'munged', [
      '--foreground',
      '--force',
      `--socket=${socket}`,
      `--key-file=${key}`,
      `--log-file=${join(dir, 'log', 'munged.log')}`,
      `--pid-file=${join(dir, 'munge', 'munged.pid')}`,
      `--seed-file=${join(dir, 'munge', 'munged.seed')}`,
    ]);
    await until('munged socket', 15_000, dead, () =>
      existsSync(socket) ? undefined : 'no socket',
    );

    const ctldPort = await freePort();
    let slurmdPort = await freePort();
    // Each port was free when asked for; the kernel may hand out the same one twice.
    while (slurmdPort === ctldPort) slurmdPort = await freePort();
    writeFileSync(
      conf,
      slurmConf({
        node,
        dir,
        mungeSocket: socket,
        ctldPort,
        slurmdPort,
        cpus: availableParallelism(),
        realMemory: Math.floor((totalmem() / MIB) * 0.9),
      }),
    );
    // -i: ignore any saved state (there is none in a fresh directory anyway).
    start('slurmctld', 'slurmctld', ['-D', '-i', '-f', conf]);
    start('slurmd', 'slurmd', ['-D', '-f', conf, '-N', node]);
    await until(`node ${node} idle`, timeoutMs, dead, () => {
      const info = slurm('sinfo', ['-h', '-N', '-o', '%N %t %E'], 10_000);
      const line = info.stdout.trim();
      return info.code === 0 && /^\S+ idle\b/.test(line) ? undefined : line || info.stderr.trim();
    });
  } catch (error) {
    return fail((error as Error).message);
  }
  return { ok: true, cluster: { dir, node, env, slurm, logTail, stop } };
}
