/**
 * Make Slurm and MUNGE available: the Debian packages `slurm-wlm` and `munge`,
 * installed with apt-get when the binaries are missing. Installing needs root
 * and a reachable Debian mirror; when either is missing the result says why,
 * and the test is skipped with that reason rather than failed.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describeFailure, runCommand } from './run-command.js';

/** Everything the harness runs: the daemons, the client tools, MUNGE's. */
export const SLURM_BINARIES = [
  'munged',
  'slurmctld',
  'slurmd',
  'sinfo',
  'sbatch',
  'squeue',
  'scontrol',
  'scancel',
] as const;

export type SlurmInstall =
  | { readonly ok: true; readonly installed: boolean; readonly seconds: number }
  | { readonly ok: false; readonly reason: string };

/** The executable `name` on PATH (with the sbin directories root has), or undefined. */
export function which(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    if (dir === '') continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

const missing = (): string[] => SLURM_BINARIES.filter((name) => which(name) === undefined);

/**
 * Install when needed. `timeoutMs` bounds each apt-get run; a stale or absent
 * package list (a fresh container) gets one `apt-get update` and a retry.
 */
export function ensureSlurm(timeoutMs: number): SlurmInstall {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  if (process.platform !== 'linux') return { ok: false, reason: `not Linux (${process.platform})` };
  // Installing needs root, and so does the cluster: its config says SlurmUser=root.
  if (process.getuid?.() !== 0) return { ok: false, reason: 'not root (installs and runs Slurm)' };
  if (missing().length === 0) return { ok: true, installed: false, seconds: seconds() };
  if (which('apt-get') === undefined) {
    return { ok: false, reason: `${missing().join(', ')} missing, and there is no apt-get` };
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = [
    'install',
    '-y',
    '-q',
    '--no-install-recommends',
    // Wait for another apt run to finish rather than fail on its lock.
    '-o',
    'DPkg::Lock::Timeout=120',
    'slurm-wlm',
    'munge',
  ];
  let result = runCommand('apt-get', install, { env, timeoutMs });
  if (result.code !== 0 && result.failure === undefined) {
    const update = runCommand('apt-get', ['update', '-q'], { env, timeoutMs });
    if (update.code !== 0) {
      return { ok: false, reason: describeFailure('apt-get', ['update', '-q'], update) };
    }
    result = runCommand('apt-get', install, { env, timeoutMs });
  }
  if (result.code !== 0) return { ok: false, reason: describeFailure('apt-get', install, result) };
  const still = missing();
  if (still.length > 0) {
    return {
      ok: false,
      reason: `apt-get installed slurm-wlm and munge but not ${still.join(', ')}`,
    };
  }
  return { ok: true, installed: true, seconds: seconds() };
}
