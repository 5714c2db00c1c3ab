/**
 * hyparquet-writer for tests that need encodings DuckDB does not write. It is a
 * dependency of @linreg/io, not of the workspace root, so it is loaded by path:
 * types from its declarations, code from its sources.
 */
import type * as HyparquetWriter from '../../../packages/io/node_modules/hyparquet-writer/types/node.js';

const sources = '../../../packages/io/node_modules/hyparquet-writer/src/node.js';
const writer = (await import(sources)) as typeof HyparquetWriter;

export const parquetWriteFile: typeof HyparquetWriter.parquetWriteFile = writer.parquetWriteFile;
