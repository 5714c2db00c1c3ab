import type { ByteSource } from './byte-source.js';
import { openBytes } from './open-bytes.js';
import { isRemote } from './remote-url.js';

/** Bytes per read: 1 MiB locally; 8 MiB remotely, where each read is a request. */
export function chunkBytesFor(file: string): number {
  return isRemote(file) ? 8 << 20 : 1 << 20;
}

/**
 * Bytes [start, end) of `file` (to its end when `end` is undefined) as a
 * sequence of chunks, one ByteSource read each, so a sequential reader (CSV,
 * an Arrow stream file) works on local and remote files alike and stops
 * fetching when the consumer stops.
 */
export async function* byteChunks(
  file: string,
  start = 0,
  end?: number,
  chunk = chunkBytesFor(file),
): AsyncGenerator<Uint8Array> {
  const bytes: ByteSource = await openBytes(file);
  try {
    const stop = Math.min(end ?? bytes.size, bytes.size);
    for (let at = start; at < stop; at += chunk) {
      const to = Math.min(stop, at + chunk);
      yield await bytes.read(at, to, `bytes ${at}-${to}`);
    }
  } finally {
    await bytes.close();
  }
}
