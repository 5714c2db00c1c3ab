/**
 * What a command needs from the outside world, injectable so tests can run
 * `main([...])` in-process and read what was printed.
 */
import type { Readable } from 'node:stream';

export interface TextSink {
  write(chunk: string): unknown;
  /** True when this is an interactive terminal (progress is drawn only then). */
  readonly isTTY?: boolean | undefined;
  readonly columns?: number | undefined;
}

export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  /** Source for the input `-` (an Arrow IPC stream). */
  readonly stdin?: Readable | undefined;
  /** Cancels a running command (the binary wires SIGINT to it). */
  readonly signal?: AbortSignal | undefined;
}

/** What every command module is built with. */
export interface CommandContext {
  readonly io: CliIo;
}
