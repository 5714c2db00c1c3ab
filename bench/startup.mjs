#!/usr/bin/env node
/**
 * Fixed cost of a `linreg` run (README "Start-up"): `--version`, `--help`, a
 * 5-row CSV fit on one and two workers, and (when the file exists) the
 * 1M×100 Parquet fit of bench/end-to-end.mjs, each run by every build given,
 * the builds taking turns run by run. Each run is timed by
 * `/usr/bin/time -f '%e %U %S %M'`: wall seconds, CPU seconds (user +
 * system, all threads) and peak memory; the table gives medians. The load
 * average is printed before and after: on a shared machine, wall times
 * follow it; CPU seconds much less.
 *
 * Builds: "compiled" = packages/cli/dist/bin.js, "bundled" =
 * packages/cli/dist/bundle/linreg.js (the installed `linreg`), and
 * "before" = STARTUP_BEFORE, the bin.js of another build (e.g. a copy of
 * packages/ from an older commit, its node_modules linked).
 *
 * Env: STARTUP_RUNS=9  STARTUP_BEFORE=/path/to/bin.js
 * STARTUP_BIG=bench/data/e2e-1000000x100-g16.parquet
 * Needs `npx -y pnpm@12.4.2 build` first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.env.STARTUP_RUNS ?? 9);
const big = process.env.STARTUP_BIG ?? join(root, 'bench/data/e2e-1000000x100-g16.parquet');

const builds = [
  ...(process.env.STARTUP_BEFORE ? [['before', process.env.STARTUP_BEFORE]] : []),
  ['compiled', join(root, 'packages/cli/dist/bin.js')],
  ['bundled', join(root, 'packages/cli/dist/bundle/linreg.js')],
];
for (const [name, bin] of builds) {
  if (!existsSync(bin)) throw new Error(`${name}: ${bin} is missing (run the build first)`);
}

const dir = mkdtempSync(join(tmpdir(), 'linreg-startup-'));
const toy = join(dir, 'toy5.csv');
writeFileSync(toy, 'x1,x2,y\n1,2,3.1\n2,1,5\n3,4,6.9\n4,3,9.2\n5,7,11\n');

const commands = [
  ['--version', ['--version']],
  ['--help', ['--help']],
  ['fit toy5.csv -y y -j 1', ['fit', toy, '-y', 'y', '-j', '1']],
  ['fit toy5.csv -y y -j 2', ['fit', toy, '-y', 'y', '-j', '2']],
  ...(existsSync(big)
    ? [
        [
          '1M×100 -j 2 normal',
          ['fit', big, '-y', 'y', '--refine', 'off', '-j', '2', '--solver', 'normal', '-q'],
        ],
      ]
    : []),
];

/** One timed run: [wall s, cpu s, max RSS MB]. */
function timed(bin, args) {
  const run = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, bin, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed:\n${run.stderr}`);
  const [e, u, s, m] = run.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return [e, u + s, m / 1024];
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[(s.length - 1) >> 1] / 2 + s[s.length >> 1] / 2;
};

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
console.log(`load average before: ${load()}; ${runs} runs`);
const samples = new Map();
for (let r = 0; r < runs; r += 1) {
  for (const [label, args] of commands) {
    for (const [name, bin] of builds) {
      const key = `${label}\t${name}`;
      if (!samples.has(key)) samples.set(key, []);
      samples.get(key).push(timed(bin, args));
    }
  }
}
console.log(`load average after: ${load()}`);
console.log(
  'command'.padEnd(26),
  'build'.padEnd(9),
  'wall s'.padStart(7),
  'cpu s'.padStart(7),
  'maxRSS'.padStart(8),
);
for (const [key, xs] of samples) {
  const [label, name] = key.split('\t');
  const [wall, cpu, rss] = [0, 1, 2].map((i) => median(xs.map((x) => x[i])));
  console.log(
    label.padEnd(26),
    name.padEnd(9),
    wall.toFixed(3).padStart(7),
    cpu.toFixed(3).padStart(7),
    `${rss.toFixed(0)} MB`.padStart(8),
  );
}
rmSync(dir, { recursive: true, force: true });
