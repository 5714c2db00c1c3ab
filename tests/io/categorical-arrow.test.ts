/**
 * Arrow text and boolean columns read as categories: Utf8, LargeUtf8,
 * Utf8View (inline and out-of-line values), Dictionary of Utf8 / LargeUtf8
 * (a delta dictionary between the record batches of a file, a replacement in
 * a stream), Bool; Arrow IPC files, stream files and streams through
 * readStream; invalid UTF-8, a dictionary index past its dictionary, and a
 * column that is not categorical.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { IoError, planInputs, readStream, readUnit } from '@linreg/io';
import {
  Bool,
  type Data,
  Dictionary,
  Float64,
  Int16,
  Int32,
  LargeUtf8,
  makeData,
  RecordBatch,
  Table,
  tableToIPC,
  Utf8,
  Utf8View,
  type Vector,
  vectorFromArray,
} from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { arrowFileMeta } from '../../packages/io/src/arrow/footer-cache.js';
import { type Cell, decodeBatches, failure, readCells } from './support/categories.js';
import { tempDir } from './support/duckdb.js';

const tmp = tempDir('linreg-cat-arrow-');
afterAll(() => tmp.cleanup());

const TAG = new Dictionary(new Utf8(), new Int32(), 0);
const WIDE = new Dictionary(new LargeUtf8(), new Int16(), 1);
const FIRST = vectorFromArray(['north', 'south'], new Utf8());
/** The first dictionary plus a delta: the file format's only way to grow a dictionary. */
const GROWN = FIRST.concat(vectorFromArray(['east', 'wëst'], new Utf8()));
const SIZES = vectorFromArray(['S', 'M', 'L', 'XL'], new LargeUtf8());

/** Row i of batch `seed`: text with nulls every 5th row, some values longer than 12 bytes. */
function text(seed: number, i: number): string | null {
  if (i % 5 === 4) return null;
  const v = `s${(i * (seed + 2)) % 7}`;
  return i % 3 === 0 ? `${v} — a value longer than twelve bytes` : v;
}

interface Expected {
  readonly rows: number;
  readonly columns: Cell[][];
}

/** A record batch of n rows and the cells expected from it (u, l, v, t, w, b, x). */
function batch(
  seed: number,
  n: number,
  dictionary: Vector,
): { batch: RecordBatch; want: Expected } {
  const values = Array.from({ length: n }, (_, i) => text(seed, i));
  const tags = Int32Array.from({ length: n }, (_, i) => (i * 3 + seed) % dictionary.length);
  const sizes = Int16Array.from({ length: n }, (_, i) => (i + seed) % SIZES.length);
  const bools = values.map((v, i) => (v === null ? null : (i + seed) % 2 === 0));
  const b = new RecordBatch({
    u: vectorFromArray(values, new Utf8()).data[0] as Data,
    l: vectorFromArray(values, new LargeUtf8()).data[0] as Data,
    v: vectorFromArray(values, new Utf8View()).data[0] as Data,
    t: makeData({ type: TAG, data: tags, length: n, dictionary }),
    w: makeData({ type: WIDE, data: sizes, length: n, dictionary: SIZES }),
    b: vectorFromArray(bools, new Bool()).data[0] as Data,
    x: vectorFromArray(
      Array.from({ length: n }, (_, i) => seed + i),
      new Float64(),
    ).data[0] as Data,
  } as never);
  const tagText = Array.from(tags, (k) => dictionary.get(k) as string);
  return {
    batch: b,
    want: {
      rows: n,
      columns: [
        values,
        values,
        values,
        tagText,
        Array.from(sizes, (k) => SIZES.get(k) as string),
        bools.map((v) => (v === null ? null : v ? 'TRUE' : 'FALSE')),
        Array.from({ length: n }, (_, i) => seed + i),
      ],
    },
  };
}

const NAMES = ['u', 'l', 'v', 't', 'w', 'b', 'x'];
const CATEGORICAL = ['u', 'l', 'v', 't', 'w', 'b'];

function concat(parts: readonly Expected[]): Cell[][] {
  return NAMES.map((_, j) => parts.flatMap((p) => p.columns[j] as Cell[]));
}

describe('Arrow columns as categories', () => {
  it('an Arrow file: Utf8, LargeUtf8, Utf8View, dictionaries (with a delta), Bool', async () => {
    const a = batch(1, 23, FIRST);
    const b = batch(2, 31, GROWN);
    const c = batch(3, 17, GROWN);
    const file = join(tmp.dir, 'text.arrow');
    writeFileSync(file, tableToIPC(new Table([a.batch, b.batch, c.batch]), 'file'));
    const plan = await planInputs([file]);
    expect(plan.units).toHaveLength(3);
    const info = Object.fromEntries(plan.columns.map((col) => [col.name, col]));
    for (const name of CATEGORICAL) expect(info[name]?.categorical).toBe(true);
    expect(info.x?.categorical).toBeUndefined();
    expect(info.b).toMatchObject({ numeric: true, categorical: true });
    expect(info.v).toMatchObject({ sourceType: 'Utf8View', numeric: false });
    for (const batchRows of [1, 7, 100]) {
      const cells = await readCells(plan.units, NAMES, CATEGORICAL, batchRows);
      expect(cells).toEqual(concat([a.want, b.want, c.want]));
    }
    // Each unit reads the dictionary it needs; a unit's levels are only what its rows use.
    const unit = plan.units[0];
    if (unit === undefined) throw new Error('no unit');
    for await (const out of readUnit(unit, ['t'], { batchRows: 100, categorical: ['t'] })) {
      expect([...(out.levels?.[0] ?? [])].sort()).toEqual(['north', 'south']);
    }
  });

  it('an Arrow stream, through readStream and as a stream file: a replaced dictionary is remapped', async () => {
    const replaced = vectorFromArray(['west', 'north', 'up', 'down', 'x'], new Utf8());
    const parts = [batch(1, 12, FIRST), batch(2, 9, replaced), batch(3, 14, FIRST)];
    const bytes = tableToIPC(new Table(parts.map((p) => p.batch)), 'stream');
    const want = concat(parts.map((p) => p.want));
    const fromStdin = await decodeBatches(
      readStream(Readable.from([bytes]), NAMES, { batchRows: 5, categorical: CATEGORICAL }),
      NAMES,
      CATEGORICAL,
    );
    expect(fromStdin).toEqual(want);
    // One level list for the whole stream: 'north' keeps one code across both dictionaries.
    let levels: readonly string[] | null | undefined;
    for await (const out of readStream(Readable.from([bytes]), ['t'], {
      batchRows: 4,
      categorical: ['t'],
    })) {
      levels ??= out.levels?.[0];
      expect(out.levels?.[0]).toBe(levels);
    }
    expect([...(levels ?? [])].sort()).toEqual(['down', 'north', 'south', 'up', 'west', 'x']);

    const file = join(tmp.dir, 'text.arrows');
    writeFileSync(file, bytes);
    const plan = await planInputs([file]);
    expect(plan.units).toHaveLength(1);
    expect(await readCells(plan.units, NAMES, CATEGORICAL, 8)).toEqual(want);
  });

  it('invalid UTF-8 decodes with replacement characters', async () => {
    const bytes = Uint8Array.from([0x61, 0xff, 0x62, 0xef, 0xbb, 0xbf, 0x63, 0xfe]);
    const offsets = Int32Array.from([0, 3, 3, 7, 8]);
    const data = makeData({ type: new Utf8(), length: 4, valueOffsets: offsets, data: bytes });
    const file = join(tmp.dir, 'utf8.arrow');
    writeFileSync(file, tableToIPC(new Table([new RecordBatch({ s: data } as never)]), 'file'));
    const plan = await planInputs([file]);
    const [cells] = await readCells(plan.units, ['s'], ['s']);
    expect(cells).toEqual(['a\uFFFDb', '', '\uFEFFc', '\uFFFD']);
  });
});

describe('Arrow categorical errors', () => {
  it('a numeric column asked as a category: one line naming file and column', async () => {
    const file = join(tmp.dir, 'numbers.arrow');
    writeFileSync(file, tableToIPC(new Table([batch(1, 5, FIRST).batch]), 'file'));
    const plan = await planInputs([file]);
    const unit = plan.units[0];
    if (unit === undefined) throw new Error('no unit');
    const error = await failure(() => readCells([unit], ['u', 'x'], ['u', 'x']));
    expect(error).toBeInstanceOf(IoError);
    expect((error as IoError).code).toBe('unsupported');
    expect(error.message).toBe(
      `${file}: x: ${unit.label}: type Float64 cannot be read as a category`,
    );
    const stream = tableToIPC(new Table([batch(1, 5, FIRST).batch]), 'stream');
    const fromStdin = await failure(() =>
      decodeBatches(
        readStream(Readable.from([stream]), ['x'], { batchRows: 5, categorical: ['x'] }),
        ['x'],
        ['x'],
      ),
    );
    expect(fromStdin.message).toBe(
      '-: x: record batch 0: type Float64 cannot be read as a category',
    );
  });

  it('a dictionary index past its dictionary is corrupt, in a file and in a stream', async () => {
    const bad = new RecordBatch({
      t: makeData({ type: TAG, data: Int32Array.from([0, 1, 9, 0]), length: 4, dictionary: FIRST }),
    } as never);
    const file = join(tmp.dir, 'bad-index.arrow');
    writeFileSync(file, tableToIPC(new Table([bad]), 'file'));
    const plan = await planInputs([file]);
    const error = await failure(() => readCells(plan.units, ['t'], ['t']));
    expect(error).toBeInstanceOf(IoError);
    expect(error).toMatchObject({ code: 'corrupt', file, column: 't' });
    expect(error.message).toContain(
      'row 2: dictionary index 9 out of range for a dictionary of 2 values',
    );
    const fromStdin = await failure(() =>
      decodeBatches(
        readStream(Readable.from([tableToIPC(new Table([bad]), 'stream')]), ['t'], {
          batchRows: 2,
          categorical: ['t'],
        }),
        ['t'],
        ['t'],
      ),
    );
    expect(fromStdin).toBeInstanceOf(IoError);
    expect((fromStdin as IoError).code).toBe('corrupt');
  });

  it('an offset past the data buffer is corrupt, not a crash', async () => {
    const data = makeData({
      type: new Utf8(),
      length: 3,
      valueOffsets: Int32Array.from([0, 3, 7, 12]),
      data: new TextEncoder().encode('abcdefghijkl'),
    });
    const file = join(tmp.dir, 'offsets.arrow');
    const ipc = tableToIPC(new Table([new RecordBatch({ s: data } as never)]), 'file');
    // The offsets buffer (0, 3, 7, 12): make the last one 200.
    const copy = Uint8Array.from(ipc);
    const view = new DataView(copy.buffer);
    let patched = 0;
    for (let i = 0; i + 16 <= copy.length; i += 4) {
      const at = (k: number) => view.getInt32(i + 4 * k, true);
      if (at(0) === 0 && at(1) === 3 && at(2) === 7 && at(3) === 12) {
        view.setInt32(i + 12, 200, true);
        patched += 1;
      }
    }
    expect(patched).toBe(1);
    writeFileSync(file, copy);
    const plan = await planInputs([file]);
    const error = await failure(() => readCells(plan.units, ['s'], ['s']));
    expect(error).toBeInstanceOf(IoError);
    expect(error).toMatchObject({ code: 'corrupt', file, column: 's' });
    expect(error.message).toMatch(/value 2: bytes 7-200 outside the \d+-byte data buffer/);
  });

  it('a damaged dictionary batch is an IoError or reads the same, never another failure', async () => {
    const file = join(tmp.dir, 'dictionary.arrow');
    const good = batch(1, 20, GROWN);
    writeFileSync(file, tableToIPC(new Table([good.batch]), 'file'));
    const handle = await open(file, 'r');
    const meta = await arrowFileMeta(handle, file, String((await handle.stat()).mtimeMs)).finally(
      () => handle.close(),
    );
    expect(meta.dictionaries.length).toBeGreaterThan(0);
    const block = meta.dictionaries[0];
    if (block === undefined) throw new Error('no dictionary block');
    const bytes = readFileSync(file);
    const want = good.want.columns[3];
    let errors = 0;
    const end = block.offset + block.metaDataLength + block.bodyLength;
    for (let at = block.offset; at < end; at += 3) {
      const damaged = Uint8Array.from(bytes);
      damaged[at] = (damaged[at] as number) ^ 0x5a;
      const broken = join(tmp.dir, 'dictionary-broken.arrow');
      writeFileSync(broken, damaged);
      try {
        const plan = await planInputs([broken]);
        const [cells] = await readCells(plan.units, ['t'], ['t']);
        // Text bytes may change (still valid, or replaced); the codes' rows must not move.
        expect(cells?.length).toBe(want?.length);
      } catch (e: unknown) {
        if (!(e instanceof IoError)) throw e;
        expect(e.message).not.toContain('\n');
        errors += 1;
      }
    }
    expect(errors).toBeGreaterThan(0);
  });
});
