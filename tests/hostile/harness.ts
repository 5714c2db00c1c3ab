/**
 * Runs one hostile case through the real CLI in-process (`main([...])`) and
 * judges it: exit 2 with exactly one stderr line naming the file, or exit 0
 * with the undamaged fit's coefficients bit for bit (or what `allowed` admits);
 * never exit 1 "internal error", a stack trace, a hang or a leftover output.
 */

import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { generateDataset } from '@linreg/io';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
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
  const out: { -readonly [K in keyof Bases]?: Uint8Array } = {};
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
  // The same rows as an Arrow IPC stream, as a producer piping into `linreg fit -` writes it.
  out.stdin = tableToIPC(tableFromIPC(out.arrow as Uint8Array), 'stream');
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
  return judge(run, left, file, c, reference);
}

/** The verdict on one run: `left` is what the case's directory holds besides the input. */
function judge(
  run: Run | 'timeout',
  left: readonly string[],
  file: string,
  c: HostileCase,
  reference: Reference,
): Verdict {
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
    if (!(lines[0] as string).includes(file === '-' ? 'linreg: -: ' : file))
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

/** One case's verdict added to its family's count (a failure kept with its first 300 characters). */
export function countVerdict(
  counts: Map<string, FamilyCount>,
  c: HostileCase,
  verdict: Verdict,
): void {
  const count: FamilyCount = counts.get(c.family) ?? {
    tried: 0,
    clean: 0,
    outcomes: new Map(),
    failures: [],
  };
  counts.set(c.family, count);
  count.tried += 1;
  if (verdict.ok) count.clean += 1;
  else count.failures.push(`${c.label}: ${verdict.outcome}: ${verdict.detail.slice(0, 300)}`);
  count.outcomes.set(verdict.outcome, (count.outcomes.get(verdict.outcome) ?? 0) + 1);
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

/** Resident memory a standard-input case may reach (the undamaged fit takes about 100 MB). */
export const STDIN_RSS_LIMIT_MB = 400;

/**
 * A child process running the built CLI's `main` on the case's bytes as its
 * standard input, with a capped V8 heap; it reports its peak resident memory
 * on fd 3 when `main` returns.
 */
const STDIN_CHILD = `
import { readFileSync, writeSync } from 'node:fs';
const { main } = await import(process.env.LINREG_MAIN);
const code = await main(process.argv.slice(1), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
// VmHWM belongs to this process's own address space; getrusage's maxRSS can carry the
// forking parent's peak across exec on Linux (seen: 417 MB for a 100 MB fit).
let kb;
try { kb = Number(/VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]); } catch {}
writeSync(3, String(Math.round((kb || process.resourceUsage().maxRSS) / 1024)));
process.exitCode = code;
`;

const MAIN_JS = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url));

interface ChildRun extends Run {
  /** Peak resident memory in MB, when the child got as far as reporting it. */
  readonly rssMb: number | undefined;
}

function runStdinChild(argv: string[], input: Uint8Array): Promise<ChildRun | 'timeout'> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--max-old-space-size=192', '--input-type=module', '-e', STDIN_CHILD, ...argv],
      {
        stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
        env: { ...process.env, LINREG_MAIN: pathToFileURL(MAIN_JS).href },
      },
    );
    let stdout = '';
    let stderr = '';
    let rss = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    (child.stdio[3] as NodeJS.ReadableStream | null)?.on(
      'data',
      (d: Buffer) => (rss += d.toString()),
    );
    // The child may stop reading early (a bad prefix): its closed pipe is not a failure.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, CASE_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) resolve('timeout');
      else
        resolve({
          code: code ?? (signal === null ? -1 : 128),
          stdout,
          stderr: signal === null ? stderr : `${stderr}killed by ${signal}`,
          rssMb: rss === '' ? undefined : Number(rss),
        });
    });
  });
}

/**
 * Runs one case's bytes as an Arrow stream on standard input (`linreg fit -`)
 * in a child process with a capped heap and a timeout, and judges it as
 * runCase does; a run whose peak memory passes STDIN_RSS_LIMIT_MB fails.
 */
export async function runStdinCase(
  dir: string,
  index: number,
  c: HostileCase,
  reference: Reference | undefined,
): Promise<Verdict & { readonly run?: ChildRun }> {
  const caseDir = join(dir, `stdin-${index}`);
  await mkdir(caseDir, { recursive: true });
  const run = await runStdinChild(fitArgs('-', join(caseDir, 'model.json')), c.bytes);
  const left = await readdir(caseDir);
  await rm(caseDir, { recursive: true, force: true });
  if (run !== 'timeout' && run.rssMb !== undefined && run.rssMb > STDIN_RSS_LIMIT_MB) {
    return { ok: false, outcome: 'memory', detail: `peak RSS ${run.rssMb} MB`, run };
  }
  if (reference === undefined) {
    // The undamaged stream itself: the caller takes its fit as the reference.
    return {
      ok: run !== 'timeout' && run.code === 0,
      outcome: 'reference',
      detail: '',
      ...(run === 'timeout' ? {} : { run }),
    };
  }
  const verdict = judge(run, left, '-', c, reference);
  return run === 'timeout' ? verdict : { ...verdict, run };
}
