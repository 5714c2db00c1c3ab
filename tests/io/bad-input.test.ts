import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Plan, WorkUnit } from '@linreg/io';
import { generateDataset, IoError, planInputs, readUnit, selectColumns } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'linreg-bad-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

let arrowFile = '';
beforeAll(async () => {
  const g = await generateDataset({
    dir: join(dir, 'good'),
    rows: 3000,
    cols: 2,
    shards: 1,
    format: 'arrow',
    seed: 1,
    rowGroupRows: 1000,
  });
  arrowFile = g.files[0] as string;
});

function write(name: string, content: string | Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

async function readEverything(files: readonly string[]): Promise<number> {
  const plan = await planInputs(files);
  const columns = selectColumns(plan, { target: 'y' }).columns;
  let rows = 0;
  for (const unit of plan.units)
    for await (const b of readUnit(unit, columns, { batchRows: 500 })) rows += b.rows;
  return rows;
}

async function failure(call: () => Promise<unknown>): Promise<IoError> {
  try {
    await call();
  } catch (error) {
    expect(error).toBeInstanceOf(IoError);
    return error as IoError;
  }
  throw new Error('expected an IoError');
}

describe('bad inputs give one-line IoErrors naming the file', () => {
  it.each([
    ['a missing file', () => join(dir, 'missing.parquet'), 'not-found'],
    ['an empty file', () => write('empty.csv', ''), 'empty'],
    ['an empty Parquet file', () => write('empty.parquet', ''), 'empty'],
    ['a Parquet name with other bytes', () => write('text.parquet', 'a,b\n1,2\n'), 'bad-format'],
    ['an Arrow name with other bytes', () => write('text.arrow', 'hello world'), 'bad-format'],
  ])('%s', async (_, make, code) => {
    const file = make();
    const error = await failure(() => planInputs([file]));
    expect(error.code).toBe(code);
    expect(error.file).toBe(file);
    expect(error.message.startsWith(file)).toBe(true);
    expect(error.message).not.toContain('\n');
  });

  it('a truncated Arrow file', async () => {
    const bytes = readFileSync(arrowFile);
    const cut = write('cut.arrow', bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const error = await failure(() => readEverything([cut]));
    expect(error).toMatchObject({ code: 'truncated', file: cut });
    expect(error.message).toMatch(/no ARROW1 magic at the end/);
  });

  it('a record batch cut off in the middle but with an intact footer', async () => {
    const bytes = Buffer.from(readFileSync(arrowFile));
    // Keep the footer (the last bytes) but announce a shorter file by dropping bytes in the middle.
    const damaged = Buffer.concat([bytes.subarray(0, 2000), bytes.subarray(bytes.length - 1000)]);
    const file = write('hole.arrow', damaged);
    const error = await failure(() => readEverything([file]));
    expect(error).toMatchObject({ code: 'truncated', file, where: 'record batch 0' });
  });

  it('a schema mismatch across shards names the shard', async () => {
    const a = write('m1.csv', 'x0,x1,y\n1,2,3\n');
    const b = write('m2.csv', 'x0,y\n1,3\n');
    const error = await failure(() => readEverything([a, b]));
    expect(error).toMatchObject({ code: 'missing-column', file: b, column: 'x1' });
  });

  it('a non-numeric selected column names file, column and line', async () => {
    const file = write('words.csv', `x,y\n${'1,2\n'.repeat(300)}1,two\n`);
    const plan = await planInputs([file]);
    const error = await failure(async () => {
      for (const unit of plan.units)
        for await (const _ of readUnit(unit, ['x', 'y'], { batchRows: 64 })) void _;
    });
    expect(error).toMatchObject({ code: 'bad-value', file, column: 'y', where: 'line 302' });
  });

  it('an unterminated quote and a broken gzip', async () => {
    const quote = write('quote.csv', 'x,y\n1,"2\n3,4\n');
    const plan = await planInputs([quote]);
    const unterminated = await failure(async () => {
      for await (const _ of readUnit(firstUnit(plan), ['x', 'y'], { batchRows: 8 })) void _;
    });
    expect(unterminated).toMatchObject({ code: 'bad-value', file: quote, where: 'line 2' });
    expect(unterminated.message).toMatch(/unterminated quoted field/);
    const gz = write('broken.csv.gz', Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]));
    expect((await failure(() => readEverything([gz]))).file).toBe(gz);
  });
});

function firstUnit(plan: Plan): WorkUnit {
  const unit = plan.units[0];
  if (unit === undefined) throw new Error('the plan has no units');
  return unit;
}
