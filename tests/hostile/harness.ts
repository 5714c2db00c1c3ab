/**
 * Runs one hostile case through the real CLI in-process (`main([...])`) and
 * judges it: exit 2 with exactly one stderr line naming the file, or exit 0
 * with the undamaged fit's coefficients bit for bit (or what `allowed` admits);
 * never exit 1 "internal error", a stack trace, a hang or a leftover output.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { generateDataset } from '@linreg/io';
import { main } from '../../packages/cli/src/main.js';
import type { Bases, HostileCase } from './corrupt.js';

export const FULL = process.env.HOSTILE_FULL === '1';

/** Per-case limit on an awaited run; a thread blocked this long (sync loop) kills the process. */
export const CASE_TIMEOUT_MS = 15_000;
const WATCHDOG_MS = Number(process.env.HOSTILE_WATCHDOG_MS ?? 45_000);

export interface Reference {
  readonly estimates: readonly number[];
  readonly rows: number;
}

export interface Verdict {
  readonly ok: boolean;
  /** 'rejected' (exit 2), 'identical', 'undetectable' (allowed exit 0), or the failure. */
  readonly outcome: string;
  readonly detail: string;
}

export async function writeBases(dir: string): Promise<Bases> {
  const out: Partial<Record<keyof Bases, Uint8Array>> = {};
  for (const format of ['parquet', 'arrow', 'csv'] as const) {
    const ds = await generateDataset({
      dir: join(dir, format),
      rows: 240,
      cols: 3,
      shards: 1,
      format,
      seed: 11,
      rowGroupRows: 80,
      missing: format === 'csv' ? 0 : 0.05,
      decimals: format === 'csv' ? 6 : undefined,
    });
    out[format] = new Uint8Array(await readFile(ds.files[0] as string));
  }
  return out as Bases;
}

const extension = (family: string): string => family.split(' ')[0] as string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function runMain(argv: string[]): Promise<Run | 'timeout'> {
  let stdout = '';
  let stderr = '';
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve('timeout');
    }, CASE_TIMEOUT_MS);
  });
  const run = main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    signal: controller.signal,
  }).then((code) => ({ code, stdout, stderr }));
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function fitArgs(file: string, output: string): string[] {
  return ['fit', file, '-y', 'y', '-j', '1', '--json', '-q', '-o', output];
}

export function parseFit(stdout: string): Reference {
  const model = JSON.parse(stdout) as {
    coefficients: { estimate: number | null }[];
    rows: { read: number };
  };
  return {
    estimates: model.coefficients.map((c) => c.estimate ?? Number.NaN),
    rows: model.rows.read,
  };
}

export async function referenceFit(
  dir: string,
  format: string,
  bytes: Uint8Array,
): Promise<Reference> {
  const caseDir = join(dir, `reference-${format}`);
  await mkdir(caseDir, { recursive: true });
  const file = join(caseDir, `data.${format}`);
  await writeFile(file, bytes);
  const run = await runMain(fitArgs(file, join(caseDir, 'model.json')));
  if (run === 'timeout' || run.code !== 0)
    throw new Error(`reference fit failed: ${JSON.stringify(run)}`);
  return parseFit(run.stdout);
}

const sameBits = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((x, j) => Object.is(x, b[j]));

/** The watchdog: a thread that kills this process when a case blocks the event loop. */
export class Watchdog {
  private readonly shared = new Int32Array(new SharedArrayBuffer(8));
  private readonly label = new Uint8Array(new SharedArrayBuffer(1024));
  private readonly worker: Worker;
  constructor() {
    this.worker = new Worker(
      `const { workerData } = require('node:worker_threads');
       const a = workerData.shared; const fs = require('node:fs');
       const label = () => Buffer.from(workerData.label).toString('utf8').replace(/\\0+$/, '');
       for (;;) {
         const g = Atomics.load(a, 0);
         if (Atomics.wait(a, 0, g, workerData.ms) === 'timed-out' && Atomics.load(a, 1) === 1) {
           fs.writeSync(2, 'hostile: a case blocked the event loop for ' + workerData.ms + ' ms (' + label() + '); killing the test process\\n');
           process.kill(process.pid, 'SIGKILL');
         }
       }`,
      { eval: true, workerData: { shared: this.shared, label: this.label, ms: WATCHDOG_MS } },
    );
    this.worker.unref();
  }
  arm(on: boolean, label = ''): void {
    this.label.fill(0);
    this.label.set(new TextEncoder().encode(label).subarray(0, 1000));
    Atomics.store(this.shared, 1, on ? 1 : 0);
    Atomics.add(this.shared, 0, 1);
    Atomics.notify(this.shared, 0);
  }
  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

export async function runCase(
  dir: string,
  index: number,
  c: HostileCase,
  reference: Reference,
  watchdog: Watchdog,
): Promise<Verdict> {
  const caseDir = join(dir, `case-${index}`);
  await mkdir(caseDir, { recursive: true });
  const name = `data.${extension(c.family)}`;
  const file = join(caseDir, name);
  await writeFile(file, c.bytes);
  watchdog.arm(true, `${c.family}: ${c.label}`);
  let run: Run | 'timeout';
  try {
    run = await runMain(fitArgs(file, join(caseDir, 'model.json')));
  } catch (error) {
    run = { code: -1, stdout: '', stderr: `main threw: ${String(error)}` };
  } finally {
    watchdog.arm(false);
  }
  const left = (await readdir(caseDir)).filter((f) => f !== name);
  await rm(caseDir, { recursive: true, force: true });
  if (run === 'timeout')
    return { ok: false, outcome: 'hang', detail: `no answer in ${CASE_TIMEOUT_MS} ms` };
  const lines = run.stderr.split('\n').filter((l) => l !== '');
  const expectedLeft = run.code === 0 ? ['model.json'] : [];
  if (left.join() !== expectedLeft.join()) {
    return {
      ok: false,
      outcome: 'leftover',
      detail: `left ${left.join(', ')}; ${run.stderr.trim()}`,
    };
  }
  if (run.code === 2) {
    if (lines.length !== 1) return { ok: false, outcome: 'stderr lines', detail: run.stderr };
    if (!(lines[0] as string).includes(file))
      return { ok: false, outcome: 'unnamed file', detail: lines[0] as string };
    if (/\bat .*:\d+:\d+|undefined|NaN|\[object /.test(lines[0] as string))
      return { ok: false, outcome: 'garbled message', detail: lines[0] as string };
    return { ok: true, outcome: 'rejected', detail: lines[0] as string };
  }
  const { allowed } = c;
  if (
    run.code === 1 &&
    allowed.kind === 'rows' &&
    allowed.maxRows === 0 &&
    lines.length === 1 &&
    /^linreg: no usable rows/.test(lines[0] as string)
  ) {
    return { ok: true, outcome: 'no rows', detail: 'a valid file without records' };
  }
  if (run.code !== 0) {
    const kind = /internal error/.test(run.stderr) ? 'internal error' : `exit ${run.code}`;
    return { ok: false, outcome: kind, detail: run.stderr.trim() };
  }
  if (lines.length !== 0) return { ok: false, outcome: 'stderr on success', detail: run.stderr };
  const got = parseFit(run.stdout);
  if (sameBits(got.estimates, reference.estimates) && got.rows === reference.rows) {
    return { ok: true, outcome: 'identical', detail: '' };
  }
  if (allowed.kind === 'values' && got.rows === reference.rows) {
    return { ok: true, outcome: 'undetectable', detail: 'value bytes changed' };
  }
  if (allowed.kind === 'rows' && got.rows <= allowed.maxRows) {
    return { ok: true, outcome: 'undetectable', detail: `valid file of ${got.rows} rows` };
  }
  return {
    ok: false,
    outcome: 'silently wrong',
    detail: `exit 0 with ${got.rows} rows (reference ${reference.rows}), estimates ${got.estimates.join(' ')}`,
  };
}

export interface FamilyCount {
  tried: number;
  clean: number;
  outcomes: Map<string, number>;
  failures: string[];
}

export function countTable(counts: Map<string, FamilyCount>): string {
  const rows = [...counts].map(([family, c]) => {
    const outcomes = [...c.outcomes].map(([k, v]) => `${k} ${v}`).join(', ');
    return `| ${family} | ${c.tried} | ${c.clean} | ${outcomes} |`;
  });
  return ['| family | tried | clean | outcomes |', '| --- | ---: | ---: | --- |', ...rows].join(
    '\n',
  );
}
