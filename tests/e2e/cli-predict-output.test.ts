/**
 * predict's output contract (docs/predict-output.md): kept columns pass
 * through bit for bit whatever their type, in all three output formats (read
 * back with DuckDB); missing predictions are nulls; interval columns are
 * named with their level and described in the file's metadata; --residuals;
 * an Arrow IPC stream from stdin to stdout through a real pipe; bad input
 * keeps the one-line error contract.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseModel } from '@linreg/core';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDb } from '../io/support/duckdb.js';
import { requireBuild, runCli, tempDir } from './cli-harness.js';

const BIN = new URL('../../packages/cli/dist/bin.js', import.meta.url).pathname;
const ROWS = 12;
const KEEP = ['id', 'cust', 'u', 'd', 'big', 'b', 'dt', 'ts', 'tz', 'flag', 'maybe', 'small', 'f'];
/** DuckDB types of the kept columns, to read the CSV output back typed. */
const CSV_TYPES: Record<string, string> = {
  id: 'BIGINT',
  cust: 'VARCHAR',
  u: 'UBIGINT',
  d: 'DECIMAL(10,2)',
  big: 'DECIMAL(38,3)',
  b: 'VARCHAR',
  dt: 'DATE',
  ts: 'TIMESTAMP',
  tz: 'TIMESTAMPTZ',
  flag: 'BOOLEAN',
  maybe: 'BIGINT',
  small: 'TINYINT',
  f: 'FLOAT',
  x: 'DOUBLE',
};

let root = '';
let data = '';
let model = '';
let db: DuckDb;

const q = (path: string): string => `'${path.replaceAll("'", "''")}'`;

async function rowsOf(sql: string): Promise<string[][]> {
  const reader = await db.connection.runAndReadAll(sql);
  return reader.getRows().map((r) => r.map((v) => (v === null ? 'NULL' : String(v))));
}

/** Rows of `a` not in `b` and of `b` not in `a` (both must be empty). */
async function symmetricDifference(a: string, b: string): Promise<number> {
  const [[one]] = (await rowsOf(
    `SELECT count(*) FROM ((${a} EXCEPT ALL ${b}) UNION ALL (${b} EXCEPT ALL ${a}))`,
  )) as [[string]];
  return Number(one);
}

beforeAll(async () => {
  requireBuild();
  root = await tempDir('e2e-predict-output');
  data = join(root, 'ids.parquet');
  db = await DuckDb.open();
  await db.connection.run(
    `COPY (SELECT 9007199254740993::BIGINT + i AS id, i * 2.5 AS x,
        CASE WHEN i = 5 THEN NULL ELSE 1 + 2 * i * 2.5 + sin(i) END AS y,
        CASE WHEN i = 3 THEN '' ELSE 'cust-' || i || ',"q"' END AS cust,
        i::UBIGINT + 18446744073709551000::UBIGINT AS u, (i * 1.25 - 3)::DECIMAL(10,2) AS d,
        (i * 12345678901234567.891 - 5)::DECIMAL(38,3) AS big, ('\\x00\\xFF' || i::VARCHAR)::BLOB AS b,
        DATE '1969-12-25' + i::INT AS dt, TIMESTAMP '2024-01-01 00:00:00.123456' + to_seconds(i) AS ts,
        TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(i) AS tz, (i % 2 = 0) AS flag,
        CASE WHEN i % 3 = 0 THEN NULL ELSE i END AS maybe, (i - 6)::TINYINT AS small,
        (i / 3)::FLOAT AS f
      FROM range(${ROWS}) r(i)) TO ${q(data)} (FORMAT parquet)`,
  );
  model = join(root, 'm.json');
  const fit = await runCli(['fit', data, '-y', 'y', '--features', 'x', '-o', model, '-q']);
  expect(fit.code).toBe(0);
});

afterAll(async () => {
  db?.close();
  if (root !== '') await rm(root, { recursive: true, force: true });
});

const SOURCE = (): string => `SELECT ${KEEP.join(', ')} FROM ${q(data)}`;

describe('kept columns pass through bit for bit', () => {
  it('2^53 + 1 … as int64 through CSV (the issue’s example)', async () => {
    const out = join(root, 'ids.csv');
    const run = await runCli(['predict', model, data, '-o', out, '--keep', 'id', '-q']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const text = await readFile(out, 'utf8');
    const ids = text
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0]);
    expect(ids.slice(0, 5)).toEqual([
      '9007199254740993',
      '9007199254740994',
      '9007199254740995',
      '9007199254740996',
      '9007199254740997',
    ]);
  });

  it('every type through Parquet, same types (DuckDB)', async () => {
    const out = join(root, 'keys.parquet');
    const run = await runCli(['predict', model, data, '-o', out, '--keep', KEEP.join(','), '-q']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const types = await rowsOf(
      `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${q(out)})`,
    );
    const source = await rowsOf(`SELECT column_name, column_type FROM (DESCRIBE ${SOURCE()})`);
    expect(types.slice(0, KEEP.length)).toEqual(source);
    expect(await symmetricDifference(SOURCE(), `SELECT ${KEEP.join(', ')} FROM ${q(out)}`)).toBe(0);
    const [[n]] = (await rowsOf(`SELECT count(*) FROM ${q(out)}`)) as [[string]];
    expect(Number(n)).toBe(ROWS);
  });

  it('every type through CSV, as canonical text (DuckDB reads it back typed)', async () => {
    const out = join(root, 'keys.csv');
    const run = await runCli(['predict', model, data, '-o', out, '--keep', KEEP.join(','), '-q']);
    expect(run.code).toBe(0);
    const columns = `{${[...KEEP, 'prediction'].map((k) => `'${k}': '${CSV_TYPES[k] ?? 'DOUBLE'}'`).join(', ')}}`;
    const back = `SELECT ${KEEP.join(', ')} FROM read_csv(${q(out)}, header = true, allow_quoted_nulls = false, columns = ${columns})`;
    const source = `SELECT ${KEEP.map((k) => (k === 'b' ? 'lower(hex(b)) AS b' : k)).join(', ')} FROM ${q(data)}`;
    expect(await symmetricDifference(source, back)).toBe(0);
    const text = await readFile(out, 'utf8');
    // The empty string is quoted (a null is an empty field); timestamps keep their digits.
    expect(text).toContain(',"",');
    expect(text).toContain('2024-01-01T00:00:00.123456,2024-01-01T00:00:00.000000Z');
    expect(text).toContain('00ff30');
  });

  it('every type through Arrow (apache-arrow types; then Arrow → Parquet through predict again)', async () => {
    const out = join(root, 'keys.arrow');
    const run = await runCli([
      'predict',
      model,
      data,
      '-o',
      out,
      '--keep',
      [...KEEP, 'x'].join(','),
      '-q',
    ]);
    expect(run.code).toBe(0);
    const table = tableFromIPC(await readFile(out));
    const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
    expect(types).toMatchObject({
      id: 'Int64',
      cust: 'Utf8',
      u: 'Uint64',
      d: 'Decimal[10e+2]',
      b: 'Binary',
      dt: 'Date32<DAY>',
      flag: 'Bool',
      small: 'Int8',
      f: 'Float32',
      prediction: 'Float64',
    });
    expect(table.getChild('id')?.get(0)).toBe(9007199254740993n);
    expect(table.getChild('maybe')?.get(0)).toBeNull();
    const again = join(root, 'again.parquet');
    const second = await runCli([
      'predict',
      model,
      out,
      '-o',
      again,
      '--keep',
      KEEP.join(','),
      '-q',
    ]);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(await symmetricDifference(SOURCE(), `SELECT ${KEEP.join(', ')} FROM ${q(again)}`)).toBe(
      0,
    );
  });
});

describe('prediction columns', () => {
  it('missing predictions are nulls: DuckDB avg ignores them', async () => {
    const withNull = join(root, 'xnull.parquet');
    await db.connection.run(
      `COPY (SELECT CASE WHEN i = 4 THEN NULL ELSE i * 1.0 END AS x FROM range(10) r(i)) TO ${q(withNull)} (FORMAT parquet)`,
    );
    for (const ext of ['parquet', 'csv'] as const) {
      const out = join(root, `nulls.${ext}`);
      const run = await runCli([
        'predict',
        model,
        withNull,
        '-o',
        out,
        '--interval',
        'confidence',
        '-q',
      ]);
      expect(run.code).toBe(0);
      const [[nulls, avg]] = (await rowsOf(
        `SELECT count(*) FILTER (WHERE prediction IS NULL), avg(prediction) FROM ${q(out)}`,
      )) as [[string, string]];
      expect(Number(nulls)).toBe(1);
      expect(Number.isFinite(Number(avg))).toBe(true);
    }
  });

  it('interval columns say what they are; the kind and level are in the metadata', async () => {
    const out = join(root, 'interval.parquet');
    const run = await runCli([
      'predict',
      model,
      data,
      '-o',
      out,
      '--interval',
      'prediction',
      '--level',
      '0.9',
      '-q',
    ]);
    expect(run.code).toBe(0);
    const names = (await rowsOf(`SELECT column_name FROM (DESCRIBE SELECT * FROM ${q(out)})`)).map(
      (r) => r[0],
    );
    expect(names).toEqual(['prediction', 'se_fit', 'lower_90', 'upper_90', 'se_pred']);
    const meta = Object.fromEntries(
      (await rowsOf(`SELECT key::VARCHAR, value::VARCHAR FROM parquet_kv_metadata(${q(out)})`)).map(
        (r) => [r[0], r[1]],
      ),
    );
    expect(meta['linreg.interval']).toBe('prediction');
    expect(meta['linreg.level']).toBe('0.9');
    const m = parseModel(await readFile(model, 'utf8'));
    const sigma = m.statistics.sigma;
    const rows = await rowsOf(`SELECT se_fit, se_pred FROM ${q(out)}`);
    for (const [seFit, sePred] of rows) {
      expect(Number(sePred)).toBeCloseTo(Math.sqrt(Number(seFit) ** 2 + sigma ** 2), 12);
    }
    const arrow = join(root, 'interval.arrow');
    expect(
      (await runCli(['predict', model, data, '-o', arrow, '--interval', 'confidence', '-q'])).code,
    ).toBe(0);
    const table = tableFromIPC(await readFile(arrow));
    expect(table.schema.fields.map((f) => f.name)).toEqual([
      'prediction',
      'se_fit',
      'lower_95',
      'upper_95',
    ]);
    expect(table.schema.metadata.get('linreg.interval')).toBe('confidence');
    expect(table.schema.metadata.get('linreg.level')).toBe('0.95');
  });

  it('--residuals is y − ŷ, null where y is missing', async () => {
    const out = join(root, 'resid.parquet');
    const run = await runCli([
      'predict',
      model,
      data,
      '-o',
      out,
      '--keep',
      'x,y',
      '--residuals',
      '-q',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const m = parseModel(await readFile(model, 'utf8'));
    const [b0, b1] = m.coefficients.map((c) => c.estimate) as [number, number];
    const rows = await rowsOf(`SELECT x, y, residual FROM ${q(out)}`);
    let nulls = 0;
    for (const [x, y, r] of rows) {
      if (y === 'NULL') {
        expect(r).toBe('NULL');
        nulls += 1;
        continue;
      }
      const expected = Number(y) - (b0 + b1 * Number(x));
      expect(Math.abs(Number(r) - expected)).toBeLessThan(1e-12 * Math.max(1, Math.abs(Number(y))));
    }
    expect(nulls).toBe(1);
  });

  it('--residuals of a formula model uses its response expression (log(y))', async () => {
    const positive = join(root, 'pos.parquet');
    await db.connection.run(
      `COPY (SELECT i + 1.0 AS x, exp(0.3 + 0.1 * i + 0.01 * sin(i)) AS y FROM range(20) r(i)) TO ${q(positive)} (FORMAT parquet)`,
    );
    const fm = join(root, 'formula.json');
    expect((await runCli(['fit', positive, '-f', 'log(y) ~ x', '-o', fm, '-q'])).code).toBe(0);
    const out = join(root, 'formula-resid.parquet');
    const run = await runCli([
      'predict',
      fm,
      positive,
      '-o',
      out,
      '--keep',
      'x,y',
      '--residuals',
      '-q',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const m = parseModel(await readFile(fm, 'utf8'));
    const [b0, b1] = m.coefficients.map((c) => c.estimate) as [number, number];
    for (const [x, y, r] of await rowsOf(`SELECT x, y, residual FROM ${q(out)}`)) {
      expect(Number(r)).toBeCloseTo(Math.log(Number(y)) - (b0 + b1 * Number(x)), 12);
    }
  });
});

/** Runs the binary with stdin from `input` (bytes) and collects stdout/stderr. */
function pipeThrough(
  args: readonly string[],
  input: Uint8Array,
): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code: code ?? -1, stdout: Buffer.concat(out), stderr: err }),
    );
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

describe('standard input and output', () => {
  it('an Arrow IPC stream in, an Arrow IPC stream out, through real pipes', async () => {
    // Make an Arrow stream with predict itself (keys + x), then pipe it back in.
    const stream = join(root, 'in.arrows');
    const made = await runCli(['predict', model, data, '-o', stream, '--keep', 'id,cust,x', '-q']);
    expect(made.code).toBe(0);
    const run = await pipeThrough(
      ['predict', model, '-', '-o', '-', '--keep', 'id,cust', '--interval', 'confidence'],
      await readFile(stream),
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('wrote 12 rows');
    const table = tableFromIPC(run.stdout);
    expect(table.numRows).toBe(ROWS);
    expect(table.schema.fields.map((f) => f.name)).toEqual([
      'id',
      'cust',
      'prediction',
      'se_fit',
      'lower_95',
      'upper_95',
    ]);
    expect(table.getChild('id')?.get(1)).toBe(9007199254740994n);
  });

  it('-o - with --output-format csv writes CSV to stdout; parquet is refused', async () => {
    const stream = join(root, 'in2.arrows');
    expect((await runCli(['predict', model, data, '-o', stream, '--keep', 'x', '-q'])).code).toBe(
      0,
    );
    const bytes = await readFile(stream);
    const csv = await pipeThrough(
      ['predict', model, '-', '-o', '-', '--output-format', 'csv', '-q'],
      bytes,
    );
    expect(csv.code).toBe(0);
    expect(csv.stdout.toString().split('\n')[0]).toBe('prediction');
    const parquet = await pipeThrough(
      ['predict', model, '-', '-o', '-', '--output-format', 'parquet', '-q'],
      bytes,
    );
    expect(parquet.code).toBe(2);
    expect(parquet.stdout.length).toBe(0);
    expect(parquet.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('bad input on stdin: exit 2, one line on stderr, nothing on stdout', async () => {
    const run = await pipeThrough(
      ['predict', model, '-', '-o', '-'],
      new TextEncoder().encode('x\n1\n'),
    );
    expect(run.code).toBe(2);
    expect(run.stdout.length).toBe(0);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^linreg: /);
  });
});

describe('errors keep the one-line contract and leave no output', () => {
  it('a kept column that is missing: exit 2, no file', async () => {
    const out = join(root, 'missing-keep.csv');
    const run = await runCli(['predict', model, data, '-o', out, '--keep', 'nope']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('nope');
    expect(existsSync(out)).toBe(false);
    expect(
      (await readdir(root)).some((f) => f.includes('missing-keep') && f.endsWith('.tmp')),
    ).toBe(false);
  });

  it('--residuals without the target: exit 2', async () => {
    const noTarget = join(root, 'no-y.parquet');
    await db.connection.run(`COPY (SELECT 1.0 AS x) TO ${q(noTarget)} (FORMAT parquet)`);
    const out = join(root, 'no-y.csv');
    const run = await runCli(['predict', model, noTarget, '-o', out, '--residuals']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });
});
