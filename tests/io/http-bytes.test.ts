/**
 * The http(s) ByteSource against a local server with Range support (fast:
 * no fits, so in the default run): exact ranges, a server ignoring Range,
 * retries, one IoError for 404/403 and for an object that changed, and
 * remote inputs' hive partitions and URL helpers.
 */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { IoError } from '@linreg/errors';
import { type ColumnBatch, planInputs, readUnit } from '@linreg/io';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpBytes } from '../../packages/io/src/bytes/http-bytes.js';
import { parseS3, remoteScheme } from '../../packages/io/src/bytes/remote-url.js';
import { commonUrlRoot, segmentsBelow } from '../../packages/io/src/remote-inputs.js';
import { type RangeServer, startRangeServer } from '../remote/range-server.js';

let dir = '';
let server: RangeServer;
const content = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 251);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'linreg-http-bytes-'));
  writeFileSync(join(dir, 'a.bin'), content);
  const x = Float64Array.from({ length: 300 }, (_, i) => i * 0.5);
  const y = Float64Array.from(x, (v) => 3 - 2 * v);
  writeFileSync(join(dir, 's.arrows'), tableToIPC(tableFromArrays({ x, y }), 'stream'));
  const csv = `x,y\n${Array.from(x, (v, i) => `${v},${y[i]}`).join('\n')}\n`;
  writeFileSync(join(dir, 't.csv.gz'), gzipSync(csv));
  writeFileSync(join(dir, 't.csv'), csv);
  server = await startRangeServer(dir);
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<IoError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IoError);
  return error as IoError;
}

describe('HttpBytes', () => {
  it('reads exact ranges with one ranged GET each', async () => {
    server.reset();
    const bytes = await HttpBytes.open(`${server.url}/a.bin`);
    expect(bytes.size).toBe(1000);
    expect(bytes.version).toMatch(/^".+"$/);
    expect(await bytes.read(10, 20, 'test')).toEqual(content.subarray(10, 20));
    expect(await bytes.read(990, 1000, 'test')).toEqual(content.subarray(990, 1000));
    expect(server.bytesSent).toBe(20);
    expect(server.requests).toBe(3);
    const error = await rejection(bytes.read(995, 1001, 'row group 0', 'x'));
    expect(error.message).toBe(
      `${server.url}/a.bin: x: row group 0: byte range 995-1001 lies outside the file of 1000 bytes`,
    );
  });

  it('keeps the whole body when the server ignores Range', async () => {
    server.reset();
    server.ignoreRange = true;
    const bytes = await HttpBytes.open(`${server.url}/a.bin`);
    expect(await bytes.read(100, 110, 'test')).toEqual(content.subarray(100, 110));
    expect(await bytes.read(500, 600, 'test')).toEqual(content.subarray(500, 600));
    // one whole body, then served from memory
    expect(server.bytesSent).toBe(1000);
    server.reset();
  });

  it('retries 5xx and 429, and gives up after five attempts with one IoError', async () => {
    server.reset();
    server.script.set('a.bin', [502, 429]);
    const bytes = await HttpBytes.open(`${server.url}/a.bin`);
    server.script.set('a.bin', [500, 503]);
    expect(await bytes.read(0, 4, 'test')).toEqual(content.subarray(0, 4));
    server.script.set('a.bin', [500, 500, 500, 500, 500]);
    const error = await rejection(bytes.read(0, 4, 'row group 1'));
    expect(error.code).toBe('unreadable');
    expect(error.message).toBe(
      `${server.url}/a.bin: row group 1: HTTP 500 Internal Server Error (gave up after 5 attempts)`,
    );
    server.reset();
  });

  it('404 and 403 are one IoError naming the URL; a changed object is refused', async () => {
    server.reset();
    const missing = await rejection(HttpBytes.open(`${server.url}/nothing.bin`));
    expect(missing.code).toBe('not-found');
    expect(missing.message).toBe(`${server.url}/nothing.bin: HTTP 404 Not Found`);
    // HEAD refused (a presigned URL signs GET only): one byte is asked for instead
    server.script.set('a.bin', [403]);
    expect((await HttpBytes.open(`${server.url}/a.bin`)).size).toBe(1000);
    server.script.set('a.bin', [405]);
    expect((await HttpBytes.open(`${server.url}/a.bin`)).size).toBe(1000);
    server.script.set('a.bin', [403, 403]);
    const denied = await rejection(HttpBytes.open(`${server.url}/a.bin`));
    expect(denied.message).toBe(`${server.url}/a.bin: HTTP 403 Forbidden: access denied`);
    const bytes = await HttpBytes.open(`${server.url}/a.bin`);
    utimesSync(join(dir, 'a.bin'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    const changed = await rejection(bytes.read(0, 4, 'row group 0'));
    expect(changed.code).toBe('changed');
    expect(changed.message).toMatch(/the object changed while linreg was reading it \(ETag /);
  });
});

/** Every row of `input`, read in this thread through the plan, as [x, y] columns. */
async function readAllRows(input: string): Promise<number[][]> {
  const plan = await planInputs([input], { csvChunkBytes: 1000 });
  const out: number[][] = [[], []];
  for (const unit of plan.units) {
    for await (const b of readUnit(unit, ['x', 'y'], {
      batchRows: 64,
    }) as AsyncIterable<ColumnBatch>) {
      for (let j = 0; j < 2; j += 1)
        out[j]?.push(...(b.columns[j] as Float64Array).subarray(0, b.rows));
    }
  }
  return out;
}

describe('sequential formats over HTTP', () => {
  it.each(['s.arrows', 't.csv.gz', 't.csv'])('%s reads as the local file does', async (name) => {
    const local = await readAllRows(join(dir, name));
    expect(local[0]).toHaveLength(300);
    expect(await readAllRows(`${server.url}/${name}`)).toEqual(local);
  });
});

describe('remote URLs', () => {
  it('tells schemes apart and splits s3 URLs', () => {
    expect(remoteScheme('https://h/x.parquet')).toBe('http');
    expect(remoteScheme('HTTP://h/x.parquet')).toBe('http');
    expect(remoteScheme('s3://b/k')).toBe('s3');
    expect(remoteScheme('data/s3://x')).toBeUndefined();
    expect(parseS3('s3://bucket/a/b.parquet')).toEqual({ bucket: 'bucket', key: 'a/b.parquet' });
    expect(parseS3('s3://bucket')).toEqual({ bucket: 'bucket', key: '' });
    expect(parseS3('s3:///key')).toBeUndefined();
  });

  it('finds the common root and the partition segments of object URLs', () => {
    expect(commonUrlRoot(['s3://b/d/year=2023', 's3://b/d/year=2024'])).toBe('s3://b/d');
    expect(segmentsBelow('s3://b/d', 's3://b/d/year=2023/m=1/p.parquet')).toEqual([
      'year=2023',
      'm=1',
    ]);
    expect(segmentsBelow('s3://b/d', 's3://b/dx/p.parquet')).toBeUndefined();
  });
});
