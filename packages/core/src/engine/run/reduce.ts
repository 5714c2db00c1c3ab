/**
 * Merge partial states in unit order as a pairwise tree whose shape depends
 * only on the number of units, never on the order in which workers finish.
 *
 * ## Method
 *
 * States are pushed strictly in unit order (0, 1, 2, …). The reducer keeps a
 * stack of (level, state) where a level-ℓ entry is the merge of 2^ℓ
 * consecutive units; after each push, while the two top entries have equal
 * level they are replaced by merge(lower, upper) at level ℓ+1 — a binary
 * counter, so the stack holds at most ⌈log₂ n⌉ + 1 entries. At the end the
 * stack is folded right to left: merge(s₀, merge(s₁, … merge(s_{t-1}, s_t))).
 * Both steps are functions of n alone, so with a deterministic `merge` the
 * result is bitwise identical for any worker count and any completion order.
 * This is the same tree shape as pairwise summation (Higham, "Accuracy and
 * Stability of Numerical Algorithms", §4.2): rounding error grows like log n
 * merges deep rather than n.
 *
 * Results that arrive early wait in `pending` until their predecessors come
 * in; the scheduler bounds how many units are in flight, which bounds
 * `pending` too, so memory does not grow with the number of units.
 */
export class UnitOrderReducer<S> {
  readonly #stack: MergeStack<S>;
  readonly #pending = new Map<number, S>();
  #next = 0;

  constructor(merge: (left: S, right: S) => S) {
    this.#stack = new MergeStack(merge);
  }

  /** Units merged so far (the contiguous prefix 0 … merged-1). */
  get merged(): number {
    return this.#next;
  }

  /** Units received but waiting for an earlier unit. */
  get waiting(): number {
    return this.#pending.size;
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
      this.#next += 1;
      this.#stack.push(0, s);
    }
  }

  /** The merge of all units; throws if any unit before `count` is missing. */
  finish(count: number): S | undefined {
    if (this.#next !== count || this.#pending.size > 0) {
      throw new RangeError(`reducer has ${this.#next} of ${count} units in order`);
    }
    return this.#stack.finish();
  }
}

/**
 * The tree's binary counter: entries of (level, state), a level-ℓ entry the
 * merge of 2^ℓ consecutive units. A push merges equal levels on top, finish
 * folds the rest right to left. UnitOrderReducer pushes units (level 0);
 * rounds/ pushes whole aligned blocks of a slice (rounds/dyadic.ts).
 */
export class MergeStack<S> {
  readonly #merge: (left: S, right: S) => S;
  readonly #entries: { level: number; state: S }[] = [];

  constructor(merge: (left: S, right: S) => S) {
    this.#merge = merge;
  }

  push(level: number, state: S): void {
    let entry = { level, state };
    for (;;) {
      const top = this.#entries[this.#entries.length - 1];
      if (top === undefined || top.level !== entry.level) break;
      this.#entries.pop();
      entry = { level: entry.level + 1, state: this.#merge(top.state, entry.state) };
    }
    this.#entries.push(entry);
  }

  /** merge(s₀, merge(s₁, … s_t)) of the entries left; undefined for none. */
  finish(): S | undefined {
    let acc: S | undefined;
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      const entry = this.#entries[i] as { state: S };
      acc = acc === undefined ? entry.state : this.#merge(entry.state, acc);
    }
    return acc;
  }
}
