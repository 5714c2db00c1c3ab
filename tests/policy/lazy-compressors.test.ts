/**
 * hyparquet-compressors is loaded only when a file needs one of its codecs:
 * importing it costs each thread ~20 ms of CPU, and snappy or uncompressed
 * Parquet (the common case) never uses it. No module imports it statically;
 * io's parquet/compressors.ts loads it with import().
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageSources, REPO_ROOT as root, staticImports } from './source-files.js';

const files = packageSources();

describe('lazy hyparquet-compressors', () => {
  it('no source module imports it statically', () => {
    const importers = files
      .filter((f) => staticImports(f).includes('hyparquet-compressors'))
      .map((f) => relative(root, f));
    expect(importers).toEqual([]);
    // the pattern does see static imports (read.ts imports hyparquet's types and chunk-plan.ts)
    const read = files.find((f) => f.endsWith(join('parquet', 'read.ts'))) as string;
    expect(staticImports(read)).toContain('./chunk-plan.js');
  });

  it('parquet/compressors.ts is the one module that loads it', () => {
    const loaders = files
      .filter((f) => readFileSync(f, 'utf8').includes("import('hyparquet-compressors')"))
      .map((f) => relative(root, f));
    expect(loaders).toEqual(['packages/io/src/parquet/compressors.ts']);
  });
});
