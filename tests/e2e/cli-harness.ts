/**
 * Run the CLI in-process and capture what it prints; plus the in-memory
 * reference fit every end-to-end test compares against.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { type ColumnBatch, planInputs, readUnit } from '@linreg/io';
import { main } from '../../packages/cli/src/main.js';
import {
  createAccumulator,
  finalizeAccumulator,
  updateAccumulator,
} from '../../packages/core/src/numerics/accumulate/index.js';
import { solve } from '../../packages/core/src/numerics/solve/index.js';

export const WORKER_JS = fileURLToPath(
  new URL('../../packages/core/dist/engine/worker.js', import.meta.url),
);

/** Workers load compiled JS; the root `pnpm test` builds first. Fail loudly if not built. */
export function requireBuild(): void {
  if (!existsSync(WORKER_JS)) {
    throw new Error(
      `${WORKER_JS} is missing: run \`npx tsc -b packages/io packages/core packages/cli\` first`,
    );
  }
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCli(argv: readonly string[], stdin?: Readable): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    stdin,
  });
  return { code, stdout, stderr };
}

export const tempDir = (prefix: string): Promise<string> =>
  mkdtemp(join(tmpdir(), `linreg-${prefix}-`));

/** Every row of the inputs (in plan order) as whole columns. */
export async function readAll(
  inputs: readonly string[],
  names: readonly string[],
): Promise<Float64Array[]> {
  const plan = await planInputs(inputs);
  const parts: ColumnBatch[] = [];
  for (const unit of plan.units) {
    for await (const b of readUnit(unit, names, { batchRows: 1 << 20 })) parts.push(b);
  }
  const n = parts.reduce((s, b) => s + b.rows, 0);
  return names.map((_, j) => {
    const out = new Float64Array(n);
    let at = 0;
    for (const b of parts) {
      out.set((b.columns[j] as Float64Array).subarray(0, b.rows), at);
      at += b.rows;
    }
    return out;
  });
}

/** The core numerics on all rows as ONE batch: the answer "a statistics package would give in memory". */
export async function inMemoryCoefficients(
  inputs: readonly string[],
  features: readonly string[],
  target = 'y',
): Promise<Float64Array> {
  const columns = await readAll(inputs, [...features, target]);
  const y = columns[features.length] as Float64Array;
  const state = createAccumulator({
    kind: 'qr',
    p: features.length,
    intercept: true,
    weighted: false,
  });
  updateAccumulator(state, { rows: y.length, x: columns.slice(0, features.length), y });
  return solve(finalizeAccumulator(state)).coefficients;
}

/** max_j |a_j − b_j| / max(1, |b_j|). */
export function maxRelativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let j = 0; j < b.length; j++) {
    worst = Math.max(
      worst,
      Math.abs((a[j] as number) - (b[j] as number)) / Math.max(1, Math.abs(b[j] as number)),
    );
  }
  return worst;
}
