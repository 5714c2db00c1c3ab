/**
 * One worker pool for a test file, as an ETL script would share it: started
 * on first use (a file whose tests are all skipped starts none), passed to
 * every fit, which leaves it running, and destroyed after the file's tests.
 */
import { createPool, type WorkerPool } from '@linreg/core';
import { afterAll } from 'vitest';

/** Call at the top level of a test file; the returned function gives the file's pool. */
export function sharedPool(workers = 2): () => WorkerPool {
  let pool: WorkerPool | undefined;
  afterAll(async () => {
    await pool?.destroy();
  });
  return () => {
    pool ??= createPool({ workers });
    return pool;
  };
}
