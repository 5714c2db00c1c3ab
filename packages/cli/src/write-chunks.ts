/**
 * Text written to a sink in chunks (a wide model's JSON is never one string:
 * core's json-chunks.ts), waiting for 'drain' when the sink says its buffer
 * is full so a slow pipe does not queue the whole document in memory.
 */
import type { TextSink } from './context.js';

interface Drainable {
  once(event: 'drain', listener: () => void): unknown;
}

export async function writeChunks(sink: TextSink, chunks: Iterable<string>): Promise<void> {
  const drainable = typeof (sink as Partial<Drainable>).once === 'function';
  for (const chunk of chunks) {
    const ok = sink.write(chunk);
    if (ok === false && drainable) {
      await new Promise<void>((resolve) => (sink as unknown as Drainable).once('drain', resolve));
    }
  }
}
