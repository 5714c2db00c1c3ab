/**
 * Run one task message per unit through an executor (a source's pool, or the
 * calling thread) with a bounded number in flight, and hand the outputs to
 * the consumer strictly in unit order. The one scheduler of the engine.
 *
 * - Memory: at most `maxInFlight` units are submitted but not yet consumed
 *   (running, queued, or finished early and waiting for a predecessor), so
 *   memory is a constant times the number of workers, whatever the input size.
 * - Determinism: the consumer sees unit 0, 1, 2, … regardless of which
 *   worker finishes first.
 * - Failure: the first error (a worker failure, a rejected task, an error in
 *   the consumer, or the caller's AbortSignal) aborts every other task and
 *   rejects with that error; later errors are ignored.
 */
import { setMaxListeners } from 'node:events';
import { CancelledError, rebuildError, UnitError } from '@linreg/errors';
import type { TaskMessage, TaskReply, TaskSuccess } from '../tasks/protocol.js';

/** Runs one message; rejects only when the task could not run at all (worker crash, abort). */
export type Execute = (message: TaskMessage, signal: AbortSignal) => Promise<TaskReply>;

export interface RunUnitsOptions {
  readonly maxInFlight: number;
  readonly signal?: AbortSignal | undefined;
  /** Called once per unit, in unit order; the next call waits for a returned promise. */
  readonly onResult: (index: number, result: TaskSuccess) => void | Promise<void>;
}

export function runUnits(
  execute: Execute,
  tasks: readonly TaskMessage[],
  options: RunUnitsOptions,
): Promise<void> {
  const { maxInFlight, signal, onResult } = options;
  if (signal?.aborted) return Promise.reject(new CancelledError());
  const controller = new AbortController();
  // Every task in flight listens on this signal (piscina's abort hook): at 2 per
  // worker, 7 workers pass Node's default warning threshold of 10 listeners.
  setMaxListeners(maxInFlight + 8, controller.signal);
  return new Promise<void>((resolve, reject) => {
    const finished = new Map<number, TaskSuccess>();
    let nextSubmit = 0;
    let nextDeliver = 0;
    let failed = false;
    let delivering = false;

    const onAbort = (): void => fail(new CancelledError());
    signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = (): void => signal?.removeEventListener('abort', onAbort);

    function fail(error: unknown): void {
      if (failed) return;
      failed = true;
      cleanup();
      controller.abort();
      reject(error);
    }

    function succeedIfDone(): void {
      if (!failed && nextDeliver === tasks.length) {
        cleanup();
        resolve();
      }
    }

    function submit(): void {
      while (!failed && nextSubmit < tasks.length && nextSubmit - nextDeliver < maxInFlight) {
        const index = nextSubmit++;
        const task = tasks[index] as TaskMessage;
        execute(task, controller.signal).then(
          (result) => {
            if (failed) return;
            if (!result.ok) {
              fail(rebuildError(result.error, task.unit));
              return;
            }
            finished.set(index, result);
            void deliver();
          },
          (error: unknown) => {
            if (failed) return;
            const problem = error instanceof Error ? error.message : String(error);
            fail(new UnitError(task.unit.file, task.unit.label, `worker failed: ${problem}`));
          },
        );
      }
    }

    async function deliver(): Promise<void> {
      if (delivering) return;
      delivering = true;
      try {
        for (
          let r = finished.get(nextDeliver);
          r !== undefined && !failed;
          r = finished.get(nextDeliver)
        ) {
          finished.delete(nextDeliver);
          await onResult(nextDeliver, r);
          nextDeliver += 1;
          submit();
        }
      } catch (error) {
        fail(error);
      } finally {
        delivering = false;
      }
      succeedIfDone();
    }

    submit();
    succeedIfDone();
  });
}
