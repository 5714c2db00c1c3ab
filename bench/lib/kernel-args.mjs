// Command line of the single-batch kernel benches: [--rows 100000] [--p 100] [--runs 5].
import { parseArgs } from 'node:util';

/** { n: rows, p: features, runs: timed runs (at least 3, for a median) }. */
export function parseKernelBenchArgs() {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '100000' },
      p: { type: 'string', default: '100' },
      runs: { type: 'string', default: '5' },
    },
  });
  return {
    n: Number(values.rows),
    p: Number(values.p),
    runs: Math.max(3, Number(values.runs)),
  };
}
