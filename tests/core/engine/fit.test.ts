import { createReadStream } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CancelledError, fit as fitFiles, type Progress } from '@linreg/core';
import { generateDataset, IoError, openWriter, planInputs, readUnit } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAccumulator,
  finalizeAccumulator,
  updateAccumulator,
} from '../../../packages/core/src/numerics/accumulate/index.js';
import { solve } from '../../../packages/core/src/numerics/solve/index.js';
import {
  inMemoryCoefficients,
  maxRelativeDifference,
  readAll,
  requireBuild,
  tempDir,
} from '../../e2e/cli-harness.js';
import { sharedPool } from '../support/shared-pool.js';

const ROWS = 4000;
let root = '';
// One pool for the whole file, as an ETL script would share it: fits leave it running.
const shared = sharedPool();
let data = '';
beforeAll(async () => {
  requireBuild();
  root = await tempDir('engine');
  data = join(root, 'data');
  await generateDataset({
    dir: data,
    rows: ROWS,
    cols: 3,
    shards: 2,
    format: 'parquet',
    seed: 3,
    rowGroupRows: 500,
  });
});
afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

describe('engine fit', () => {
  it('reports progress per unit, monotone, ending at every unit and row', async () => {
    const events: Progress[] = [];
    const result = await fitFiles(
      { inputs: [data], target: 'y', refine: 'off' },
      { pool: shared(), onProgress: (p) => events.push(p) },
    );
    expect(result.stats).toMatchObject({ units: 8, workers: 2, rowsRead: ROWS, passes: 1 });
    expect(events.map((e) => e.unitsDone)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const last = events[events.length - 1] as Progress;
    expect(last).toMatchObject({ phase: 'read', unitsTotal: 8, rows: ROWS });
    expect(last.bytes).toBe(last.bytesTotal);
    expect(last.etaMs).toBe(0);
    for (let i = 1; i < events.length; i++)
      expect((events[i] as Progress).rows).toBeGreaterThan((events[i - 1] as Progress).rows);
  });

  it('runs a refinement pass through the same pool when asked', async () => {
    const phases = new Set<string>();
    const result = await fitFiles(
      { inputs: [data], target: 'y', refine: 'on' },
      { pool: shared(), onProgress: (p) => phases.add(p.phase) },
    );
    expect(result.stats.passes).toBeGreaterThanOrEqual(2);
    expect(result.model.refinementSteps).toBeGreaterThanOrEqual(1);
    expect([...phases]).toEqual(['read', 'refine']);
    const reference = await inMemoryCoefficients([data], ['x0', 'x1', 'x2']);
    expect(maxRelativeDifference(result.solution.coefficients, reference)).toBeLessThan(1e-12);
  });

  it('fits weighted least squares equal to the in-memory weighted fit', async () => {
    const [x0, x1, x2, y] = await readAll([data], ['x0', 'x1', 'x2', 'y']);
    const w = Float64Array.from({ length: ROWS }, (_, i) => 0.5 + (i % 7) / 3);
    const file = join(root, 'weighted.arrow');
    const writer = await openWriter(file, ['x0', 'x1', 'x2', 'y', 'w']);
    await writer.write({
      rows: ROWS,
      names: ['x0', 'x1', 'x2', 'y', 'w'],
      columns: [x0, x1, x2, y, w] as Float64Array[],
      nulls: [null, null, null, null, null],
    });
    await writer.close();
    const result = await fitFiles(
      { inputs: [file], target: 'y', weights: 'w' },
      { pool: shared() },
    );
    const state = createAccumulator({ kind: 'qr', p: 3, intercept: true, weighted: true });
    updateAccumulator(state, {
      rows: ROWS,
      x: [x0, x1, x2] as Float64Array[],
      y: y as Float64Array,
      w,
    });
    const reference = solve(finalizeAccumulator(state)).coefficients;
    expect(maxRelativeDifference(result.solution.coefficients, reference)).toBeLessThan(1e-12);
    expect(result.model.weights).toBe('w');
    expect(result.model.features).toEqual(['x0', 'x1', 'x2']);
  });

  it('reads an Arrow IPC stream from stdin in the main thread', async () => {
    const [x0, x1, x2, y] = await readAll([data], ['x0', 'x1', 'x2', 'y']);
    const file = join(root, 'stream.arrows');
    const writer = await openWriter(file, ['x0', 'x1', 'x2', 'y']);
    for (let at = 0; at < ROWS; at += 1500) {
      const n = Math.min(1500, ROWS - at);
      const cols = [x0, x1, x2, y].map((c) => (c as Float64Array).slice(at, at + n));
      await writer.write({
        rows: n,
        names: ['x0', 'x1', 'x2', 'y'],
        columns: cols,
        nulls: [null, null, null, null],
      });
    }
    await writer.close();
    const fromStdin = await fitFiles(
      { inputs: ['-'], target: 'y' },
      { stdin: createReadStream(file) },
    );
    const reference = await inMemoryCoefficients([data], ['x0', 'x1', 'x2']);
    expect(fromStdin.stats).toMatchObject({ rowsRead: ROWS, units: 1 });
    expect(maxRelativeDifference(fromStdin.solution.coefficients, reference)).toBeLessThan(1e-12);
  });

  it('fits the normal-equations route to the in-memory QR answer', async () => {
    const normal = await fitFiles(
      { inputs: [data], target: 'y', solver: 'normal' },
      { pool: shared() },
    );
    const reference = await inMemoryCoefficients([data], ['x0', 'x1', 'x2']);
    expect(normal.model.solver).toBe('normal');
    expect(maxRelativeDifference(normal.solution.coefficients, reference)).toBeLessThan(1e-10);
  });

  it('drops and counts rows with missing values', async () => {
    const dir = join(root, 'holes');
    await generateDataset({
      dir,
      rows: 2000,
      cols: 3,
      shards: 1,
      format: 'parquet',
      seed: 4,
      missing: 0.02,
      rowGroupRows: 400,
    });
    const plan = await planInputs([dir]);
    let expected = 0;
    for (const unit of plan.units) {
      for await (const b of readUnit(unit, ['x0', 'x1', 'x2', 'y'], { batchRows: 4096 })) {
        for (let i = 0; i < b.rows; i++) {
          if (b.columns.some((c, j) => b.nulls[j]?.[i] === 1 || Number.isNaN(c[i]))) expected += 1;
        }
      }
    }
    const result = await fitFiles({ inputs: [dir], target: 'y' }, { pool: shared() });
    expect(expected).toBeGreaterThan(0);
    expect(result.stats).toMatchObject({
      rowsRead: 2000,
      rowsDropped: expected,
      rowsUsed: 2000 - expected,
    });
    expect(result.model.rows).toMatchObject({
      read: 2000,
      used: 2000 - expected,
      droppedMissing: expected,
    });
  });

  it('cancels through the AbortSignal', async () => {
    const controller = new AbortController();
    const run = fitFiles(
      { inputs: [data], target: 'y', workers: 1 },
      { signal: controller.signal, onProgress: () => controller.abort() },
    );
    await expect(run).rejects.toBeInstanceOf(CancelledError);
  });

  it('names the file of a corrupt unit', async () => {
    const file = join(root, 'corrupt.parquet');
    const bytes = await readFile(join(data, 'part-00000.parquet'));
    // Keep the footer (so planning succeeds) and scribble over the first column chunk.
    bytes.fill(0xab, 8, 4000);
    await writeFile(file, bytes);
    const run = fitFiles({ inputs: [file], target: 'y' }, { pool: shared() });
    await expect(run).rejects.toBeInstanceOf(IoError);
    await expect(run).rejects.toThrow(file);
    // The shared pool survives a failed fit and serves the next one.
    const next = await fitFiles({ inputs: [data], target: 'y' }, { pool: shared() });
    expect(next.stats).toMatchObject({ rowsRead: ROWS, workers: 2 });
  });
});
