export { openWriter } from './open.js';
export { checkOutputPath } from './output-path.js';
export type { OutputWriter, WriterOptions } from './types.js';
