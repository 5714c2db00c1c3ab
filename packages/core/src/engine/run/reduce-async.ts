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

interface Entry<S> {
  readonly level: number;
  /** The units the entry merges, first and last (for the merge's name in errors). */
  readonly first: number;
  readonly last: number;
  readonly state: Promise<S>;
}

/** Merges `left` (units first…) with `right` (… last); a promise of the merged state. */
export type AsyncMerge<S> = (left: S, right: S, first: number, last: number) => Promise<S>;

export class AsyncUnitOrderReducer<S> {
  readonly #merge: AsyncMerge<S>;
  readonly #stack: Entry<S>[] = [];
  readonly #pending = new Map<number, S>();
  #next = 0;
  /** Merges started (both inputs ready) and not yet ended. */
  #running = 0;
  #failure: { readonly error: unknown } | undefined;
  #waiters: (() => void)[] = [];

  constructor(merge: AsyncMerge<S>) {
    this.#merge = merge;
  }

  /** Merges running now. */
  get running(): number {
    return this.#running;
  }

  /** Hand in the state of unit `index` (any order, each index once). */
  add(index: number, state: S): void {
    if (!Number.isInteger(index) || index < this.#next || this.#pending.has(index)) {
      throw new RangeError(`unit ${index} was already added or is not a valid index`);
    }
    this.#pending.set(index, state);
    for (
      let s = this.#pending.get(this.#next);
      s !== undefined;
      s = this.#pending.get(this.#next)
    ) {
      this.#pending.delete(this.#next);
      this.#push(this.#next, s);
      this.#next += 1;
    }
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
    if (this.#next !== count || this.#pending.size > 0) {
      throw new RangeError(`reducer has ${this.#next} of ${count} units in order`);
    }
    // Right to left, as UnitOrderReducer.finish: merge(s₀, merge(s₁, … s_t)).
    let acc: Entry<S> | undefined;
    for (let i = this.#stack.length - 1; i >= 0; i--) {
      const entry = this.#stack[i] as Entry<S>;
      acc = acc === undefined ? entry : this.#pair(entry, acc, entry.level);
    }
    return acc?.state;
  }

  #push(index: number, state: S): void {
    let entry: Entry<S> = { level: 0, first: index, last: index, state: Promise.resolve(state) };
    for (;;) {
      const top = this.#stack[this.#stack.length - 1];
      if (top === undefined || top.level !== entry.level) break;
      this.#stack.pop();
      entry = this.#pair(top, entry, entry.level + 1);
    }
    this.#stack.push(entry);
  }

  #pair(left: Entry<S>, right: Entry<S>, level: number): Entry<S> {
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
    return { level, first: left.first, last: right.last, state };
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
