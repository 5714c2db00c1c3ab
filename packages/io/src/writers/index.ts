export { openWriter } from './open.js';
export type { OutputWriter, WriterOptions } from './types.js';
