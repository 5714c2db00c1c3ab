/**
 * Writes the reference problems, their exact truth and the seeded row
 * permutations of the accuracy test as JSON, for numpy-digits.py (the numpy
 * baseline quoted in accuracy-reference.test.ts).
 *
 *   npx tsx tests/core/support/export-problems.ts /tmp/problems.json
 *   python3 tests/core/support/numpy-digits.py /tmp/problems.json
 */
import { writeFileSync } from 'node:fs';
import { rowPermutation, SHUFFLE_SEEDS } from './factor-of.js';
import { exactLeastSquares } from './rational.js';
import { designColumns, referenceProblems } from './reference-problems.js';

const out = referenceProblems().map((p) => {
  const fit = exactLeastSquares({ design: designColumns(p), y: p.y });
  return {
    name: p.name,
    exactFit: p.exactFit,
    design: designColumns(p).map((c) => Array.from(c)),
    y: Array.from(p.y),
    beta: fit.beta,
    se: fit.se,
    permutations: SHUFFLE_SEEDS.map((seed) => Array.from(rowPermutation(p.y.length, seed))),
  };
});
writeFileSync(process.argv[2] ?? 'problems.json', JSON.stringify(out));
