import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { compressorsLoaded } from '../compressors.js';
import { PageCorrupt } from './page-corrupt.js';
import { snappyDecompress } from './snappy.js';
import { snappyDecompressWasm } from './snappy-wasm.js';

/** Parquet `CompressionCodec` names as hyparquet's metadata spells them. */
export type Codec =
  | 'UNCOMPRESSED'
  | 'SNAPPY'
  | 'GZIP'
  | 'LZO'
  | 'BROTLI'
  | 'LZ4'
  | 'ZSTD'
  | 'LZ4_RAW';

/**
 * Decompress one page body to exactly `size` bytes. GZIP and BROTLI use
 * node:zlib (native, several times faster than the JS decoders); SNAPPY
 * decompressSnappy, which may decode into `reuse` (the caller's buffer,
 * recycled page after page, so it must not hold a previous page still in
 * use); ZSTD, LZ4 and LZ4_RAW the decoders of hyparquet-compressors (which
 * the caller loads first: compressors.ts). Throws when the output length
 * differs from `size`, so a corrupt page is never half-read.
 */
export function decompress(
  codec: Codec,
  input: Uint8Array,
  size: number,
  reuse?: PageBuffer,
): Uint8Array {
  let out: Uint8Array;
  switch (codec) {
    case 'UNCOMPRESSED':
      out = input;
      break;
    case 'SNAPPY':
      out = decompressSnappy(input, size, reuse);
      break;
    case 'GZIP':
      out = gunzipSync(input);
      break;
    case 'BROTLI':
      out = brotliDecompressSync(input);
      break;
    case 'ZSTD':
      out = compressorsLoaded().decompressZstd(input, new Uint8Array(size));
      break;
    case 'LZ4':
      out = compressorsLoaded().decompressLz4(input, size);
      break;
    case 'LZ4_RAW':
      out = compressorsLoaded().decompressLz4Raw(input, size);
      break;
    default:
      throw new PageCorrupt(`compression codec ${codec} is not supported`);
  }
  if (out.length !== size) {
    throw new PageCorrupt(`page decompressed to ${out.length} bytes, header says ${size}`);
  }
  return out;
}

/**
 * Snappy page of `size` bytes, into `reuse` when given (else a fresh array),
 * by whichever decoder is faster for it. Pages that barely compress (DuckDB's
 * float64 pages: one long literal) go to our JS decoder, which copies a
 * literal with one native `set`, at memory speed, straight into the output
 * (the WASM decoder would do the same copies, plus one in and out when the
 * page is not in its memory). Pages that do compress are mostly short
 * literals and copies (hyparquet-writer's float64 pages: ~4 bytes per
 * element), where the per-element cost dominates and our WASM decoder
 * (snappy-wasm.ts) is faster, in place in its memory (the reader's buffers
 * are: wasm-arena.ts) and even counting copies in and out when not
 * (bench/io-snappy.mjs). The cut, compressed >= 15/16 of the output, is where
 * literals dominate either way.
 */
export function decompressSnappy(input: Uint8Array, size: number, reuse?: PageBuffer): Uint8Array {
  const out = reuse === undefined ? uninitializedBytes(size) : reuse.take(size);
  snappyInto(input, out);
  return out;
}

function snappyInto(input: Uint8Array, out: Uint8Array): void {
  if (input.length * 16 < out.length * 15) snappyDecompressWasm(input, out.length, out);
  else snappyDecompress(input, out);
}

/**
 * Decompress one page body into `out`, which must be exactly its uncompressed
 * size: SNAPPY decodes straight into it (so a page of PLAIN doubles can land
 * in the caller's batch with no copy of its own); other codecs decompress as
 * {@link decompress} does, then copy. Throws PageCorrupt as decompress does.
 */
export function decompressInto(codec: Codec, input: Uint8Array, out: Uint8Array): void {
  if (codec === 'SNAPPY') snappyInto(input, out);
  else out.set(decompress(codec, input, out.length));
}

/** What every PageBuffer starts with (shared: a wide unit makes a thousand). */
const NO_BYTES = new Uint8Array(0);

/**
 * A growable output buffer, reused for one column's pages, its memory from
 * `allocate` (not zero-filled: the decompressor writes every byte before any
 * is read).
 */
export class PageBuffer {
  private buffer: Uint8Array = NO_BYTES;

  constructor(private readonly allocate: (size: number) => Uint8Array = uninitializedBytes) {}

  take(size: number): Uint8Array {
    if (this.buffer.length < size) {
      this.buffer = this.allocate(Math.max(size, this.buffer.length * 2));
    }
    return this.buffer.subarray(0, size);
  }
}

/**
 * `size` bytes of fresh, uninitialized memory at offset 0 of their own
 * ArrayBuffer (not node's shared pool), hence 8-byte aligned.
 */
export function uninitializedBytes(size: number): Uint8Array {
  const b = Buffer.allocUnsafeSlow(size);
  return new Uint8Array(b.buffer, b.byteOffset, size);
}
