/**
 * Dates, times and timestamps: not numeric unless a fit opts in (`temporal`),
 * then read as float64 seconds since the epoch (times: since midnight), the
 * same from Parquet (fast path and hyparquet fallback) and Arrow (file and
 * stream), one correctly rounded conversion of the stored integer.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  type ColumnBatch,
  commonColumns,
  IoError,
  type Plan,
  planInputs,
  readStream,
  readUnit,
  selectColumns,
} from '@linreg/io';
import {
  type Data,
  type DataType,
  DateDay,
  DateMillisecond,
  type Float64,
  makeData,
  makeVector,
  RecordBatch,
  Table,
  TimeMicrosecond,
  TimeMillisecond,
  TimeNanosecond,
  TimeSecond,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  TimestampSecond,
  tableToIPC,
} from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBytes } from '../../packages/io/src/bytes/local-bytes.js';
import { fallbackCursor } from '../../packages/io/src/parquet/fallback.js';
import { fileMeta } from '../../packages/io/src/parquet/metadata-cache.js';
import { SecondsCursor } from '../../packages/io/src/parquet/seconds-cursor.js';
import { DuckDb, tempDir } from './support/duckdb.js';

const tmp = tempDir('linreg-temporal-');
let db: DuckDb;
beforeAll(async () => {
  db = await DuckDb.open();
});
afterAll(() => {
  db.close();
  tmp.cleanup();
});

/** Every column of every unit of the plan, concatenated; nulls as NaN. */
async function readAll(plan: Plan, columns: readonly string[]): Promise<Float64Array[]> {
  const batches: ColumnBatch[] = [];
  for (const unit of plan.units) {
    for await (const b of readUnit(unit, columns, { batchRows: 100 })) batches.push(b);
  }
  return concat(batches, columns.length);
}

function concat(batches: readonly ColumnBatch[], width: number): Float64Array[] {
  const rows = batches.reduce((sum, b) => sum + b.rows, 0);
  const out = Array.from({ length: width }, () => new Float64Array(rows));
  let at = 0;
  for (const b of batches) {
    for (let j = 0; j < width; j++) {
      const values = (out[j] as Float64Array).subarray(at, at + b.rows);
      values.set(b.columns[j] as Float64Array);
      const nulls = b.nulls[j];
      if (nulls) for (let i = 0; i < b.rows; i++) if (nulls[i] === 1) values[i] = Number.NaN;
    }
    at += b.rows;
  }
  return out;
}

function caught(call: () => unknown): IoError {
  try {
    call();
  } catch (error) {
    if (error instanceof IoError) return error;
    throw error;
  }
  throw new Error('expected an IoError');
}

const ROWS = 300;

/**
 * Temporal columns built from integer columns stored alongside (`*_n`), so
 * the expected seconds follow from the stored integers: far past and future,
 * beyond 2^53 micro- and nanoseconds, nulls in `day`.
 */
const PARQUET_SELECT = `
  SELECT i::DOUBLE AS x,
         CASE WHEN i % 7 = 3 THEN NULL ELSE DATE '1970-01-01' + day_n::INTEGER END AS day, day_n,
         make_timestamp(us) AS ts, us AS ts_n,
         make_timestamp(ms * 1000)::TIMESTAMP_MS AS ts_ms, ms AS ts_ms_n,
         make_timestamp_ns(ns) AS ts_ns, ns AS ts_ns_n,
         make_timestamptz(us) AS tstz,
         TIME '00:00:00' + INTERVAL (tus) MICROSECOND AS t, tus AS t_n
  FROM (
    SELECT i, (i * 37 - 4000)::BIGINT AS day_n,
           ((i - 100) * 98765432109877 + 1767225600123457)::BIGINT AS us,
           ((i - 150) * 9876543210987 + 1767225600123)::BIGINT AS ms,
           ((i - 150) * 12345678901234567 + 1767225600123456789)::BIGINT AS ns,
           ((i * 287654321) % 86400000000)::BIGINT AS tus
    FROM range(${ROWS}) t(i)
  )`;

/** Seconds from stored integers: days × 86400, else one division (temporal.ts). */
function seconds(raw: Float64Array, scale: 'days' | number): Float64Array {
  return raw.map((v) => (scale === 'days' ? v * 86400 : v / scale));
}

describe('temporal columns from Parquet', () => {
  let file: string;
  let plan: Plan;
  beforeAll(async () => {
    file = await db.writeParquet(join(tmp.dir, 'time.parquet'), PARQUET_SELECT);
    plan = await planInputs([file]);
  });

  it('describes them as temporal, not numeric', () => {
    const byName = Object.fromEntries(plan.columns.map((c) => [c.name, c]));
    expect(byName.day).toMatchObject({ sourceType: 'DATE', numeric: false, temporal: true });
    expect(byName.ts).toMatchObject({ sourceType: 'TIMESTAMP(MICROS)', temporal: true });
    expect(byName.ts_ms).toMatchObject({ sourceType: 'TIMESTAMP(MILLIS)', temporal: true });
    expect(byName.ts_ns).toMatchObject({ sourceType: 'TIMESTAMP(NANOS)', temporal: true });
    expect(byName.tstz).toMatchObject({ sourceType: 'TIMESTAMP(MICROS,UTC)', temporal: true });
    expect(byName.t).toMatchObject({ sourceType: 'TIME(MICROS)', temporal: true });
    expect(byName.x?.temporal).toBeUndefined();
  });

  it('rejects them unless asked, naming file, column and type, with the flag to pass', () => {
    const error = caught(() => selectColumns(plan, { target: 'x', features: ['day_n', 'ts'] }));
    expect(error.code).toBe('non-numeric');
    expect(error.file).toBe(file);
    expect(error.column).toBe('ts');
    expect(error.message).toBe(
      `${file}: ts: type TIMESTAMP(MICROS) is not numeric (pass --timestamps to read it as seconds since the epoch)`,
    );
    expect(caught(() => selectColumns(plan, { target: 't' })).message).toContain(
      'TIME(MICROS) is not numeric (pass --timestamps to read it as seconds since midnight)',
    );
    // Without the option, the default features leave them out.
    expect(selectColumns(plan, { target: 'x' }).features).toEqual([
      'day_n',
      'ts_n',
      'ts_ms_n',
      'ts_ns_n',
      't_n',
    ]);
  });

  it('with temporal, selects them (also by default) and reads seconds since the epoch', async () => {
    const projection = selectColumns(plan, { target: 'x', temporal: true });
    expect(projection.features).toEqual([
      'day',
      'day_n',
      'ts',
      'ts_n',
      'ts_ms',
      'ts_ms_n',
      'ts_ns',
      'ts_ns_n',
      'tstz',
      't',
      't_n',
    ]);
    const [day, dayN, ts, tsN, tsMs, tsMsN, tsNs, tsNsN, tstz, t, tN] = (await readAll(plan, [
      'day',
      'day_n',
      'ts',
      'ts_n',
      'ts_ms',
      'ts_ms_n',
      'ts_ns',
      'ts_ns_n',
      'tstz',
      't',
      't_n',
    ])) as [Float64Array, ...Float64Array[]];
    const expectedDays = seconds(dayN as Float64Array, 'days');
    for (let i = 0; i < ROWS; i++) if (i % 7 === 3) expectedDays[i] = Number.NaN;
    expect(day).toEqual(expectedDays);
    expect(ts).toEqual(seconds(tsN as Float64Array, 1e6));
    expect(tstz).toEqual(ts);
    expect(tsMs).toEqual(seconds(tsMsN as Float64Array, 1e3));
    expect(tsNs).toEqual(seconds(tsNsN as Float64Array, 1e9));
    expect(t).toEqual(seconds(tN as Float64Array, 1e6));
    // Spot checks against the calendar.
    expect(day?.[0]).toBe(-4000 * 86400); // 1959-01-18
    expect(ts?.[100]).toBe(1767225600.123457); // 2026-01-01 00:00:00.123457 UTC
    expect(tsNs?.[150]).toBe(1767225600.1234567); // nearest double to …123456789
  });

  it('converts the hyparquet fallback the same way as the fast path', async () => {
    const unit = plan.units[0];
    expect(plan.units).toHaveLength(1);
    if (unit === undefined) throw new Error('expected one row group');
    const columns = ['day', 'ts_ns', 't'];
    const fast: ColumnBatch[] = [];
    for await (const b of readUnit(unit, columns, { batchRows: 1000 })) fast.push(b);
    const bytes = await LocalBytes.open(file);
    try {
      const meta = await fileMeta(bytes);
      const rows = unit.rowEnd - unit.rowStart;
      for (const [j, column] of columns.entries()) {
        const unitOf = meta.byName.get(column)?.temporalUnit;
        if (unitOf === undefined || unitOf === null) throw new Error(`${column} is not temporal`);
        const inner = await fallbackCursor({
          bytes,
          metadata: meta.metadata,
          column,
          rowStart: 0,
          rowEnd: rows,
          where: unit.label,
        });
        const values = new Float64Array(rows);
        const mask = new Uint8Array(rows);
        new SecondsCursor(inner, unitOf).next(values, mask, 0, rows);
        expect(values, column).toEqual(fast[0]?.columns[j]);
        expect(mask, column).toEqual(fast[0]?.nulls[j] ?? new Uint8Array(rows));
      }
    } finally {
      await bytes.close();
    }
  });
});

/** Arrow column data of `type` over stored integers, null where `nulls` is 1. */
function arrowColumn<T extends DataType>(
  type: T,
  data: Int32Array | BigInt64Array,
  nulls?: Uint8Array,
): Data<T> {
  const length = data.length;
  if (nulls === undefined) return makeData({ type, data, length } as never) as Data<T>;
  const bitmap = new Uint8Array(Math.ceil(length / 8));
  let nullCount = 0;
  for (let i = 0; i < length; i++) {
    if (nulls[i] === 1) nullCount++;
    else bitmap[i >> 3] = (bitmap[i >> 3] as number) | (1 << (i & 7));
  }
  return makeData({ type, data, length, nullBitmap: bitmap, nullCount } as never) as Data<T>;
}

describe('temporal columns from Arrow', () => {
  const n = 50;
  const nulls = Uint8Array.from({ length: n }, (_, i) => (i % 6 === 2 ? 1 : 0));
  const days = Int32Array.from({ length: n }, (_, i) => i * 401 - 9000);
  const big = (scale: bigint, step: bigint) =>
    BigInt64Array.from({ length: n }, (_, i) => 1767225600n * scale + BigInt(i - 20) * step);
  const ms = big(1000n, 98765432109n);
  const us = big(1000000n, 98765432109877n);
  const ns = big(1000000000n, 123456789012345678n);
  const secs = big(1n, 987654321n);
  const timeS = Int32Array.from({ length: n }, (_, i) => (i * 7919) % 86400);
  const timeMs = Int32Array.from({ length: n }, (_, i) => (i * 7919123) % 86400000);
  const timeUs = BigInt64Array.from({ length: n }, (_, i) => BigInt((i * 7919123457) % 86400e6));
  const timeNs = BigInt64Array.from({ length: n }, (_, i) => BigInt(i) * 1234567890123n);

  function batch(): RecordBatch {
    return new RecordBatch({
      y: makeVector(Float64Array.from({ length: n }, (_, i) => i)).data[0] as Data<Float64>,
      day: arrowColumn(new DateDay(), days, nulls),
      date64: arrowColumn(new DateMillisecond(), ms),
      ts_s: arrowColumn(new TimestampSecond(), secs),
      ts_ms: arrowColumn(new TimestampMillisecond('UTC'), ms),
      ts_us: arrowColumn(new TimestampMicrosecond(), us, nulls),
      ts_ns: arrowColumn(new TimestampNanosecond('Europe/Paris'), ns),
      t_s: arrowColumn(new TimeSecond(), timeS),
      t_ms: arrowColumn(new TimeMillisecond(), timeMs),
      t_us: arrowColumn(new TimeMicrosecond(), timeUs),
      t_ns: arrowColumn(new TimeNanosecond(), timeNs),
    });
  }
  const names = ['day', 'date64', 'ts_s', 'ts_ms', 'ts_us', 'ts_ns', 't_s', 't_ms', 't_us', 't_ns'];

  function expected(): Float64Array[] {
    const asF64 = (a: Int32Array | BigInt64Array) =>
      Float64Array.from({ length: a.length }, (_, i) => Number(a[i]));
    const withNulls = (a: Float64Array) => a.map((v, i) => (nulls[i] === 1 ? Number.NaN : v));
    return [
      withNulls(seconds(asF64(days), 'days')),
      seconds(asF64(ms), 1e3),
      asF64(secs),
      seconds(asF64(ms), 1e3),
      withNulls(seconds(asF64(us), 1e6)),
      seconds(asF64(ns), 1e9),
      asF64(timeS),
      seconds(asF64(timeMs), 1e3),
      seconds(asF64(timeUs), 1e6),
      seconds(asF64(timeNs), 1e9),
    ];
  }

  it('describes, gates and reads them from an Arrow file as seconds', async () => {
    const file = join(tmp.dir, 'time.arrow');
    writeFileSync(file, tableToIPC(new Table([batch()]), 'file'));
    const plan = await planInputs([file]);
    const byName = Object.fromEntries(plan.columns.map((c) => [c.name, c]));
    expect(byName.day).toMatchObject({ sourceType: 'Date32<DAY>', numeric: false, temporal: true });
    expect(byName.ts_us).toMatchObject({ sourceType: 'Timestamp<MICROSECOND>', temporal: true });
    expect(byName.y?.temporal).toBeUndefined();
    expect(caught(() => selectColumns(plan, { target: 'y', features: ['ts_ns'] })).message).toBe(
      `${file}: ts_ns: type Timestamp<NANOSECOND, Europe/Paris> is not numeric (pass --timestamps to read it as seconds since the epoch)`,
    );
    expect(caught(() => selectColumns(plan, { target: 'y', features: ['t_us'] })).message).toMatch(
      /Time64<MICROSECOND> is not numeric \(pass --timestamps to read it as seconds since midnight\)$/,
    );
    expect(selectColumns(plan, { target: 'y', temporal: true }).features).toEqual(names);
    expect(await readAll(plan, names)).toEqual(expected());
  });

  it('reads them the same from an Arrow stream', async () => {
    const bytes = tableToIPC(new Table([batch()]), 'stream');
    const batches: ColumnBatch[] = [];
    for await (const b of readStream(Readable.from([bytes]), names, { batchRows: 16 })) {
      batches.push(b);
    }
    expect(concat(batches, names.length)).toEqual(expected());
  });
});

describe('temporal columns across shards and formats', () => {
  it('are temporal in common only when every shard can read them', () => {
    const col = (sourceType: string, numeric: boolean, temporal?: boolean) => ({
      name: 'c',
      sourceType,
      numeric,
      nullable: false,
      ...(temporal ? { temporal } : {}),
    });
    expect(commonColumns([[col('DATE', false, true)], [col('Date32<DAY>', false, true)]])).toEqual([
      {
        name: 'c',
        sourceType: 'DATE|Date32<DAY>',
        numeric: false,
        nullable: false,
        temporal: true,
      },
    ]);
    expect(
      commonColumns([[col('TIMESTAMP(MILLIS)', false, true)], [col('INT64', true)]])[0],
    ).toMatchObject({ numeric: false, temporal: true });
    expect(commonColumns([[col('DATE', false, true)], [col('text', false)]])[0]?.temporal).toBe(
      undefined,
    );
  });

  it('CSV has no temporal columns: a date is text, even when asked', async () => {
    const file = join(tmp.dir, 'dates.csv');
    writeFileSync(file, 'day,y\n2026-01-01,1\n2026-01-02,2\n');
    const plan = await planInputs([file]);
    expect(plan.columns[0]?.temporal).toBeUndefined();
    const error = caught(() =>
      selectColumns(plan, { target: 'y', features: ['day'], temporal: true }),
    );
    expect(error.message).toBe(`${file}: day: type text is not numeric`);
  });
});
