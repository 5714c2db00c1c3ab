export { mergeTopLists, type TopList, topOffsets, topSlot } from './top-list.js';
