/**
 * The pool a file source runs its tasks on: the caller's shared pool (left
 * running), or the source's own, started at the first task and ended on
 * release — and also whenever it has been idle RETIRE_IDLE_MS, started
 * again by the next task.
 *
 * Why retire: a thread that has read a unit keeps its memory while it waits
 * (the decoded row group, its state, module memory) — an idle thread runs no
 * garbage collection — and only its end frees it. A wide fit idles its
 * workers for seconds while the main thread merges and solves: at p = 4,000
 * two idle workers held ~700 MB through the solve. A later pass (refinement,
 * robust SE) then starts new threads, ~0.1 s each; between the passes of a
 * tall fit the workers idle for milliseconds and stay. (piscina's own
 * idleTimeout can leave a thread running: a timer it sets as a task's reply
 * is taken synchronously can be cleared by the microtask of the post before.)
 */
import type { FooterSeed } from '@linreg/io';
import { createPool, type PoolMessage, poolSize, type WorkerPool } from './pool.js';
import type { TaskReply } from './tasks/protocol.js';

/** An own pool idle this long is ended (its threads and their memory); the next task starts another. */
export const RETIRE_IDLE_MS = 1_000;

export interface PoolLease {
  /** Threads the tasks run on (a shared pool's maxThreads). */
  readonly workers: number;
  /** Threads running now: 0 before the first task and after a retirement. */
  readonly threads: number;
  /** Runs one message; `transfer`: its buffers to move to the worker rather than copy. */
  run(message: PoolMessage, signal: AbortSignal, transfer?: ArrayBuffer[]): Promise<TaskReply>;
  release(): Promise<void>;
}

/**
 * Use `shared` when given (its size is its maxThreads; `requested` is then
 * ignored), else own pools of poolSize(requested, units) threads, each given
 * `footers()` (worker-boot.ts), asked once.
 */
export function leasePool(
  shared: WorkerPool | undefined,
  requested: number,
  units: number,
  workerFile: string | undefined,
  footers: () => readonly FooterSeed[] = () => [],
): PoolLease {
  if (shared !== undefined) {
    return {
      workers: shared.maxThreads,
      get threads() {
        return shared.threads.length;
      },
      run: (message, signal, transfer) => shared.run(message, { signal, transferList: transfer }),
      release: async () => {},
    };
  }
  const workers = poolSize(requested, units);
  const seeds = footers();
  let pool: WorkerPool | undefined;
  let running = 0;
  let idle: NodeJS.Timeout | undefined;
  // Waiting for threads to exit (~30 ms for two) would only hold back the
  // caller: the process stays up until they have, so nothing is cut short,
  // and a failure to stop them has nothing left to spoil.
  const wake = (): void => {
    if (idle !== undefined) clearTimeout(idle);
    idle = undefined;
  };
  const end = (): void => {
    wake();
    pool?.destroy().catch(() => {});
    pool = undefined;
  };
  const settled = (): void => {
    running -= 1;
    if (running > 0 || pool === undefined) return;
    idle = setTimeout(end, RETIRE_IDLE_MS);
    idle.unref();
  };
  return {
    workers,
    get threads() {
      return pool?.threads.length ?? 0;
    },
    run: (message, signal, transfer) => {
      wake();
      pool ??= createPool({ workers, workerFile, footers: seeds });
      running += 1;
      const reply = pool.run(message, { signal, transferList: transfer });
      reply.then(settled, settled);
      return reply;
    },
    release: () => {
      end();
      return Promise.resolve();
    },
  };
}
