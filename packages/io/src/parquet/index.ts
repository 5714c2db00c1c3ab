export { describeParquet } from './describe.js';
export { cachedFooters } from './metadata-cache.js';
export { parquetFormat } from './module.js';
export { readParquetUnit } from './read.js';
export { PIECE_ROWS, SPLIT_ROWS } from './units.js';
