/** Known hostile-input defects, each pinned by a test (see fuzz.test.ts for the seeded suite). */
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { runCli } from '../e2e/cli-harness.js';

it('empty standard input is one line, exit 2, naming the input', async () => {
  const run = await runCli(['fit', '-', '-y', 'y', '-q'], Readable.from([]));
  expect(run.code).toBe(2);
  expect(run.stderr).toBe(
    'linreg: -: no Arrow IPC stream: the input is empty or ended before a schema\n',
  );
});
