/**
 * The seeded hostile-input suite: corruptions of small Parquet, Arrow and CSV
 * files, each fitted by the real CLI. The default run tries a small subset;
 * `pnpm test:hostile` (HOSTILE_FULL=1) scales every family up and prints the
 * per-family counts.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { requireBuild, tempDir } from '../e2e/cli-harness.js';
import { type Bases, type HostileCase, hostileCases, stdinCases } from './corrupt.js';
import {
  countTable,
  countVerdict,
  type FamilyCount,
  FULL,
  parseFit,
  type Reference,
  referenceFit,
  runCase,
  runStdinCase,
  STDIN_RSS_LIMIT_MB,
  Watchdog,
  writeBases,
} from './harness.js';

const SEED = Number(process.env.HOSTILE_SEED ?? 20240611);
const PER_FAMILY = Number(process.env.HOSTILE_CASES ?? (FULL ? 200 : 30));
/** Standard-input cases each start a child process (≈ 0.3 s): fewer of them. */
const STDIN_PER_FAMILY = Number(process.env.HOSTILE_STDIN_CASES ?? (FULL ? 50 : 4));

let dir: string;
let bases: Bases;
const references = new Map<string, Reference>();
let watchdog: Watchdog;

beforeAll(async () => {
  requireBuild();
  dir = await tempDir('hostile');
  bases = await writeBases(dir);
  for (const format of ['parquet', 'arrow', 'csv'] as const) {
    references.set(format, await referenceFit(dir, format, bases[format]));
  }
  watchdog = new Watchdog();
});

afterAll(async () => {
  await watchdog?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

it(
  `every corruption is rejected in one line or fitted exactly (${PER_FAMILY} per family, seed ${SEED})`,
  async () => {
    const only = process.env.HOSTILE_FAMILY;
    const cases = hostileCases(bases, PER_FAMILY, SEED, FULL).filter(
      (c) => only === undefined || c.family.includes(only),
    );
    const counts = new Map<string, FamilyCount>();
    let index = 0;
    for (const c of cases) {
      const format = c.family.split(' ')[0] as string;
      const verdict = await runCase(dir, index++, c, references.get(format) as Reference, watchdog);
      countVerdict(counts, c, verdict);
    }
    if (FULL || process.env.HOSTILE_VERBOSE === '1') {
      console.log(`hostile inputs, seed ${SEED}:\n${countTable(counts)}`);
    }
    const failures = [...counts].flatMap(([family, c]) => c.failures.map((f) => `${family}: ${f}`));
    if (process.env.HOSTILE_VERBOSE === '1') console.log(failures.join('\n'));
    expect(failures).toEqual([]);
  },
  FULL ? 3_600_000 : 120_000,
);

it(
  `every corruption of an Arrow stream on standard input is rejected in one line or fitted exactly, within ${STDIN_RSS_LIMIT_MB} MB (${STDIN_PER_FAMILY} per family, seed ${SEED})`,
  async () => {
    const base: HostileCase = {
      family: 'stdin base',
      label: 'undamaged',
      bytes: bases.stdin,
      allowed: { kind: 'identical' },
    };
    const first = await runStdinCase(dir, -1, base, undefined);
    expect(first.ok, JSON.stringify(first)).toBe(true);
    const reference = parseFit(first.run?.stdout ?? '');
    // The stream holds the Arrow file's rows: the same fit (one unit instead of three
    // merged record batches, so equal to rounding).
    const file = references.get('arrow') as Reference;
    expect(reference.rows).toBe(file.rows);
    reference.estimates.forEach((e, j) => {
      expect(Math.abs(e - (file.estimates[j] as number))).toBeLessThan(1e-12 * (1 + Math.abs(e)));
    });
    const only = process.env.HOSTILE_FAMILY;
    const cases = stdinCases(bases.stdin, STDIN_PER_FAMILY, SEED).filter(
      (c) => only === undefined || c.family.includes(only),
    );
    const counts = new Map<string, FamilyCount>();
    let peak = 0;
    for (const [index, c] of cases.entries()) {
      const verdict = await runStdinCase(dir, index, c, reference);
      peak = Math.max(peak, verdict.run?.rssMb ?? 0);
      countVerdict(counts, c, verdict);
    }
    if (FULL || process.env.HOSTILE_VERBOSE === '1') {
      console.log(
        `hostile standard input, seed ${SEED} (peak RSS ${peak} MB):\n${countTable(counts)}`,
      );
    }
    const failures = [...counts].flatMap(([family, c]) => c.failures.map((f) => `${family}: ${f}`));
    if (process.env.HOSTILE_VERBOSE === '1') console.log(failures.join('\n'));
    if (only === undefined) expect(cases.length).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  },
  FULL ? 3_600_000 : 120_000,
);
