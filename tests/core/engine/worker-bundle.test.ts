/**
 * Core's worker bundle (packages/core/bundle-worker.mjs → dist/worker-bundle/):
 * the pool prefers it, its entry loads no reader before a unit asks for one,
 * and a fit through it gives the bits of the compiled modules' worker; its
 * threads take the footers the pool was started with (worker-boot.ts).
 */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPool, fit as fitFiles } from '@linreg/core';
import { cachedFooters, generateDataset, IoError, planInputs } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveWorkerFile } from '../../../packages/core/src/engine/pool.js';
import { movable } from '../../../packages/core/src/engine/worker-move.js';
import { requireBuild, tempDir } from '../../e2e/cli-harness.js';

const bundleDir = fileURLToPath(
  new URL('../../../packages/core/dist/worker-bundle/', import.meta.url),
);
const modulesWorker = fileURLToPath(
  new URL('../../../packages/core/dist/engine/worker.js', import.meta.url),
);

let root = '';
beforeAll(async () => {
  requireBuild();
  root = await tempDir('worker-bundle');
  await generateDataset({
    dir: join(root, 'data'),
    rows: 3000,
    cols: 4,
    shards: 2,
    format: 'parquet',
    seed: 12,
    rowGroupRows: 500,
  });
});
afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

/** The bundle's files a module imports statically, itself included (transitively; the bundle is minified). */
function staticClosure(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(bundleDir, file), 'utf8');
    for (const m of text.matchAll(
      /(?:^|[;\n])\s*import\s*(?:[^'"]*?from\s*)?['"]\.\/([^'"]+)['"]/g,
    ))
      visit(m[1] as string);
  };
  visit(entry);
  return [...seen];
}

describe("core's worker bundle", () => {
  it('is the worker the pool starts by default', () => {
    expect(resolveWorkerFile()).toBe(join(bundleDir, 'worker.js'));
  });

  it('loads no writer, planning or format reader before a unit needs one', () => {
    const files = staticClosure('worker.js');
    expect(files.length).toBeGreaterThan(1);
    // Minified without renaming (bundle-worker.mjs): functions are found by their declarations.
    const text = files.map((f) => readFileSync(join(bundleDir, f), 'utf8')).join('\n');
    const declares = (name: string) => new RegExp(`function\\s*\\*?\\s*${name}\\(`).test(text);
    expect(declares('readUnit')).toBe(true);
    for (const absent of ['generateDataset', 'planInputs', 'readParquetUnit', 'readCsv'])
      expect(declares(absent), absent).toBe(false);
    // piscina's main module is imported only if its worker script's common.js cannot be used (worker-move.ts).
    expect(text).not.toMatch(/from\s*["']piscina["']/);
  });

  it("marks a reply movable with piscina's move() outside a pool thread", async () => {
    const buffer = new ArrayBuffer(8);
    const wrapped = (await movable({ ok: 1 }, [buffer])) as unknown as Record<symbol, unknown>;
    expect(wrapped[Symbol.for('Piscina.valueOf')]).toEqual({ ok: 1 });
    expect(wrapped[Symbol.for('Piscina.transferable')]).toEqual([buffer]);
  });

  it('gives the bits of the compiled modules’ worker', async () => {
    const spec = { inputs: [join(root, 'data')], target: 'y', refine: 'on' as const };
    const bundled = createPool({ workers: 2 });
    const modules = createPool({ workers: 2, workerFile: modulesWorker });
    try {
      const a = await fitFiles(spec, { pool: bundled });
      const b = await fitFiles(spec, { pool: modules });
      expect(a.stats.units).toBe(6);
      expect(JSON.stringify(a.model.coefficients)).toBe(JSON.stringify(b.model.coefficients));
      expect(JSON.stringify(a.model.statistics)).toBe(JSON.stringify(b.model.statistics));
    } finally {
      await Promise.all([bundled.destroy(), modules.destroy()]);
    }
  });

  it('takes the footers it was started with, while the file is as it was parsed', async () => {
    const file = join(root, 'data', 'part-00000.parquet');
    await planInputs([file]);
    const [seed] = cachedFooters([file]);
    if (seed === undefined) throw new Error('no footer parsed');
    // A footer that claims no row groups: a worker that uses it says so.
    const doctored = { ...seed, metadata: { ...seed.metadata, row_groups: [] } };
    const spec = { inputs: [file], target: 'y', refine: 'off' as const };
    const seeded = createPool({ workers: 1, footers: [doctored] });
    const stale = createPool({ workers: 1, footers: [{ ...doctored, version: 'older' }] });
    try {
      // …as an IoError: the bundle keeps the class names the error registry goes by.
      const failed = fitFiles(spec, { pool: seeded });
      await expect(failed).rejects.toThrow(/has 0 row groups/);
      await expect(failed).rejects.toBeInstanceOf(IoError);
      expect((await fitFiles(spec, { pool: stale })).stats.units).toBe(3);
    } finally {
      await Promise.all([seeded.destroy(), stale.destroy()]);
    }
  });
});
