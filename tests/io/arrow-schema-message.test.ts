/**
 * Arrow IPC files carry the schema twice when written with the leading
 * schema message (linreg's writer, Arrow C++, pyarrow): the reader compares
 * it with the footer's, so a damaged type tag in either is refused instead of
 * a column read as another type. Files without it (apache-arrow's JS writer,
 * linreg before) still read.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateDataset, IoError, planInputs, readUnit } from '@linreg/io';
import {
  Field,
  Float64,
  Message,
  MessageHeader,
  Schema,
  Table,
  Type,
  tableFromIPC,
  tableToIPC,
} from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaFirstFileWriter } from '../../packages/io/src/writers/arrow-file-writer.js';
import { tempDir } from '../e2e/cli-harness.js';

let dir: string;
let ours: Uint8Array;
let plain: Uint8Array;

beforeAll(async () => {
  dir = await tempDir('arrow-schema-message');
  const ds = await generateDataset({
    dir: join(dir, 'gen'),
    rows: 120,
    cols: 2,
    shards: 1,
    format: 'arrow',
    seed: 3,
    rowGroupRows: 40,
    missing: 0.1,
  });
  ours = new Uint8Array(await readFile(ds.files[0] as string));
  // The same table through apache-arrow's own file writer: no schema message.
  plain = tableToIPC(tableFromIPC(ours), 'file');
});

afterAll(async () => {
  const { rm } = await import('node:fs/promises');
  await rm(dir, { recursive: true, force: true });
});

async function values(bytes: Uint8Array, name: string): Promise<number[]> {
  const file = join(dir, name);
  await writeFile(file, bytes);
  const plan = await planInputs([file]);
  const out: number[] = [];
  for (const unit of plan.units) {
    for await (const b of readUnit(unit, ['x0', 'x1', 'y'], { batchRows: 1000 })) {
      for (let i = 0; i < b.rows; i += 1) {
        for (let j = 0; j < 3; j += 1) {
          out.push(
            b.nulls[j]?.[i] === 1 ? Number.NaN : ((b.columns[j] as Float64Array)[i] as number),
          );
        }
      }
    }
  }
  return out;
}

async function refusal(bytes: Uint8Array, name: string): Promise<string> {
  try {
    await values(bytes, name);
  } catch (error) {
    expect(error).toBeInstanceOf(IoError);
    return (error as Error).message;
  }
  throw new Error(`${name}: read without an error`);
}

/** Footer byte edits FloatingPoint (3) → Timestamp (10) that apache-arrow decodes as a Timestamp column. */
function typeEdits(bytes: Uint8Array, from: number, to: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = from; at < to; at += 1) {
    if (bytes[at] !== Type.Float) continue;
    const damaged = bytes.slice();
    damaged[at] = Type.Timestamp;
    try {
      const schema = tableFromIPC(damaged).schema;
      if (schema.fields.some((f) => f.type.typeId === Type.Timestamp)) out.push(damaged);
    } catch {
      // not a type tag: the edit broke the file some other way
    }
  }
  return out;
}

const footerStart = (b: Uint8Array): number =>
  b.length - 10 - new DataView(b.buffer, b.byteOffset).getInt32(b.length - 10, true);

describe('Arrow file schema message', () => {
  it('our writer puts a schema message after the magic; apache-arrow reads the file', () => {
    const view = new DataView(ours.buffer, ours.byteOffset, ours.byteLength);
    expect(view.getUint32(8, true)).toBe(0xffffffff);
    const length = view.getInt32(12, true);
    const message = Message.decode(ours.subarray(16, 16 + length));
    expect(message.headerType).toBe(MessageHeader.Schema);
    expect(tableFromIPC(ours).numRows).toBe(120);
    // apache-arrow's writer: a record batch (or dictionary) message right after the magic.
    expect(Message.decode(plain.subarray(16)).headerType).not.toBe(MessageHeader.Schema);
  });

  it('files with and without the schema message read the same values', async () => {
    const a = await values(ours, 'ours.arrow');
    const b = await values(plain, 'plain.arrow');
    expect(a.length).toBe(360);
    expect(a).toEqual(b);
  });

  it('a column type edited in the footer is refused: the schema message disagrees', async () => {
    const edits = typeEdits(ours, footerStart(ours), ours.length - 10);
    expect(edits.length).toBeGreaterThan(0);
    for (const [k, damaged] of edits.entries()) {
      expect(await refusal(damaged, `footer-${k}.arrow`)).toMatch(
        /: schema message: Arrow IPC: the footer and the schema message disagree: column (x0|x1|y) is Timestamp<\w+> in the footer, Float64 in the schema message$/,
      );
    }
  });

  it('a column type edited in the schema message is refused the same way', async () => {
    const first = 16 + new DataView(ours.buffer, ours.byteOffset).getInt32(12, true);
    const edits: Uint8Array[] = [];
    for (let at = 16; at < first; at += 1) {
      if (ours[at] !== Type.Float) continue;
      const damaged = ours.slice();
      damaged[at] = Type.Timestamp;
      edits.push(damaged);
    }
    const messages = await Promise.all(edits.map((d, k) => refusal(d, `message-${k}.arrow`)));
    expect(
      messages.some((m) => /disagree: column \w+ is Float64 in the footer, Timestamp/.test(m)),
    ).toBe(true);
  });

  it('a file without record batches reads with or without the schema message', async () => {
    const schema = new Schema([
      new Field('x0', new Float64(), true),
      new Field('y', new Float64(), true),
    ]);
    const empty = new SchemaFirstFileWriter().writeAll(new Table(schema)).toUint8Array(true);
    expect(new DataView(empty.buffer, empty.byteOffset).getUint32(8, true)).toBe(0xffffffff);
    for (const [name, bytes] of [
      ['empty-ours.arrow', empty],
      ['empty-plain.arrow', tableToIPC(new Table(schema), 'file')],
    ] as const) {
      const file = join(dir, name);
      await writeFile(file, bytes);
      const plan = await planInputs([file]);
      expect(plan.columns.map((c) => c.name)).toEqual(['x0', 'y']);
      expect(plan.units.length).toBe(0);
    }
  });

  it('a schema message length that runs past the first block is refused', async () => {
    const damaged = ours.slice();
    new DataView(damaged.buffer).setInt32(12, 0x7fffffff, true);
    expect(await refusal(damaged, 'length.arrow')).toMatch(
      /: schema message: Arrow IPC: metadata length 2147483647 does not fit in bytes 8-\d+, before the first block$/,
    );
  });

  it('without a schema message the same footer edit cannot be seen (documented limit)', async () => {
    const edits = typeEdits(plain, footerStart(plain), plain.length - 10);
    expect(edits.length).toBeGreaterThan(0);
    // Read as the edited type: no error, and the column is no longer Float64.
    const file = join(dir, 'plain-edit.arrow');
    await writeFile(file, edits[0] as Uint8Array);
    const plan = await planInputs([file]);
    expect(plan.columns.some((c) => /timestamp/i.test(JSON.stringify(c)))).toBe(true);
  });
});
