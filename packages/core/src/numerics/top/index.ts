export { KeptRows } from './kept-rows.js';
export { mergeTopLists, type TopList, topOffsets, topSlot } from './top-list.js';
export { unitFirstRows } from './unit-rows.js';
