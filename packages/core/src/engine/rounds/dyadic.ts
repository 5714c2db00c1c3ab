/**
 * The fixed merge tree (run/reduce.ts) cut into pieces that slices can
 * compute on their own. The reducer's binary counter only ever merges
 * aligned dyadic blocks — units [k·2^ℓ, (k+1)·2^ℓ) — each as a complete
 * binary tree, and finally folds the blocks left on its stack right to left.
 * A contiguous unit range [a, b) is covered exactly by its greedy aligned
 * blocks (the largest block that starts at the current position and fits);
 * each is a complete subtree of the whole fit's tree, the same merges in the
 * same order. Pushing those blocks, in unit order, onto the binary counter
 * (a level-ℓ block lands where the stack's top levels are all ≥ ℓ, because
 * its start is a multiple of 2^ℓ) gives the stack the one-unit-at-a-time
 * run would have had, so the final fold — and the result — is bitwise the
 * fit's, for any way of cutting [0, n) into ranges.
 */
import { MergeStack } from '../run/reduce.js';

/** An aligned block: units [start, start + 2^level). */
export interface DyadicBlock {
  readonly start: number;
  readonly level: number;
}

export const blockEnd = (b: DyadicBlock): number => b.start + 2 ** b.level;

/** The greedy aligned blocks of [start, end), in unit order. */
export function dyadicBlocks(start: number, end: number): DyadicBlock[] {
  const blocks: DyadicBlock[] = [];
  let at = start;
  while (at < end) {
    let level = 0;
    while (at % 2 ** (level + 1) === 0 && at + 2 ** (level + 1) <= end) level += 1;
    blocks.push({ start: at, level });
    at += 2 ** level;
  }
  return blocks;
}

/**
 * The merge of blocks that tile [0, n) in order, by the reducer's tree:
 * binary-counter pushes, then the right fold (run/reduce.ts MergeStack,
 * which a caller reading the blocks as it goes pushes one at a time).
 * Undefined for no blocks.
 */
export function mergeBlocks<S>(
  blocks: readonly { readonly block: DyadicBlock; readonly state: S }[],
  merge: (left: S, right: S) => S,
): S | undefined {
  const stack = new MergeStack(merge);
  for (const { block, state } of blocks) stack.push(block.level, state);
  return stack.finish();
}

/** The units [a, b) of slice i of n (0-based): ⌊i·units/n⌋ … ⌊(i+1)·units/n⌋, a function of the plan alone. */
export function sliceRange(units: number, index: number, count: number): [number, number] {
  return [Math.floor((index * units) / count), Math.floor(((index + 1) * units) / count)];
}
