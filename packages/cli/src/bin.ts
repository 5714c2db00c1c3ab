#!/usr/bin/env node
import { main } from './main.js';

// SIGINT cancels the running fit cleanly (workers stopped, no partial output file).
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  signal: controller.signal,
});
