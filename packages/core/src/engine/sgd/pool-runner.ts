/**
 * An SgdRunner that sends one `sgdEpochTask` message per unit through a
 * worker pool, given a task-runner callback (so it works with the engine's
 * piscina pool whatever its declared task type):
 *
 *     const runner = poolSgdRunner(
 *       (message, options) => pool.run(message, { ...options, name: 'sgdEpochTask' }),
 *       { units: plan.units, design, missing, batchRows, signal },
 *     );
 *
 * Outputs are placed by unit index, so the driver reduces them in unit order
 * whichever worker finishes first. The first failure aborts the other tasks
 * and rejects with the error rebuilt in its class (wire-errors.ts), naming
 * the unit. The pool's own queue bounds the work in flight; each answer is
 * O(p) (O(p²) for the exact state), so holding all of them is cheap.
 */
import { setMaxListeners } from 'node:events';
import type { WorkUnit } from '@linreg/io';
import { CancelledError } from '../../errors.js';
import type { DesignColumns, MissingPolicy } from '../protocol.js';
import { rebuildError } from '../wire-errors.js';
import type { OutputOf, SgdPass, SgdRunner, SgdTaskMessage, SgdTaskReply } from './protocol.js';

export type SgdTaskRun = (
  message: SgdTaskMessage,
  options: { readonly signal: AbortSignal },
) => Promise<unknown>;

export interface PoolRunnerOptions {
  readonly units: readonly WorkUnit[];
  readonly design: DesignColumns;
  readonly missing: MissingPolicy;
  readonly batchRows: number;
  readonly signal?: AbortSignal | undefined;
}

export function poolSgdRunner(run: SgdTaskRun, options: PoolRunnerOptions): SgdRunner {
  const { units, design, missing, batchRows, signal } = options;
  return {
    units: units.length,
    async runPass<P extends SgdPass>(pass: P): Promise<readonly OutputOf<P>[]> {
      if (signal?.aborted) throw new CancelledError();
      const controller = new AbortController();
      // One abort listener per queued task is expected here, not a leak.
      setMaxListeners(units.length + 16, controller.signal);
      const onAbort = (): void => controller.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        return await Promise.all(
          units.map(async (unit) => {
            const message: SgdTaskMessage = { kind: 'sgd', unit, design, missing, batchRows, pass };
            let reply: SgdTaskReply;
            try {
              reply = (await run(message, { signal: controller.signal })) as SgdTaskReply;
            } catch (error) {
              controller.abort();
              if (signal?.aborted) throw new CancelledError();
              throw error;
            }
            if (reply.kind === 'failure') {
              controller.abort();
              throw rebuildError(reply.error, unit);
            }
            if (reply.output.kind !== pass.kind) {
              throw new TypeError(
                `sgd task for ${unit.label} answered a ${reply.output.kind} pass, expected ${pass.kind}`,
              );
            }
            return reply.output as OutputOf<P>;
          }),
        );
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    },
  };
}
