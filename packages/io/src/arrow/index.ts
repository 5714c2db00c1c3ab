export { isNumericArrowType } from './convert.js';
export { describeArrow, readArrow } from './format.js';
export { arrowFormat, loadArrowFileReader, loadArrowStreamReader } from './module.js';
export { type OpenArrowStream, openArrowStream, readArrowSource } from './stream.js';
