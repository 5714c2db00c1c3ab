/**
 * The slurm.conf of a one-node cluster on localhost, for a container:
 * everything Slurm writes (state, spool, PID files, logs) under one temporary
 * directory, nothing under /etc or /var, and no cgroups — containers usually
 * cannot mount or delegate them, so processes are tracked through /proc
 * (proctrack/linuxproc) and tasks are not bound (task/none).
 */

export interface SlurmConfInput {
  /** `hostname -s`: slurmd finds its node line by this name. */
  readonly node: string;
  /** The cluster's directory; the paths below are inside it. */
  readonly dir: string;
  readonly mungeSocket: string;
  /** Free TCP ports, so that a Slurm already on the default 6817/6818 is not disturbed. */
  readonly ctldPort: number;
  readonly slurmdPort: number;
  readonly cpus: number;
  /** MiB; at most what the machine has, or slurmd drains the node. */
  readonly realMemory: number;
}

export function slurmConf(c: SlurmConfInput): string {
  return `${[
    'ClusterName=linregtest',
    `SlurmctldHost=${c.node}(127.0.0.1)`,
    `SlurmctldPort=${c.ctldPort}`,
    `SlurmdPort=${c.slurmdPort}`,
    // root runs the daemons and submits the jobs: the test already is root to install.
    'SlurmUser=root',
    'SlurmdUser=root',
    'AuthType=auth/munge',
    'CredType=cred/munge',
    `AuthInfo=socket=${c.mungeSocket}`,
    `StateSaveLocation=${c.dir}/state`,
    `SlurmdSpoolDir=${c.dir}/spool`,
    `SlurmctldPidFile=${c.dir}/slurmctld.pid`,
    `SlurmdPidFile=${c.dir}/slurmd.pid`,
    `SlurmctldLogFile=${c.dir}/log/slurmctld.log`,
    `SlurmdLogFile=${c.dir}/log/slurmd.log`,
    'ProctrackType=proctrack/linuxproc',
    'TaskPlugin=task/none',
    'JobAcctGatherType=jobacct_gather/none',
    'AccountingStorageType=accounting_storage/none',
    'JobCompType=jobcomp/none',
    'MpiDefault=none',
    'SwitchType=switch/none',
    'SchedulerType=sched/backfill',
    'SelectType=select/cons_tres',
    'SelectTypeParameters=CR_Core',
    // Start queued array tasks as soon as CPUs free up, not in 3-second batches.
    'SchedulerParameters=batch_sched_delay=0',
    'ReturnToService=2',
    'SlurmctldTimeout=30',
    'SlurmdTimeout=30',
    'InactiveLimit=0',
    'KillWait=5',
    // sbatch --wait polls at growing intervals unless MinJobAge is small (a
    // finished job must not be purged between two of its polls). Measured
    // here on a two-round fit (4 sbatch --wait): 96 s with MinJobAge=600, 20 s with 4.
    'MinJobAge=4',
    `NodeName=${c.node} NodeAddr=127.0.0.1 CPUs=${c.cpus} RealMemory=${c.realMemory} State=UNKNOWN`,
    `PartitionName=linreg Nodes=${c.node} Default=YES MaxTime=INFINITE State=UP`,
  ].join('\n')}\n`;
}
