/**
 * Marks a worker's reply so that piscina moves its buffers instead of copying
 * them — piscina's `move()`, without importing the `piscina` package in every
 * worker thread. That import loads piscina's whole main-thread side (the pool,
 * its queues, histograms; ~8 ms of each thread's start here), while the
 * thread already runs piscina's worker script, whose `common.js` holds the
 * one function `move()` needs, `markMovable` (its symbol is private to that
 * module instance). So this takes `common.js` beside the `piscina` that
 * resolves from here, and uses it only if it is the instance running this
 * thread (piscina's worker script sets its `commonState.isWorkerThread`);
 * otherwise, or if its layout changed, it falls back to `move()`.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** piscina's public symbols (Symbol.for: the same in every module instance). */
const TRANSFERABLE = Symbol.for('Piscina.transferable');
const VALUE = Symbol.for('Piscina.valueOf');

type Mark = (value: object) => void;

interface PiscinaCommon {
  readonly markMovable?: unknown;
  readonly commonState?: { readonly isWorkerThread?: unknown };
}

function runningMarkMovable(): Mark | undefined {
  try {
    const local = createRequire(import.meta.url);
    const common = local(join(dirname(local.resolve('piscina')), 'common.js')) as PiscinaCommon;
    const mark = common.markMovable;
    return common.commonState?.isWorkerThread === true && typeof mark === 'function'
      ? (mark as Mark)
      : undefined;
  } catch {
    return undefined;
  }
}

let mark: Mark | undefined | null;

/** `value` with `transfer` marked to be moved, as piscina's move() returns it. */
export async function movable<T>(value: T, transfer: readonly ArrayBuffer[]): Promise<T> {
  const wrapped = { [TRANSFERABLE]: transfer, [VALUE]: value };
  mark ??= runningMarkMovable() ?? null;
  if (mark !== null) {
    mark(wrapped);
    return wrapped as unknown as T;
  }
  const { move } = await import('piscina');
  return move(wrapped as never) as unknown as T;
}
