/**
 * UnitOrderReducer's tree (reduce.ts) with merges that run elsewhere — a pool
 * worker — and so return promises. The pairs and the shape are the same,
 * functions of the number of units alone, so a deterministic merge gives the
 * same bits as the synchronous reducer; but each merge starts as soon as its
 * two inputs are ready, and merges whose inputs are ready at once run at once.
 *
 * Why: merged on the main thread, every unit's state costs one merge there in
 * turn — at p = 1,000 ~35 ms, at p = 500 (merged in double-double) ~85 ms,
 * at p = 4,000 ~2.2 s — so with many workers the main thread, not the
 * reading, sets the pace (32 workers finishing a unit of a p = 1,000 fit each
 * 0.5 s hand it 32 × 35 ms of merges per 0.5 s). Off the main thread the
 * merges of a level run side by side, and the pass waits for ⌈log₂ n⌉ of them
 * after its last unit.
 *
 * Memory: a merge holds its two inputs until it ends; `whenBelow` lets the
 * caller stop taking units while `limit` merges run, so the states held stay
 * a constant times the workers.
 */

import { UnitOrderReducer } from './reduce.js';

/** A node of the tree: the units it merges, first and last, and its state when ready. */
interface Node<S> {
  readonly first: number;
  readonly last: number;
  readonly state: Promise<S>;
}

/** Merges `left` (units first…) with `right` (… last); a promise of the merged state. */
export type AsyncMerge<S> = (left: S, right: S, first: number, last: number) => Promise<S>;

export class AsyncUnitOrderReducer<S> {
  readonly #merge: AsyncMerge<S>;
  /**
   * The synchronous reducer over nodes: its "merge" only links two nodes into
   * their parent, whose state is the merge of theirs once both are ready — so
   * the tree is UnitOrderReducer's by construction.
   */
  readonly #tree: UnitOrderReducer<Node<S>>;
  /** Merges started (both inputs ready) and not yet ended. */
  #running = 0;
  #failure: { readonly error: unknown } | undefined;
  #waiters: (() => void)[] = [];

  constructor(merge: AsyncMerge<S>) {
    this.#merge = merge;
    this.#tree = new UnitOrderReducer((left, right) => this.#pair(left, right));
  }

  /** Merges running now. */
  get running(): number {
    return this.#running;
  }

  /** Hand in the state of unit `index` (any order, each index once). */
  add(index: number, state: S): void {
    this.#tree.add(index, { first: index, last: index, state: Promise.resolve(state) });
  }

  /** Resolves once fewer than `limit` merges run; rejects with the first merge's failure. */
  async whenBelow(limit: number): Promise<void> {
    while (this.#failure === undefined && this.#running >= Math.max(1, limit)) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    if (this.#failure !== undefined) throw this.#failure.error;
  }

  /** The merge of all units; rejects if any unit before `count` is missing, or a merge failed. */
  async finish(count: number): Promise<S | undefined> {
    return this.#tree.finish(count)?.state;
  }

  #pair(left: Node<S>, right: Node<S>): Node<S> {
    const state = Promise.all([left.state, right.state]).then(([a, b]) => {
      this.#running += 1;
      return this.#merge(a, b, left.first, right.last).finally(() => {
        this.#running -= 1;
        this.#wake();
      });
    });
    // Recorded here, so a failure is handled at once (no unhandled rejection
    // while nothing awaits it yet) and stops the caller at its next whenBelow.
    state.catch((error: unknown) => {
      this.#failure ??= { error };
      this.#wake();
    });
    return { first: left.first, last: right.last, state };
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
