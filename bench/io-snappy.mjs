#!/usr/bin/env node
/**
 * Snappy page decompression throughput on real Parquet pages: linreg's decoder
 * (packages/io fast path) against hysnappy's WASM decoder (what
 * hyparquet-compressors uses; its cost includes copying the page into WASM
 * memory and the result out, as any caller must), hyparquet's JS decoder and
 * snappyjs (parquetjs-lite's). Pages are the compressed bodies of a few column
 * chunks, found by hopping page headers with the fast path's own parser, of
 *   - bench/data/e2e-1000000x100-g16.parquet (hyparquet-writer: literals mixed
 *     with many short copies), made by bench/end-to-end.mjs;
 *   - bench/data/parquet-1000000x101-rg122880-snappy.parquet (DuckDB), made by
 *     bench/io-parquet.mjs.
 * A file that is missing is skipped. Every decoder's output is checked against
 * ours once before timing.
 *
 * Rate = uncompressed MB (10^6 bytes) / CPU seconds (process.cpuUsage, user +
 * system) of one pass over all pages; median of SNAPPY_RUNS passes after two
 * untimed warm-up passes, the decoders taking turns pass by pass.
 *
 * Decoders: ours = decompress.ts's SNAPPY case (picks our JS or our WASM
 * decoder, packages/io/wasm/snappy.ts, per page; into a reused page buffer),
 * ours-js = snappy.ts alone, ours-wasm = snappy-wasm.ts alone (the WASM
 * decoder, whatever the page), hysnappy = its reused uncompressor (returns a
 * fresh copy of its output), hyparquet = hyparquet's JS decoder, snappyjs =
 * its SnappyDecompressor into a reused buffer, extra = the snappyDecompress of
 * the module at SNAPPY_EXTRA (to compare an older build), extra-wasm = the
 * WASM decoder whose base64 is the SNAPPY_WASM_BASE64 export of the module at
 * SNAPPY_EXTRA_WASM (an older snappy-binary.js, e.g. a copy of
 * packages/io/dist/parquet/fast-path/snappy-binary.js taken before a change),
 * driven as snappy-wasm.ts drives ours.
 *
 * Env: SNAPPY_RUNS=9  SNAPPY_CHUNKS=8 (column chunks per file, spread over
 * row groups and columns)  SNAPPY_DECODERS=ours,ours-js,hysnappy,hyparquet,snappyjs
 * SNAPPY_EXTRA=/path/to/snappy.js  SNAPPY_EXTRA_WASM=/path/to/snappy-binary.js
 * Needs `npx tsc -b packages/io` first (imports packages/io/dist).
 *
 *   node bench/io-snappy.mjs
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const RUNS = Number(process.env.SNAPPY_RUNS ?? 9);
const CHUNKS = Number(process.env.SNAPPY_CHUNKS ?? 8);
const DECODERS = (
  process.env.SNAPPY_DECODERS ??
  `ours,ours-js,ours-wasm,hysnappy,hyparquet,snappyjs${process.env.SNAPPY_EXTRA ? ',extra' : ''}${
    process.env.SNAPPY_EXTRA_WASM ? ',extra-wasm' : ''
  }`
).split(',');

const io = (path) => import(pathToFileURL(join(root, 'packages/io/dist', path)).href);
const { decompressSnappy, PageBuffer } = await io('parquet/fast-path/decompress.js');
const { snappyDecompress, skipSnappyLength } = await io('parquet/fast-path/snappy.js');
const { snappyDecompressWasm } = await io('parquet/fast-path/snappy-wasm.js');
const { readPageHeader, emptyPageHeader, PageType } = await io('parquet/fast-path/page-header.js');
const { CompactReader } = await io('parquet/fast-path/thrift-compact.js');
const ioModules = join(root, 'packages/io/node_modules');
const dep = (path) => import(pathToFileURL(join(ioModules, path)).href);
const { parquetMetadata } = await dep('hyparquet/src/metadata.js');
const { snappyUncompress: hyparquetSnappy } = await dep('hyparquet/src/snappy.js');
const { snappyUncompressor } = await dep('hysnappy/js/index.js');
const require = createRequire(import.meta.url);
const { SnappyDecompressor } = require(
  join(root, 'node_modules/.pnpm/snappyjs@0.6.1/node_modules/snappyjs/snappy_decompressor.js'),
);
// Optional extra decoder to compare, e.g. a build of an older snappy.ts.
const extra = process.env.SNAPPY_EXTRA
  ? (await import(pathToFileURL(process.env.SNAPPY_EXTRA).href)).snappyDecompress
  : undefined;

// Optional older WASM decoder to compare, e.g. the snappy-binary.js of an older build.
const extraWasm = process.env.SNAPPY_EXTRA_WASM
  ? wasmDecoder(
      (await import(pathToFileURL(process.env.SNAPPY_EXTRA_WASM).href)).SNAPPY_WASM_BASE64,
    )
  : undefined;

const files = [
  join(here, 'data/e2e-1000000x100-g16.parquet'),
  join(here, 'data/parquet-1000000x101-rg122880-snappy.parquet'),
];

/** Each decoder: (page, output buffer of page.size bytes) => the decoded bytes. */
const hysnappy = snappyUncompressor();
const reuse = new PageBuffer();
const decoders = {
  ours: (page) => decompressSnappy(page.body, page.size, reuse),
  'ours-js': (page, out) => {
    snappyDecompress(page.body, out);
    return out;
  },
  'ours-wasm': (page, out) => {
    snappyDecompressWasm(page.body, page.size, out);
    return out;
  },
  'extra-wasm': (page, out) => {
    extraWasm(page.body, page.size, out);
    return out;
  },
  extra: (page, out) => {
    extra(page.body, out);
    return out;
  },
  hysnappy: (page) => hysnappy(page.body, page.size),
  hyparquet: (page, out) => {
    hyparquetSnappy(page.body, out);
    return out;
  },
  snappyjs: (page, out) => {
    const d = new SnappyDecompressor(page.body);
    if (d.readUncompressedLength() !== page.size || !d.uncompressToBuffer(out))
      throw new Error('snappyjs rejected a page');
    return out;
  },
};

for (const file of files) {
  if (!existsSync(file)) {
    console.log(`skip ${file}: missing (see the bench that generates it)\n`);
    continue;
  }
  const pages = extractPages(file);
  const compressed = pages.reduce((s, p) => s + p.body.length, 0);
  const total = pages.reduce((s, p) => s + p.size, 0);
  const largest = pages.reduce((m, p) => Math.max(m, p.size), 0);
  const out = new Uint8Array(largest);
  console.log(
    `${file.slice(root.length + 1)}: ${pages.length} snappy pages of ${CHUNKS} column chunks, ` +
      `${(total / 1e6).toFixed(2)} MB -> ${(compressed / 1e6).toFixed(2)} MB compressed`,
  );
  const expected = pages.map((p) => decoders.snappyjs(p, new Uint8Array(p.size)).slice());
  for (const name of DECODERS) {
    const decode = decoders[name];
    pages.forEach((p, i) => {
      const got = decode(p, out.subarray(0, p.size));
      if (Buffer.compare(got, expected[i]) !== 0) throw new Error(`${name} differs on page ${i}`);
    });
    for (let w = 0; w < 2; w++) for (const p of pages) decode(p, out.subarray(0, p.size));
  }
  // Round robin, so a busy neighbour on the shared machine slows all decoders alike.
  const rates = DECODERS.map(() => []);
  for (let run = 0; run < RUNS; run++) {
    DECODERS.forEach((name, d) => {
      const decode = decoders[name];
      const start = process.cpuUsage();
      for (const p of pages) decode(p, out.subarray(0, p.size));
      const used = process.cpuUsage(start);
      rates[d].push(total / 1e6 / ((used.user + used.system) / 1e6));
    });
  }
  DECODERS.forEach((name, d) => {
    const r = rates[d].sort((x, y) => x - y);
    console.log(
      `  ${name.padEnd(10)} ${r[r.length >> 1].toFixed(0).padStart(6)} MB/s  (min ${r[0].toFixed(0)}, max ${r[r.length - 1].toFixed(0)})`,
    );
  });
  console.log('');
}

/**
 * The compressed bodies and uncompressed sizes of the snappy pages of CHUNKS
 * column chunks spread over the file's row groups and columns.
 */
function extractPages(file) {
  const fd = openSync(file, 'r');
  try {
    const size = statSync(file).size;
    const tail = readAt(fd, size - 8, 8);
    const footerLength = new DataView(tail.buffer).getUint32(0, true);
    const footer = readAt(fd, size - 8 - footerLength, footerLength + 8);
    const meta = parquetMetadata(footer.buffer);
    const groups = meta.row_groups;
    const pages = [];
    for (let k = 0; k < CHUNKS; k++) {
      const group = groups[Math.floor((k * groups.length) / CHUNKS)];
      const column = group.columns[Math.floor((k * 37) % group.columns.length)].meta_data;
      if (column.codec !== 'SNAPPY') throw new Error(`${file}: codec ${column.codec}`);
      const start = Number(column.dictionary_page_offset ?? column.data_page_offset);
      const bytes = readAt(fd, start, Number(column.total_compressed_size));
      collectPages(bytes, pages);
    }
    return pages;
  } finally {
    closeSync(fd);
  }
}

function collectPages(bytes, pages) {
  const h = emptyPageHeader();
  let pos = 0;
  while (pos < bytes.length) {
    const reader = new CompactReader(bytes, pos);
    readPageHeader(reader, h);
    let bodyStart = reader.pos;
    let size = h.uncompressedSize;
    const end = reader.pos + h.compressedSize;
    if (h.type === PageType.DATA_PAGE_V2) {
      // v2 levels precede the body uncompressed.
      const levels = h.defLevelsByteLength + h.repLevelsByteLength;
      bodyStart += levels;
      size -= levels;
      if (!h.isCompressed) size = -1;
    }
    if (size > 0) pages.push({ body: bytes.subarray(bodyStart, end), size });
    pos = end;
  }
}

function readAt(fd, position, length) {
  const buf = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) throw new Error('unexpected end of file');
    done += n;
  }
  return buf;
}

/**
 * A decoder around a snappy WASM module given as base64, driven as
 * snappy-wasm.ts drives ours: the body in at inputAt() (0 for modules from
 * before it existed), 16 bytes of slack, the output 16-byte aligned past it.
 */
function wasmDecoder(base64) {
  const exports = new WebAssembly.Instance(
    new WebAssembly.Module(Buffer.from(base64, 'base64')),
    {},
  ).exports;
  const at = exports.inputAt ? exports.inputAt() : 0;
  return (input, size, out) => {
    const start = skipSnappyLength(input, size);
    const inLen = input.length - start;
    const outAt = (at + inLen + 16 + 15) & ~15;
    const need = outAt + size + 16;
    const have = exports.memory.buffer.byteLength;
    if (have < need) exports.memory.grow(Math.ceil((need - have) / 65536));
    const heap = new Uint8Array(exports.memory.buffer);
    heap.set(input.subarray(start), at);
    const rc = exports.uncompress(at, inLen, outAt, size);
    if (rc !== 0) throw new Error(`extra-wasm: code ${rc}`);
    out.set(heap.subarray(outAt, outAt + size));
  };
}
