/**
 * What a remote read fetches: a 10-of-100-column projection of a Parquet file
 * over HTTP reads the footer and the projected column chunks only (the
 * figure in the README comes from this test's output), and the built binary
 * reading s3:// prints exactly one line on failure (no SDK warning).
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDataset } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild, runCli, tempDir } from '../e2e/cli-harness.js';
import { type RangeServer, startRangeServer } from './range-server.js';

let root = '';
let http: RangeServer;

beforeAll(async () => {
  requireBuild();
  root = await tempDir('remote-bytes');
  // 99 features and y: 100 columns, 4 row groups.
  await generateDataset({
    dir: join(root, 'wide'),
    rows: 20_000,
    cols: 99,
    shards: 1,
    format: 'parquet',
    seed: 3,
    rowGroupRows: 5000,
  });
  http = await startRangeServer(root);
});

afterAll(async () => {
  await http?.close();
  if (root !== '') await rm(root, { recursive: true, force: true });
});

describe('remote bytes', () => {
  it('a 10-of-100-column Parquet projection fetches the footer and those columns only', async () => {
    const file = 'wide/part-00000.parquet';
    const size = statSync(join(root, file)).size;
    const features = Array.from({ length: 9 }, (_, i) => `x${i}`).join(',');
    // One pass (--refine off): a refinement pass would read the same columns again.
    const args = ['-y', 'y', '--features', features, '--refine', 'off', '--json', '-q', '-j', '2'];
    const local = await runCli(['fit', join(root, file), ...args]);
    http.reset();
    const remote = await runCli(['fit', `${http.url}/${file}`, ...args]);
    expect(remote.code).toBe(0);
    const strip = (json: string) => {
      const m = JSON.parse(json) as { coefficients: unknown; statistics: unknown };
      return [m.coefficients, m.statistics];
    };
    expect(strip(remote.stdout)).toEqual(strip(local.stdout));
    const fraction = http.bytesSent / size;
    console.log(
      `10 of 100 columns over HTTP: ${http.bytesSent} of ${size} bytes fetched (${(100 * fraction).toFixed(1)}%) in ${http.requests} requests`,
    );
    // Ten columns of a hundred plus the footer: far from the whole file.
    expect(fraction).toBeLessThan(0.2);
    expect(fraction).toBeGreaterThan(0.05);
  });

  // The compiled modules and the bundle (the package's bin, which loads the SDK from node_modules).
  it.each([
    ['compiled', 'dist/bin.js'],
    ['bundled', 'dist/bundle/linreg.js'],
  ])(
    'the built binary (%s) fails on a missing s3 bucket with one line and exit 2',
    async (_, path) => {
      const bin = fileURLToPath(new URL(`../../packages/cli/${path}`, import.meta.url));
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'x',
        AWS_SECRET_ACCESS_KEY: 'y',
      };
      delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
      // Asynchronously: the server answering the child runs in this process.
      const child = spawn(
        process.execPath,
        [bin, 'fit', 's3://no-such-bucket/data/', '-y', 'y', '--s3-endpoint', http.url],
        { env, timeout: 50_000 },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(status).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trimEnd().split('\n')).toEqual([
        expect.stringMatching(/^linreg: s3:\/\/no-such-bucket\/data\/: S3: /),
      ]);
    },
  );
});
