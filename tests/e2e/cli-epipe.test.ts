import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));

describe('linreg in a pipeline whose reader stops early', () => {
  const dir = mkdtempSync(join(tmpdir(), 'linreg-epipe-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 without a stack trace when stdout is closed (like `| head -1`)', async () => {
    // Many shards make `inspect` write one line per file, long after the reader has gone.
    for (let i = 0; i < 400; i++) {
      writeFileSync(join(dir, `part-${String(i).padStart(4, '0')}.csv`), 'x,y\n1,2\n3,4\n');
    }
    const child = spawn(process.execPath, [bin, 'inspect', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|at .*\.js:\d+/);
    expect(code).toBe(0);
  });
});
