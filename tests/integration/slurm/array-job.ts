/**
 * Run a Slurm array job to the end: `sbatch --wait --array=0-(N-1)`, which
 * returns when every task has ended and exits with the highest exit code of
 * its tasks. The test cluster's small MinJobAge keeps sbatch polling every
 * couple of seconds (slurm-conf.ts).
 */
import type { Cluster } from './cluster.js';
import { type CommandResult, describeFailure, runCommand } from './run-command.js';

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

export interface ArrayRun {
  readonly jobId: string;
  /** sbatch's exit: 0 when every task exited 0. */
  readonly sbatch: CommandResult;
}

/** Submit and wait; cancels the job and throws after `timeoutMs`. */
export function runArray(cluster: Cluster, job: ArraySubmission, timeoutMs: number): ArrayRun {
  const args = [
    '--wait',
    '--parsable',
    `--array=0-${job.tasks - 1}`,
    `--output=${job.output}`,
    `--chdir=${job.cwd}`,
    job.script,
    ...job.args,
  ];
  const env = { ...cluster.env, ...job.env };
  const sbatch = runCommand('sbatch', args, { env, timeoutMs });
  // --parsable prints the id at submission ("id" or "id;cluster").
  const jobId = /^(\d+)/.exec(sbatch.stdout.trim())?.[1];
  if (sbatch.failure !== undefined || jobId === undefined) {
    if (jobId !== undefined) cluster.slurm('scancel', [jobId]);
    throw new Error(describeFailure('sbatch', args, sbatch));
  }
  return { jobId, sbatch };
}
