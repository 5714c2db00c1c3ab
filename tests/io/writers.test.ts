import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ColumnBatch, IoError, openWriter, planInputs, readUnit } from '@linreg/io';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'linreg-writers-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const NAMES = ['id', 'prediction'];

function batch(from: number, rows: number): ColumnBatch {
  const id = Float64Array.from({ length: rows }, (_, i) => from + i);
  const prediction = Float64Array.from({ length: rows }, (_, i) =>
    (from + i) % 11 === 4
      ? Number.NaN
      : (from + i) % 13 === 6
        ? Number.NEGATIVE_INFINITY
        : Math.PI * (from + i) - 1e-300,
  );
  const nulls = Uint8Array.from({ length: rows }, (_, i) => ((from + i) % 7 === 2 ? 1 : 0));
  return { rows, names: NAMES, columns: [id, prediction], nulls: [null, nulls] };
}

/** Rows as [id, prediction or 'null'] to compare regardless of batch boundaries. */
async function readBack(file: string): Promise<(number | string)[][]> {
  const plan = await planInputs([file], { csvChunkBytes: 2048 });
  const rows: (number | string)[][] = [];
  for (const unit of plan.units) {
    for await (const b of readUnit(unit, NAMES, { batchRows: 333 })) {
      for (let i = 0; i < b.rows; i += 1) {
        rows.push([
          b.columns[0]?.[i] as number,
          b.nulls[1]?.[i] === 1 ? 'null' : (b.columns[1]?.[i] as number),
        ]);
      }
    }
  }
  return rows;
}

function expectedRows(n: number): (number | string)[][] {
  const b = batch(0, n);
  return Array.from({ length: n }, (_, i) => [
    i,
    b.nulls[1]?.[i] === 1 ? 'null' : (b.columns[1]?.[i] as number),
  ]);
}

describe('openWriter', () => {
  it.each(['out.csv', 'out.tsv', 'out.csv.gz', 'out.arrow', 'out.arrows', 'out.parquet'])(
    'round-trips values, NaN, ±Infinity and nulls bit for bit through %s',
    async (name) => {
      const path = join(dir, name);
      const writer = await openWriter(path, NAMES, { rowGroupRows: 700 });
      await writer.write(batch(0, 1000));
      await writer.write(batch(1000, 1));
      await writer.write(batch(1001, 1499));
      await writer.close();
      expect(await readBack(path)).toEqual(expectedRows(2500));
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    },
  );

  it('round-trips arbitrary doubles (-0, subnormals, extremes) exactly through every format (fixed seed)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double(), { minLength: 1, maxLength: 40 }),
        fc.constantFrom('csv', 'arrow', 'parquet'),
        async (values, ext) => {
          const path = join(dir, `prop-${run++}.${ext}`);
          const writer = await openWriter(path, ['v']);
          await writer.write({
            rows: values.length,
            names: ['v'],
            columns: [Float64Array.from(values)],
            nulls: [null],
          });
          await writer.close();
          const plan = await planInputs([path]);
          const got: number[] = [];
          for (const unit of plan.units) {
            for await (const b of readUnit(unit, ['v'], { batchRows: 16 }))
              got.push(...(b.columns[0] ?? []));
          }
          expect(got).toHaveLength(values.length);
          got.forEach((v, i) => {
            expect(Object.is(v, values[i])).toBe(true);
          });
        },
      ),
      { seed: 1129, numRuns: 45 },
    );
  });

  it('leaves neither the output nor a temporary file after abort', async () => {
    const sub = mkdtempSync(join(dir, 'abort-'));
    for (const name of ['a.csv', 'a.arrow', 'a.parquet']) {
      const writer = await openWriter(join(sub, name), NAMES);
      await writer.write(batch(0, 100));
      await writer.abort();
    }
    expect(readdirSync(sub)).toEqual([]);
  });

  it('fails a bad batch with an IoError, removing the temporary file, and keeps an existing output intact', async () => {
    const sub = mkdtempSync(join(dir, 'fail-'));
    const path = join(sub, 'keep.csv');
    writeFileSync(path, 'old\n');
    const writer = await openWriter(path, NAMES);
    await writer.write(batch(0, 10));
    const wrong: ColumnBatch = {
      rows: 1,
      names: ['prediction', 'id'],
      columns: [new Float64Array(1), new Float64Array(1)],
      nulls: [null, null],
    };
    await expect(writer.write(wrong)).rejects.toBeInstanceOf(IoError);
    await writer.abort();
    await expect(writer.close()).rejects.toMatchObject({ code: 'write-failed', file: path });
    expect(readdirSync(sub)).toEqual(['keep.csv']);
  });

  it('refuses a missing directory, a directory, a FIFO and an input before writing anything', async () => {
    const sub = mkdtempSync(join(dir, 'refuse-'));
    const input = join(sub, 'in.csv');
    writeFileSync(input, 'id,prediction\n1,2\n');
    const fifo = join(sub, 'fifo.csv');
    execFileSync('mkfifo', [fifo]);
    const cases: [string, string[], string][] = [
      [join(sub, 'no', 'out.csv'), [], `the directory does not exist (${join(sub, 'no')})`],
      [join(sub, '.'), [], 'it is a directory'],
      [
        fifo,
        [],
        'it is not a regular file (a device, FIFO or socket) and an output replaces its target',
      ],
      [input, [input], 'it is one of the inputs'],
    ];
    for (const [path, inputs, why] of cases) {
      const error = await openWriter(path, NAMES, { format: 'csv', inputs }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(IoError);
      expect((error as IoError).message).toBe(`${path}: cannot write: ${why}`);
    }
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readFileSync(input, 'utf8')).toBe('id,prediction\n1,2\n');
    expect(readdirSync(sub).sort()).toEqual(['fifo.csv', 'in.csv']);
  });

  it('writes a valid file with a header and no rows, and rejects unknown extensions', async () => {
    const path = join(dir, 'empty.arrow');
    const writer = await openWriter(path, NAMES);
    await writer.close();
    const plan = await planInputs([path]);
    expect(plan.columns.map((c) => c.name)).toEqual(NAMES);
    expect(plan.shards[0]?.rows).toBe(0);
    await expect(openWriter(join(dir, 'out.xyz'), NAMES)).rejects.toMatchObject({
      code: 'unsupported',
    });
  });
});
