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
 * - Failure: errors are reported in unit order too, so the same input always
 *   names the same unit. A unit that fails (a rejected task, a worker failure)
 *   stops the units after it (aborted, none submitted), and the run rejects
 *   with its error once every unit before it is consumed — or with the error
 *   of an earlier unit, or of the consumer, met on the way. The caller's
 *   AbortSignal rejects at once.
 */
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
  return new Promise<void>((resolve, reject) => {
    const finished = new Map<number, TaskSuccess>();
    /** The units in flight, each with its own abort (piscina's per-task hook). */
    const inFlight = new Map<number, AbortController>();
    let nextSubmit = 0;
    let nextDeliver = 0;
    /** The lowest unit that failed (∞ while none has), and its error. */
    let failedAt = Number.POSITIVE_INFINITY;
    let failure: unknown;
    let failed = false;
    let delivering = false;

    const onAbort = (): void => fail(new CancelledError());
    signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = (): void => signal?.removeEventListener('abort', onAbort);

    function fail(error: unknown): void {
      if (failed) return;
      failed = true;
      cleanup();
      for (const controller of inFlight.values()) controller.abort();
      inFlight.clear();
      reject(error);
    }

    /** Unit `index` failed: later units can no longer be the one to report. */
    function unitFailed(index: number, error: unknown): void {
      if (failed || index >= failedAt) return;
      failedAt = index;
      failure = error;
      for (const [i, controller] of inFlight) {
        if (i > index) {
          controller.abort();
          inFlight.delete(i);
        }
      }
      void deliver();
    }

    function succeedIfDone(): void {
      if (!failed && nextDeliver === tasks.length) {
        cleanup();
        resolve();
      }
    }

    function submit(): void {
      const end = Math.min(tasks.length, failedAt);
      while (!failed && nextSubmit < end && nextSubmit - nextDeliver < maxInFlight) {
        const index = nextSubmit++;
        const task = tasks[index] as TaskMessage;
        const controller = new AbortController();
        inFlight.set(index, controller);
        execute(task, controller.signal).then(
          (result) => {
            inFlight.delete(index);
            if (failed || index > failedAt) return;
            if (!result.ok) {
              unitFailed(index, rebuildError(result.error, task.unit));
              return;
            }
            finished.set(index, result);
            void deliver();
          },
          (error: unknown) => {
            inFlight.delete(index);
            if (failed || index > failedAt) return;
            const problem = error instanceof Error ? error.message : String(error);
            unitFailed(
              index,
              new UnitError(task.unit.file, task.unit.label, `worker failed: ${problem}`),
            );
          },
        );
      }
    }

    async function deliver(): Promise<void> {
      if (delivering) return;
      delivering = true;
      try {
        while (!failed) {
          if (nextDeliver === failedAt) {
            fail(failure);
            break;
          }
          const r = finished.get(nextDeliver);
          if (r === undefined) break;
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
