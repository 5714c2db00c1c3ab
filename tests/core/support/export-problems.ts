/**
 * Writes the reference problems and their exact truth as JSON, for
 * numpy-digits.py (the numpy baseline quoted in accuracy-reference.test.ts).
 *
 *   npx tsx tests/core/support/export-problems.ts /tmp/problems.json
 *   python3 tests/core/support/numpy-digits.py /tmp/problems.json
 */
import { writeFileSync } from 'node:fs';
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
  };
});
writeFileSync(process.argv[2] ?? 'problems.json', JSON.stringify(out));
