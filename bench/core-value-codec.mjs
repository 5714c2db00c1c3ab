// The state files' value encoding (value-codec.ts) against Node's
// v8.serialize, which it replaced: bytes, encode and decode times of an
// accumulator state (k = 102 and 2000) and of level findings with many
// strings. Decode includes the private copy the v8 reader needed (its typed
// arrays were views of its input); the value decoder copies by itself.
//
//   npx tsc -b packages/core && node bench/core-value-codec.mjs [--runs 9]
//
// Each figure is the median of --runs timed runs (CPU time, robust to a
// shared machine) after one warm-up run.

import { deserialize, serialize } from 'node:v8';
import { decodeValue, encodeValue } from '../packages/core/dist/engine/rounds/value-codec.js';
import { cpuSince, median } from './lib/timing.mjs';
import { xorshiftUniform } from './lib/xorshift.mjs';

const at = process.argv.indexOf('--runs');
const runs = at > 0 ? Number(process.argv[at + 1]) : 9;
const rand = xorshiftUniform();

function time(f, reps) {
  f();
  const ms = [];
  for (let r = 0; r < runs; r++) {
    const start = process.cpuUsage();
    for (let i = 0; i < reps; i++) f();
    ms.push(cpuSince(start) / reps);
  }
  return median(ms).toFixed(3);
}

const v8Decode = (bytes) => {
  const own = Buffer.alloc(bytes.length);
  own.set(bytes);
  return deserialize(own);
};

const cases = [102, 2000].map((k) => ({
  name: `accumulator k = ${k}`,
  reps: k > 1000 ? 1 : 200,
  value: {
    spec: { kind: 'qr', p: k - 2, intercept: true, weighted: false },
    data: Float64Array.from({ length: 14 + k * k }, rand),
  },
}));
cases.push({
  name: 'levels: 20000 strings, 20000 numbers',
  reps: 5,
  value: {
    text: [Array.from({ length: 20000 }, (_, i) => `level-${i}`), null],
    numbers: [null, Array.from({ length: 20000 }, rand)],
    sums: [null, null],
    overflow: [false, false],
    rows: 1e6,
  },
});

for (const { name, reps, value } of cases) {
  const mine = encodeValue(value);
  const theirs = serialize(value);
  console.log(
    `${name}: ${mine.length} bytes (v8 ${theirs.length}); ` +
      `encode ${time(() => encodeValue(value), reps)} ms (v8 ${time(() => serialize(value), reps)}); ` +
      `decode ${time(() => decodeValue(mine, 'bench'), reps)} ms (v8 ${time(() => v8Decode(theirs), reps)})`,
  );
}
