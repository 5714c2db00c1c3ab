import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type ColumnBatch, IoError, planInputs, readUnit, selectColumns } from '@linreg/io';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_CSV_RECORD_BYTES, readCsv } from '../../packages/io/src/csv/format.js';
import {
  FIELD_BAD,
  FIELD_NULL,
  FIELD_OK,
  NumberScanner,
} from '../../packages/io/src/csv/number.js';
import { RecordParser } from '../../packages/io/src/csv/records.js';

const dir = mkdtempSync(join(tmpdir(), 'linreg-csv-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

function write(name: string, content: string | Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

interface Read {
  values: number[][];
  nulls: number[][];
}

function collect(batches: readonly ColumnBatch[], width: number): Read {
  const values: number[][] = Array.from({ length: width }, () => []);
  const nulls: number[][] = Array.from({ length: width }, () => []);
  for (const b of batches) {
    for (let j = 0; j < width; j += 1) {
      for (let i = 0; i < b.rows; i += 1) {
        values[j]?.push(b.columns[j]?.[i] as number);
        nulls[j]?.push(b.nulls[j]?.[i] ?? 0);
      }
    }
  }
  return { values, nulls };
}

async function readAll(
  files: readonly string[],
  columns: readonly string[],
  options: { csvChunkBytes?: number; batchRows?: number; delimiter?: string } = {},
): Promise<Read> {
  const plan = await planInputs(files, {
    csvChunkBytes: options.csvChunkBytes,
    csv: { delimiter: options.delimiter },
  });
  const batches: ColumnBatch[] = [];
  for (const unit of plan.units) {
    for await (const b of readUnit(unit, columns, { batchRows: options.batchRows ?? 1000 }))
      batches.push(b);
  }
  return collect(batches, columns.length);
}

describe('CSV number parsing', () => {
  const scanner = new NumberScanner();
  const parse = (text: string): [number, number] => {
    const bytes = Buffer.from(text, 'latin1');
    const v = scanner.parse(bytes, 0, bytes.length);
    return [v, scanner.status];
  };

  it('reads every double exactly from its shortest representation (fixed seed)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (x) => {
        const [v, status] = parse(String(x));
        expect(status).toBe(FIELD_OK);
        expect(Object.is(v, x) || (v === 0 && x === 0)).toBe(true);
      }),
      { seed: 42, numRuns: 3000 },
    );
  });

  it('agrees with Number() on decimal strings of any length and exponent', () => {
    const digits = fc.stringMatching(/^[0-9]{1,25}$/);
    fc.assert(
      fc.property(
        fc.boolean(),
        digits,
        fc.option(digits),
        fc.option(fc.integer({ min: -330, max: 330 })),
        (negative, whole, fraction, exponent) => {
          const text = `${negative ? '-' : ''}${whole}${fraction === null ? '' : `.${fraction}`}${exponent === null ? '' : `e${exponent}`}`;
          const [v, status] = parse(text);
          expect(status).toBe(FIELD_OK);
          expect(Object.is(v, Number(text))).toBe(true);
        },
      ),
      { seed: 7, numRuns: 3000 },
    );
  });

  it.each([
    ['', FIELD_NULL, Number.NaN],
    ['NA', FIELD_NULL, Number.NaN],
    ['null', FIELD_NULL, Number.NaN],
    ['NULL', FIELD_NULL, Number.NaN],
    ['NaN', FIELD_OK, Number.NaN],
    ['-Inf', FIELD_OK, Number.NEGATIVE_INFINITY],
    ['Infinity', FIELD_OK, Number.POSITIVE_INFINITY],
    ['  12.5 ', FIELD_OK, 12.5],
    ['.5', FIELD_OK, 0.5],
    ['1e', FIELD_BAD, Number.NaN],
    ['abc', FIELD_BAD, Number.NaN],
    ['1,5', FIELD_BAD, Number.NaN],
    ['0x10', FIELD_BAD, Number.NaN],
  ])('%j → status %i', (text, status, value) => {
    const [v, s] = parse(text);
    expect(s).toBe(status);
    expect(Object.is(v, value)).toBe(true);
  });
});

describe('CSV files', () => {
  it('handles quotes, doubled quotes, CRLF, quoted line breaks and missing tokens', async () => {
    const file = write(
      'edge.csv',
      '\ufeffid,"label, text",value\r\n' +
        '1,"say ""hi""",2.5\r\n' +
        '2,"two\nlines",NA\r\n' +
        '3,,NaN\r\n' +
        '4,plain,\r\n' +
        '\r\n' +
        '5,"x",-1e3',
    );
    const plan = await planInputs([file]);
    expect(plan.columns.map((c) => [c.name, c.numeric])).toEqual([
      ['id', true],
      ['label, text', false],
      ['value', true],
    ]);
    const read = await readAll([file], ['value', 'id']);
    expect(read.values[1]).toEqual([1, 2, 3, 4, 5]);
    expect(read.values[0]?.[0]).toBe(2.5);
    expect(read.values[0]?.[2]).toBeNaN();
    expect(read.values[0]?.[4]).toBe(-1000);
    expect(read.nulls[0]).toEqual([0, 1, 0, 1, 0]);
    expect(read.nulls[1]).toEqual([0, 0, 0, 0, 0]);
  });

  it('uses tab for .tsv and accepts an explicit delimiter', async () => {
    const tsv = write('t.tsv', 'a\tb\n1\t2\n3\t4\n');
    expect((await readAll([tsv], ['b'])).values[0]).toEqual([2, 4]);
    const semi = write('s.csv', 'a;b\n1;2\n3;4\n');
    expect((await readAll([semi], ['a'], { delimiter: ';' })).values[0]).toEqual([1, 3]);
  });

  it('names the file, column and line of a non-numeric value', async () => {
    const file = write('bad.csv', 'a,b\n1,2\n3,4\n5,oops\n');
    const error = await readAll([file], ['a', 'b']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IoError);
    expect((error as IoError).file).toBe(file);
    expect((error as IoError).column).toBe('b');
    expect((error as IoError).where).toBe('line 4');
    expect((error as IoError).message).toContain('oops');
  });

  it('a text value in the sampled rows of a numeric column is an error, not a text column', async () => {
    // The typo at data row 2 (line 3), inside the 200 sampled records: the column stays numeric
    // (most of its sampled values are numbers), so it is selected and reading names the value,
    // exactly as the same typo at row 4,001 does.
    const rows = Array.from({ length: 300 }, (_, i) => `${i},${(i * 7) % 11},${2 * i + 1}`);
    const early = rows.slice();
    early[1] = 'abc,3,3';
    const late = Array.from({ length: 4100 }, (_, i) => `${i},${(i * 7) % 11},${2 * i + 1}`);
    late[4000] = 'abc,3,3';
    for (const [name, lines, line] of [
      ['typo-early.csv', early, 'line 3'],
      ['typo-late.csv', late, 'line 4002'],
    ] as const) {
      const file = write(name, `x1,x2,y\n${lines.join('\n')}\n`);
      const plan = await planInputs([file]);
      expect(plan.columns.map((c) => [c.name, c.sourceType, c.numeric])).toEqual([
        ['x1', 'number', true],
        ['x2', 'number', true],
        ['y', 'number', true],
      ]);
      expect(selectColumns(plan, { target: 'y' }).columns).toEqual(['x1', 'x2', 'y']);
      const error = await readAll([file], ['x1', 'x2', 'y']).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IoError);
      expect((error as IoError).message).toBe(`${file}: x1: ${line}: not a number: "abc"`);
    }
  });

  it('a column whose sampled values are mostly text stays text', async () => {
    const file = write(
      'mixed.csv',
      'id,code,half,empty,y\n' + 'a1,7,1,,1\n' + 'a2,B,x,NA,2\n' + 'a3,C,2,,3\n' + 'a4,D,y,,4\n',
    );
    const plan = await planInputs([file]);
    expect(plan.columns.map((c) => [c.name, c.sourceType])).toEqual([
      ['id', 'text'],
      ['code', 'text'], // 1 number, 3 text values
      ['half', 'number'], // as many numbers as text values: numeric, so an error if used
      ['empty', 'number'], // only missing values
      ['y', 'number'],
    ]);
    expect(selectColumns(plan, { target: 'y' }).columns).toEqual(['half', 'empty', 'y']);
    expect(() => selectColumns(plan, { target: 'y', features: ['code'] })).toThrow(
      /code: type text is not numeric/,
    );
  });

  it('a record longer than 64 MiB is an error naming the file and its first line', async () => {
    // An unterminated quote at line 3: before, the reader buffered the whole rest of the file.
    const file = join(dir, 'runaway.csv');
    writeFileSync(file, 'a,t,b\n1,x,2\n3,"');
    appendFileSync(file, Buffer.alloc(MAX_CSV_RECORD_BYTES + (1 << 20), 0x7a));
    const started = performance.now();
    const error = await readAll([file], ['a', 'b']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IoError);
    expect((error as IoError).message).toBe(
      `${file}: line 3: record longer than 64 MiB (no line break, or an unterminated quote)`,
    );
    expect(performance.now() - started).toBeLessThan(20_000);
    await rm(file);
  });

  it('a record longer than the limit fails also in a gzip stream and with a smaller limit', async () => {
    const text = `a,b\n1,2\n${'9'.repeat(3 << 20)}\n4,5\n`;
    for (const file of [write('long-line.csv', text), write('long-line.csv.gz', gzipSync(text))]) {
      const plan = await planInputs([file]);
      const read = async (): Promise<number> => {
        let rows = 0;
        for (const unit of plan.units)
          for await (const b of readCsv(unit, ['a', 'b'], { batchRows: 100 }, 1 << 20))
            rows += b.rows;
        return rows;
      };
      await expect(read()).rejects.toThrow(
        `${file}: line 3: record longer than 1 MiB (no line break, or an unterminated quote)`,
      );
    }
  });

  it('names the line of a record with the wrong number of fields, also past a split', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => `${i},${i * 2}`);
    rows[150] = '150';
    const file = write('short.csv', `a,b\n${rows.join('\n')}\n`);
    const error = await readAll([file], ['a'], { csvChunkBytes: 256 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IoError);
    expect((error as IoError).where).toBe('line 152');
  });

  it('reads records longer than the read buffer (a 3 MiB quoted field)', async () => {
    const long = `"${'ab,\n'.repeat(3 << 18)}"`;
    const file = write('long.csv', `a,t,b\n1,${long},2\n3,short,4\n`);
    const read = await readAll([file], ['a', 'b']);
    expect(read.values).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });

  it('reads .csv.gz as one unit with the same values', async () => {
    const text = `a,b\n${Array.from({ length: 5000 }, (_, i) => `${i},${i / 8}`).join('\n')}\n`;
    const plain = write('g.csv', text);
    const gz = write('g.csv.gz', gzipSync(text));
    const plan = await planInputs([gz], { csvChunkBytes: 1024 });
    expect(plan.units).toHaveLength(1);
    expect(await readAll([gz], ['a', 'b'], { batchRows: 999 })).toEqual(
      await readAll([plain], ['a', 'b']),
    );
  });

  it('gives the same rows for any split into byte ranges (fixed seed)', async () => {
    const text = fc.stringMatching(/^[a-z ,"\n]{0,12}$/).map((s) => `"${s.replaceAll('"', '""')}"`);
    const value = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
      fc.integer({ min: -1000, max: 1000 }).map(String),
      fc.constantFrom('', 'NA', 'NaN'),
    );
    const row = fc.tuple(value, text, value);
    let run = 0;
    let mostUnits = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { minLength: 1, maxLength: 60 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 400 }),
        async (rows, crlf, chunk) => {
          const eol = crlf ? '\r\n' : '\n';
          const body = rows.map((r) => r.join(',')).join(eol);
          const file = write(`p${run++}.csv`, `x,t,z${eol}${body}${eol}`);
          const whole = await readAll([file], ['x', 'z']);
          const split = await readAll([file], ['x', 'z'], { csvChunkBytes: chunk, batchRows: 7 });
          expect(split).toEqual(whole);
          expect(whole.values[0]).toHaveLength(rows.length);
          const units = (await planInputs([file], { csvChunkBytes: chunk })).units.length;
          mostUnits = Math.max(mostUnits, units);
        },
      ),
      { seed: 20261129, numRuns: 60 },
    );
    // The property must have exercised real splits, not only one-unit plans.
    expect(mostUnits).toBeGreaterThan(5);
  });

  it('parses the same records when bytes arrive in arbitrary pieces (fixed seed)', () => {
    const content = Buffer.from(
      'a,"b",c\r\n1,"q""uote\nd",3\n,"",NaN\r\n4.25,x,NA\n-0,"y",1e-320\n7,z,8',
    );
    const reference = parsePieces(content, [content.length]);
    expect(reference.values[0]).toEqual([1, Number.NaN, 4.25, -0, 7]);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 40 }),
        (pieces) => {
          expect(parsePieces(content, pieces)).toEqual(reference);
        },
      ),
      { seed: 3, numRuns: 200 },
    );
  });
});

/** Feeds the data part (after the header) to a RecordParser in pieces of the given sizes. */
function parsePieces(content: Buffer, pieces: readonly number[]): Read {
  const start = content.indexOf('\n') + 1;
  const parser = new RecordParser({
    file: 'mem.csv',
    header: ['a', 'b', 'c'],
    columns: ['a', 'c'],
    delimiter: 44,
    batchRows: 2,
    firstLine: 2,
  });
  let buffered = Buffer.alloc(0);
  let pos = start;
  let k = 0;
  const batches: ColumnBatch[] = [];
  while (pos < content.length) {
    const size = pieces[k % pieces.length] as number;
    k += 1;
    buffered = Buffer.concat([buffered, content.subarray(pos, pos + size)]);
    pos += size;
    buffered = buffered.subarray(parser.consume(buffered, false));
    batches.push(...parser.takeBatches());
  }
  parser.consume(buffered, true);
  batches.push(...parser.finish());
  return collect(batches, 2);
}
