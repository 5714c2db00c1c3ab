/**
 * The AWS SDK is loaded only when an s3:// input is used: one module imports
 * it (io's bytes/s3-client.ts), and the S3 modules are reached from the rest
 * of the code only through a dynamic import().
 */
import { basename, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageSources, REPO_ROOT as root, staticImports } from './source-files.js';

const files = packageSources();
const isS3Module = (file: string): boolean => /^s3-[a-z]+\.ts$/.test(basename(file));

describe('lazy S3', () => {
  it('only bytes/s3-client.ts imports the AWS SDK', () => {
    const importers = files
      .filter((f) => staticImports(f).some((s) => s.startsWith('@aws-sdk/')))
      .map((f) => relative(root, f));
    expect(importers).toEqual(['packages/io/src/bytes/s3-client.ts']);
  });

  it('the S3 modules are imported statically only by each other', () => {
    const bad = files
      .filter((f) => !isS3Module(f))
      .flatMap((f) =>
        staticImports(f)
          .filter((s) => /\/s3-[a-z]+\.js$/.test(s))
          .map((s) => `${relative(root, f)} imports ${s}`),
      );
    expect(bad).toEqual([]);
    // the pattern does see static imports (s3-bytes.ts imports s3-client.ts)
    const s3Bytes = files.find((f) => f.endsWith('s3-bytes.ts')) as string;
    expect(staticImports(s3Bytes)).toContain('./s3-client.js');
  });
});
