#!/usr/bin/env node
import { main } from './main.js';

// SIGINT, SIGTERM and SIGHUP cancel the running command cleanly (workers stopped,
// the output's temporary file removed, no partial output file). Without a
// handler SIGTERM and SIGHUP would end the process at once, leaving the temp file.
const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => controller.abort());
}

// A reader that stops early (`linreg inspect data/ | head`) closes the pipe: that is
// not an error of ours, so stop quietly instead of dying with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    controller.abort();
    process.exit(process.exitCode ?? 0);
  });
}

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  signal: controller.signal,
});
