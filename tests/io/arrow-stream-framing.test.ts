/**
 * The checking framing reader in front of apache-arrow's stream reader
 * (packages/io/src/arrow/stream-framing.ts): damaged length fields, cut
 * streams and concatenations are refused with one IoError naming the input
 * and the message; valid streams read the same however their bytes arrive.
 */
import { Readable } from 'node:stream';
import { type ColumnBatch, IoError, openStream } from '@linreg/io';
import { makeVector, RecordBatch, Table, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { openArrowStream } from '../../packages/io/src/arrow/stream.js';

/** Three record batches of x = i / 4 and y = 2x + 1 (exact in binary). */
function streamBytes(): Uint8Array {
  const batches = [0, 1, 2].map(
    (b) =>
      new RecordBatch({
        x: makeVector(Float64Array.from({ length: 50 }, (_, i) => (50 * b + i) / 4)).data[0],
        y: makeVector(Float64Array.from({ length: 50 }, (_, i) => (2 * (50 * b + i)) / 4 + 1))
          .data[0],
      } as never),
  );
  return tableToIPC(new Table(batches), 'stream');
}

/** Message starts: [offset, metadata length, body length] (body length from the header). */
function messages(b: Uint8Array): [number, number, number][] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: [number, number, number][] = [];
  for (let at = 0; at + 8 <= b.length; ) {
    const length = dv.getInt32(at + 4, true);
    if (length === 0) break;
    const root = at + 8 + dv.getUint32(at + 8, true);
    const vtable = root - dv.getInt32(root, true);
    const field = dv.getUint16(vtable, true) > 10 ? dv.getUint16(vtable + 10, true) : 0;
    const body = field === 0 ? 0 : Number(dv.getBigInt64(root + field, true));
    out.push([at, length, body]);
    at += 8 + length + body;
  }
  return out;
}

/** Where the body length of message `i` is stored (Message table field 3, int64). */
function bodyLengthAt(b: Uint8Array, i: number): number {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const [at] = messages(b)[i] as [number, number, number];
  const root = at + 8 + dv.getUint32(at + 8, true);
  const vtable = root - dv.getInt32(root, true);
  return root + dv.getUint16(vtable + 10, true);
}

async function readAll(
  source: AsyncIterable<Uint8Array>,
  limits?: { maxBodyBytes?: number },
): Promise<Float64Array> {
  const stream = await openArrowStream(source, '-', limits);
  const out: number[] = [];
  for await (const b of stream.read(['x', 'y'], { batchRows: 1000 }) as AsyncIterable<ColumnBatch>)
    for (let i = 0; i < b.rows; i += 1) out.push((b.columns[0] as Float64Array)[i] as number);
  return Float64Array.from(out);
}

async function failure(bytes: Uint8Array, limits?: { maxBodyBytes?: number }): Promise<IoError> {
  try {
    await readAll(Readable.from([bytes]), limits);
  } catch (error) {
    expect(error).toBeInstanceOf(IoError);
    expect((error as Error).message).not.toMatch(/\n/);
    return error as IoError;
  }
  throw new Error('the damaged stream was read without an error');
}

describe('Arrow stream framing', () => {
  const good = streamBytes();

  it('reads a valid stream the same whole, byte by byte and in odd chunks', async () => {
    const whole = await readAll(Readable.from([good]));
    expect(whole.length).toBe(150);
    expect(whole[149]).toBe(149 / 4);
    const bytes = Array.from(good, (v) => Uint8Array.of(v));
    expect(await readAll(Readable.from(bytes))).toEqual(whole);
    const odd: Uint8Array[] = [];
    for (let at = 0; at < good.length; at += 13) odd.push(good.subarray(at, at + 13));
    expect(await readAll(Readable.from(odd))).toEqual(whole);
  });

  it('refuses a metadata length beyond 16 MiB before reading it', async () => {
    const bad = good.slice();
    new DataView(bad.buffer).setInt32(4, 0x7fffffff, true);
    const error = await failure(bad);
    expect(error.message).toBe(
      '-: Arrow stream message 0: metadata length 2147483647 is outside 1-16777216 bytes',
    );
  });

  it('refuses a body length of 2^62 naming the message, and one over a configured cap', async () => {
    const bad = good.slice();
    new DataView(bad.buffer).setBigInt64(bodyLengthAt(bad, 2), 1n << 62n, true);
    expect((await failure(bad)).message).toBe(
      `-: Arrow stream message 2: body length ${1n << 62n} exceeds the 1073741824-byte limit for one message`,
    );
    const capped = await failure(good, { maxBodyBytes: 100 });
    expect(capped.message).toMatch(
      /^-: Arrow stream message 1: body length \d+ exceeds the 100-byte/,
    );
  });

  it('a body length the bytes do not hold is refused as truncated without allocating it', async () => {
    const bad = good.slice();
    const claimed = 900 * 1024 * 1024;
    new DataView(bad.buffer).setBigInt64(bodyLengthAt(bad, 3), BigInt(claimed), true);
    const before = process.memoryUsage().arrayBuffers;
    const error = await failure(bad);
    // The header is checked against the claimed length first: its buffers then leave
    // most of the body unaccounted for, or the stream ends inside it.
    expect(error.message).toMatch(/^-: Arrow stream message 3: /);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses a stream cut inside a message, or at a message boundary without its end marker', async () => {
    const [, , [at, length, body]] = messages(good) as [number, number, number][];
    const inside = await failure(good.subarray(0, at + 8 + length + 5));
    expect(inside.code).toBe('truncated');
    expect(inside.message).toBe(
      `-: Arrow stream message 2: the stream ended at byte ${at + 8 + length + 5}, inside a ${body}-byte message body`,
    );
    const boundary = await failure(good.subarray(0, at + 8 + length + body));
    expect(boundary.message).toBe(
      `-: Arrow stream message 3: the stream ended at byte ${at + 8 + length + body} without its end-of-stream marker (the writer stopped early?)`,
    );
  });

  it('refuses two streams concatenated (only the first would be read)', async () => {
    const twice = new Uint8Array(2 * good.length);
    twice.set(good, 0);
    twice.set(good, good.length);
    expect((await failure(twice)).message).toMatch(
      /^-: Arrow stream message 4: data after the end-of-stream marker at byte \d+/,
    );
  });

  it('refuses a stream that does not start with a schema, and a second schema', async () => {
    const [, [at, length, body]] = messages(good) as [number, number, number][];
    const batchFirst = good.slice(at);
    expect((await failure(batchFirst)).message).toBe(
      '-: Arrow stream message 0: the stream does not start with a schema message',
    );
    const [schemaStart, schemaLength] = messages(good)[0] as [number, number, number];
    const schema = good.subarray(schemaStart, schemaStart + 8 + schemaLength);
    const doubled = new Uint8Array(good.length + schema.length);
    doubled.set(good.subarray(0, at + 8 + length + body), 0);
    doubled.set(schema, at + 8 + length + body);
    doubled.set(good.subarray(at + 8 + length + body), at + 8 + length + body + schema.length);
    expect((await failure(doubled)).message).toBe(
      '-: Arrow stream message 2: a second schema message',
    );
  });

  it('an empty input is still the one "no Arrow IPC stream" error (through openStream)', async () => {
    await expect(openStream(Readable.from([]), '-')).rejects.toThrow(
      /^-: no Arrow IPC stream: the input is empty or ended before a schema$/,
    );
  });
});
