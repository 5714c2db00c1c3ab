export { type CsvOptions, csvFormat, describeCsv, readCsv } from './format.js';
export { DEFAULT_CSV_CHUNK_BYTES } from './split.js';
