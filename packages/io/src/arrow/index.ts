export { isNumericArrowType } from './convert.js';
export { arrowFormat, describeArrow, readArrow } from './format.js';
export { type OpenArrowStream, openArrowStream, readArrowSource } from './stream.js';
