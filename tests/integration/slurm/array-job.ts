/**
 * Submit a Slurm array job and wait for every task. `sbatch --wait` would do
 * the waiting, but it polls at growing intervals (up to 30 s here), so the
 * test submits with --parsable and polls squeue itself; then it reads each
 * task's end state and exit code from `scontrol show job` (the cluster keeps
 * finished jobs for MinJobAge).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cluster } from './cluster.js';
import { describeFailure, runCommand } from './run-command.js';

export interface ArrayTask {
  readonly index: number;
  /** COMPLETED, FAILED, CANCELLED, TIMEOUT, … */
  readonly state: string;
  /** `exit:signal`, e.g. `0:0`, `2:0`. */
  readonly exitCode: string;
}

export interface ArraySubmission {
  readonly script: string;
  readonly args: readonly string[];
  /** Tasks 0 … tasks-1. */
  readonly tasks: number;
  /** sbatch --output pattern (%A the job, %a the task). */
  readonly output: string;
  readonly cwd: string;
  /** Added to the cluster's environment; sbatch exports it to the tasks. */
  readonly env: NodeJS.ProcessEnv;
}

/** Submit; returns the array's job id. */
export function submitArray(cluster: Cluster, job: ArraySubmission): string {
  const args = [
    '--parsable',
    `--array=0-${job.tasks - 1}`,
    `--output=${job.output}`,
    `--chdir=${job.cwd}`,
    job.script,
    ...job.args,
  ];
  const env = { ...cluster.env, ...job.env };
  const result = runCommand('sbatch', args, { env, timeoutMs: 30_000 });
  if (result.code !== 0) throw new Error(describeFailure('sbatch', args, result));
  const id = result.stdout.trim().split(';')[0] ?? '';
  if (!/^\d+$/.test(id)) throw new Error(`sbatch printed no job id: ${result.stdout}`);
  return id;
}

const field = (line: string, name: string): string | undefined =>
  new RegExp(`(?:^|\\s)${name}=(\\S+)`).exec(line)?.[1];

/** Every task of the array once none is pending or running; cancels it after `timeoutMs`. */
export async function waitForArray(
  cluster: Cluster,
  jobId: string,
  timeoutMs: number,
): Promise<ArrayTask[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const queue = cluster.slurm('squeue', ['-h', '-j', jobId, '-o', '%i %T']);
    // squeue -j of a job that has left the queue is an error on some versions, empty on others.
    if (queue.code !== 0 || queue.stdout.trim() === '') break;
    if (Date.now() > deadline) {
      cluster.slurm('scancel', [jobId]);
      throw new Error(
        `array job ${jobId} not done after ${timeoutMs / 1000} s, cancelled:\n${queue.stdout}`,
      );
    }
    await sleep(250);
  }
  const show = cluster.slurm('scontrol', ['-o', 'show', 'job', jobId]);
  if (show.code !== 0) throw new Error(describeFailure('scontrol', ['show', 'job', jobId], show));
  return show.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => ({
      index: Number(field(line, 'ArrayTaskId')),
      state: field(line, 'JobState') ?? '?',
      exitCode: field(line, 'ExitCode') ?? '?',
    }))
    .sort((a, b) => a.index - b.index);
}
