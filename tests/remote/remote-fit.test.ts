/**
 * Remote inputs end to end: `linreg fit https://…` and `s3://…` (a local
 * HTTP server with Range support and s3rver on 127.0.0.1) give the same bits
 * as the local files, for Parquet, Arrow and CSV, a hive-partitioned prefix
 * and a glob; predict reads remote input; errors are one line, exit 2.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { generateDataset } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild, runCli, tempDir } from '../e2e/cli-harness.js';
import { type RangeServer, startRangeServer } from './range-server.js';
import { S3_ACCESS_KEY, S3_SECRET_KEY, type S3Server, startS3Server } from './s3-server.js';

const ROWS = 3000;
const COLS = 4;
const FORMATS = ['parquet', 'arrow', 'csv'] as const;

let root = '';
let http: RangeServer;
let s3: S3Server;
const saved = { ...process.env };

/** The files of a generated data set, relative to `root`. */
async function filesOf(dir: string): Promise<string[]> {
  return (await readdir(join(root, dir))).sort().map((f) => `${dir}/${f}`);
}

beforeAll(async () => {
  requireBuild();
  root = await tempDir('remote');
  for (const format of FORMATS) {
    await generateDataset({
      dir: join(root, format),
      rows: ROWS,
      cols: COLS,
      shards: 2,
      format,
      seed: 5,
      rowGroupRows: 700,
    });
  }
  // A hive-partitioned layout: year=2023 / year=2024, each a shard of its own.
  for (const [i, year] of [2023, 2024].entries()) {
    const dir = join(root, 'hive', `year=${year}`);
    mkdirSync(dir, { recursive: true });
    await generateDataset({
      dir,
      rows: 800,
      cols: COLS,
      shards: 1,
      format: 'parquet',
      seed: 20 + i,
    });
  }
  http = await startRangeServer(root);
  s3 = await startS3Server();
  for (const dir of [...FORMATS, 'hive/year=2023', 'hive/year=2024']) {
    for (const file of await filesOf(dir)) await s3.put(file, join(root, file));
  }
  process.env.AWS_ACCESS_KEY_ID = S3_ACCESS_KEY;
  process.env.AWS_SECRET_ACCESS_KEY = S3_SECRET_KEY;
  process.env.AWS_REGION = 'us-east-1';
});

afterAll(async () => {
  process.env = saved;
  await http?.close();
  await s3?.close();
  if (root !== '') await rm(root, { recursive: true, force: true });
});

/** The model JSON of a fit, without run statistics (time, inputs). */
async function fitJson(inputs: readonly string[], extra: readonly string[] = []): Promise<unknown> {
  const run = await runCli(['fit', ...inputs, '-y', 'y', '--json', '-q', '-j', '2', ...extra]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const model = JSON.parse(run.stdout) as { coefficients: unknown; statistics: unknown };
  return { coefficients: model.coefficients, statistics: model.statistics };
}

function expectOneLineError(
  run: { code: number; stdout: string; stderr: string },
  pattern: RegExp,
) {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('remote inputs', () => {
  it.each(FORMATS)('%s over https and s3 fits the same bits as the local files', async (format) => {
    const files = await filesOf(format);
    const local = await fitJson(files.map((f) => join(root, f)));
    const overHttp = await fitJson(files.map((f) => `${http.url}/${f}`));
    expect(overHttp).toEqual(local);
    const overS3 = await fitJson([`s3://${s3.bucket}/${format}/`], ['--s3-endpoint', s3.endpoint]);
    expect(overS3).toEqual(local);
  });

  it('an s3 glob and a hive-partitioned prefix read as the local directory does', async () => {
    const localGlob = await fitJson([join(root, 'parquet', '*.parquet')]);
    const s3Glob = await fitJson(
      [`s3://${s3.bucket}/parquet/*.parquet`],
      ['--s3-endpoint', s3.endpoint],
    );
    expect(s3Glob).toEqual(localGlob);
    const features = ['--features', 'x0,x1,year'];
    const localHive = await fitJson([join(root, 'hive')], features);
    const s3Hive = await fitJson(
      [`s3://${s3.bucket}/hive/`],
      [...features, '--s3-endpoint', s3.endpoint],
    );
    expect(s3Hive).toEqual(localHive);
    const s3HiveGlob = await fitJson(
      [`s3://${s3.bucket}/hive/year=*/*.parquet`],
      [...features, '--s3-endpoint', s3.endpoint],
    );
    expect(s3HiveGlob).toEqual(localHive);
    const inspect = await runCli([
      'inspect',
      `s3://${s3.bucket}/hive/`,
      '--json',
      '--s3-endpoint',
      s3.endpoint,
    ]);
    expect(inspect.code).toBe(0);
    const plan = JSON.parse(inspect.stdout) as { shards: { file: string; partitions: unknown }[] };
    expect(plan.shards.map((x) => [x.file, x.partitions])).toEqual([
      [`s3://${s3.bucket}/hive/year=2023/part-00000.parquet`, { year: '2023' }],
      [`s3://${s3.bucket}/hive/year=2024/part-00000.parquet`, { year: '2024' }],
    ]);
    // AWS_ENDPOINT_URL instead of the flag
    process.env.AWS_ENDPOINT_URL = s3.endpoint;
    try {
      expect(await fitJson([`s3://${s3.bucket}/hive`], features)).toEqual(localHive);
    } finally {
      delete process.env.AWS_ENDPOINT_URL;
    }
  });

  it('predict reads remote input and writes what it writes for the local input', async () => {
    const out = await tempDir('remote-predict');
    try {
      const model = join(out, 'model.json');
      const files = await filesOf('parquet');
      const local = files.map((f) => join(root, f));
      expect((await runCli(['fit', ...local, '-y', 'y', '-o', model, '-q'])).code).toBe(0);
      const predict = async (inputs: string[], name: string, extra: string[] = []) => {
        const file = join(out, name);
        const run = await runCli(['predict', model, ...inputs, '-o', file, '-q', ...extra]);
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        return readFileSync(file, 'utf8');
      };
      const expected = await predict(local, 'local.csv');
      expect(expected.split('\n')).toHaveLength(ROWS + 2);
      expect(
        await predict(
          files.map((f) => `${http.url}/${f}`),
          'http.csv',
        ),
      ).toBe(expected);
      const s3Args = ['--s3-endpoint', s3.endpoint];
      expect(await predict([`s3://${s3.bucket}/parquet/`], 's3.csv', s3Args)).toBe(expected);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('retries 5xx and 429, then reads; a server ignoring Range is still read', async () => {
    const files = await filesOf('csv');
    const local = await fitJson(files.map((f) => join(root, f)));
    http.script.set(files[0] as string, [500, 503, 429]);
    expect(await fitJson(files.map((f) => `${http.url}/${f}`))).toEqual(local);
    expect(http.script.get(files[0] as string)).toEqual([]);
    http.ignoreRange = true;
    try {
      const parquet = await filesOf('parquet');
      expect(await fitJson(parquet.map((f) => `${http.url}/${f}`))).toEqual(
        await fitJson(parquet.map((f) => join(root, f))),
      );
    } finally {
      http.reset();
    }
  });

  it('404, 403, a server that keeps failing, a bad endpoint and a missing bucket: one line, exit 2, nothing written', async () => {
    const out = await tempDir('remote-errors');
    try {
      const model = join(out, 'model.json');
      const runFit = (inputs: string[], extra: string[] = []) =>
        runCli(['fit', ...inputs, '-y', 'y', '-o', model, '-q', ...extra]);
      expectOneLineError(
        await runFit([`${http.url}/parquet/missing.parquet`]),
        /missing\.parquet: HTTP 404/,
      );
      const file = (await filesOf('parquet'))[0] as string;
      http.script.set(file, [403, 403]); // HEAD, then the one-byte GET
      expectOneLineError(await runFit([`${http.url}/${file}`]), /HTTP 403.*access denied/);
      http.script.set(file, [500, 500, 500, 500, 500]);
      expectOneLineError(
        await runFit([`${http.url}/${file}`]),
        /HTTP 500.*gave up after 5 attempts/,
      );
      http.reset();
      expectOneLineError(
        await runFit([`s3://${s3.bucket}/parquet/nothing.parquet`], ['--s3-endpoint', s3.endpoint]),
        /nothing\.parquet: no such object or prefix/,
      );
      expectOneLineError(
        await runFit([`s3://no-such-bucket/parquet/`], ['--s3-endpoint', s3.endpoint]),
        /s3:\/\/no-such-bucket\/parquet\/: S3: no such bucket/,
      );
      expectOneLineError(
        await runFit([`s3://${s3.bucket}/parquet/`], ['--s3-endpoint', 'http://127.0.0.1:9']),
        /S3: cannot connect to http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED/,
      );
      process.env.AWS_ACCESS_KEY_ID = 'NOBODY';
      try {
        expectOneLineError(
          await runFit([`s3://${s3.bucket}/parquet/`], ['--s3-endpoint', s3.endpoint]),
          /S3: access denied \(HTTP 403/,
        );
      } finally {
        process.env.AWS_ACCESS_KEY_ID = S3_ACCESS_KEY;
      }
      expectOneLineError(
        await runFit([`s3://${s3.bucket}/x/`], ['--s3-endpoint', 'ftp://x']),
        /s3-endpoint/,
      );
      expect(existsSync(model)).toBe(false);
    } finally {
      http.reset();
      await rm(out, { recursive: true, force: true });
    }
  });
});
