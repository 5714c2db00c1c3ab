#!/usr/bin/env node
import { main } from './main.js';

// SIGINT cancels the running fit cleanly (workers stopped, no partial output file).
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());

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
