/**
 * Thrown by the fast-path decoders when page bytes contradict themselves
 * (a run past the end of the page, an index past the dictionary, a length
 * that does not add up). The column-chunk decoder turns it into an IoError
 * with code 'corrupt' naming the file, column, row group and page.
 */
export class PageCorrupt extends Error {
  override readonly name = 'PageCorrupt';
}
