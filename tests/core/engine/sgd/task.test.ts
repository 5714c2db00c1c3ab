import { MissingValueError } from '@linreg/errors';
import { type ColumnBatch, IoError, type WorkUnit } from '@linreg/io';
import { describe, expect, it } from 'vitest';
import { fitSgd } from '../../../../packages/core/src/engine/sgd/fit-sgd.js';
import type { SgdFit } from '../../../../packages/core/src/engine/sgd/sgd-result.js';
import type { DataSource } from '../../../../packages/core/src/engine/source/data-source.js';
import type {
  MissingPolicy,
  TaskReply,
} from '../../../../packages/core/src/engine/tasks/protocol.js';
import { runTask, type UnitReader } from '../../../../packages/core/src/engine/tasks/run-task.js';
import {
  createRandom,
  nextBelow,
  nextGaussian,
} from '../../../../packages/core/src/numerics/sgd/index.js';
import type { DesignBatch } from '../../../../packages/core/src/numerics/types.js';
import { type SgdTestSpec, sgdOn, sgdSettings } from './sgd-on.js';

const design = { features: ['a', 'b'], target: 'y' };
const names = ['a', 'b', 'y'];

/** Three "files" of rows as io would hand them over: named columns, some nulls and NaN. */
function makeTables(): { columns: Float64Array[]; nulls: Uint8Array[] }[] {
  const rng = createRandom(21);
  return [300, 170, 250].map((rows, u) => {
    const a = Float64Array.from({ length: rows }, () => nextGaussian(rng));
    const b = Float64Array.from({ length: rows }, () => 2 + 0.5 * nextGaussian(rng));
    const y = Float64Array.from(
      { length: rows },
      (_, i) => 1 + 2 * a[i] - b[i] + 0.1 * nextGaussian(rng),
    );
    const nulls = [new Uint8Array(rows), new Uint8Array(rows), new Uint8Array(rows)];
    for (let i = u; i < rows; i += 37) nulls[i % 3][i] = 1;
    for (let i = 5 + u; i < rows; i += 53) b[i] = Number.NaN;
    return { columns: [a, b, y], nulls };
  });
}

function unitOf(index: number, rows: number): WorkUnit {
  return {
    index,
    file: `data/part-${index}.parquet`,
    format: 'parquet',
    part: 0,
    byteStart: 0,
    byteEnd: 0,
    rowStart: 0,
    rowEnd: rows,
    rowEstimate: rows,
    label: `data/part-${index}.parquet row group 0`,
  };
}

function readerOver(tables: ReturnType<typeof makeTables>): UnitReader {
  return async function* read(unit, columns, { batchRows }): AsyncIterable<ColumnBatch> {
    const t = tables[unit.index];
    const order = columns.map((c) => names.indexOf(c));
    const rows = t.columns[0].length;
    for (let from = 0; from < rows; from += batchRows) {
      const to = Math.min(rows, from + batchRows);
      yield {
        rows: to - from,
        names: columns,
        // Copies, as a reader may reuse its buffers between batches.
        columns: order.map((j) => t.columns[j].slice(from, to)),
        nulls: order.map((j) => t.nulls[j].slice(from, to)),
      };
    }
  };
}

/** The same rows with missing ones dropped, as in-memory units. */
function dropped(tables: ReturnType<typeof makeTables>): DesignBatch[] {
  return tables.map((t) => {
    const keep: number[] = [];
    for (let i = 0; i < t.columns[0].length; i++) {
      if (t.nulls.every((m) => m[i] === 0) && t.columns.every((c) => !Number.isNaN(c[i])))
        keep.push(i);
    }
    const pick = (c: Float64Array) => Float64Array.from(keep, (i) => c[i]);
    return {
      rows: keep.length,
      x: [pick(t.columns[0]), pick(t.columns[1])],
      y: pick(t.columns[2]),
    };
  });
}

/**
 * A fake pool as a source: messages and replies cross a structured-clone
 * boundary, run the engine's task table, and finish in a seeded random order.
 */
function fakePool(
  units: readonly WorkUnit[],
  read: UnitReader<WorkUnit>,
  seed: number,
): DataSource {
  const rng = createRandom(seed);
  return {
    plan: { shards: [], columns: [], units },
    units,
    rereadable: true,
    workers: 3,
    execute: async (message, signal) => {
      const delay = nextBelow(rng, 5);
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (signal.aborted) throw new Error('aborted');
      const unit = units[message.unit.index] as WorkUnit;
      const { reply } = await runTask(structuredClone({ ...message, unit }), read);
      return structuredClone(reply) as TaskReply;
    },
    close: async () => {},
  };
}

function fitThrough(
  source: DataSource,
  spec: SgdTestSpec,
  options: { batchRows?: number; missing?: MissingPolicy; signal?: AbortSignal } = {},
): Promise<SgdFit> {
  return fitSgd(
    { source, batchRows: options.batchRows ?? 100, signal: options.signal },
    { columns: design, missing: options.missing ?? 'drop' },
    sgdSettings(spec),
  );
}

describe('the SGD task kinds through a pool-like source', () => {
  it('reads, drops missing rows, and gives the in-memory runner’s bits whatever the completion order', async () => {
    const tables = makeTables();
    const units = tables.map((t, i) => unitOf(i, t.columns[0].length));
    const reference = await sgdOn(dropped(tables), { p: 2, epochs: 4, tol: 0, seed: 9 });
    for (const [seed, batchRows] of [
      [1, 64],
      [2, 1000],
      [3, 7],
    ]) {
      const source = fakePool(units, readerOver(tables), seed);
      const fit = await fitThrough(source, { p: 2, epochs: 4, tol: 0, seed: 9 }, { batchRows });
      expect(Array.from(fit.coefficients)).toEqual(Array.from(reference.coefficients));
      expect(fit.rows.read).toBe(720);
      expect(fit.rows.dropped).toBeGreaterThan(0);
      expect(fit.rows.used).toBe(720 - fit.rows.dropped);
      expect(fit.rows.used).toBe(reference.rows.used);
    }
  });

  it('rebuilds a worker’s error in its class, naming the file', async () => {
    const tables = makeTables();
    const units = tables.map((t, i) => unitOf(i, t.columns[0].length));
    const failing: UnitReader = (unit, columns, options) => {
      if (unit.index === 1)
        throw new IoError('corrupt', { file: unit.file, where: 'row group 0' }, 'bad page');
      return readerOver(tables)(unit, columns, options);
    };
    const error = await fitThrough(fakePool(units, failing, 4), { p: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IoError);
    expect((error as IoError).file).toBe('data/part-1.parquet');

    const strict = fakePool(units, readerOver(tables), 5);
    const missing = await fitThrough(strict, { p: 2 }, { missing: 'error' }).catch(
      (e: unknown) => e,
    );
    expect(missing).toBeInstanceOf(MissingValueError);
    expect((missing as MissingValueError).file).toMatch(/data\/part-\d\.parquet/);
  });

  it('stops when the caller aborts', async () => {
    const tables = makeTables();
    const units = tables.map((t, i) => unitOf(i, t.columns[0].length));
    const controller = new AbortController();
    controller.abort();
    const source = fakePool(units, readerOver(tables), 6);
    await expect(fitThrough(source, { p: 2 }, { signal: controller.signal })).rejects.toThrow(
      /cancelled/,
    );
  });
});
