/**
 * The checks every ByteSource makes on a read of a byte range — the range
 * inside the file, the object still the one opened — and the buffer the read
 * fills; local, http and S3 sources share them so each refuses in the same words.
 */
import { IoError } from '@linreg/errors';

/** Refuses a range outside a file of `size` bytes, naming the part being read. */
export function checkRange(
  file: string,
  size: number,
  start: number,
  end: number,
  where: string,
  column?: string,
): void {
  if (start < 0 || end < start || end > size) {
    throw new IoError(
      'corrupt',
      { file, column, where },
      `byte range ${start}-${end} lies outside the file of ${size} bytes`,
    );
  }
}

/**
 * The buffer a read of bytes [start, end) of `source` fills, once the range
 * is checked: the caller's (`allocate`, e.g. a pooled one) or `fresh`'s.
 */
export function rangeBuffer(
  source: { readonly file: string; readonly size: number },
  start: number,
  end: number,
  where: string,
  column: string | undefined,
  allocate: ((size: number) => Uint8Array) | undefined,
  fresh: (size: number) => Uint8Array = (size) => new Uint8Array(size),
): Uint8Array {
  checkRange(source.file, source.size, start, end, where, column);
  return (allocate ?? fresh)(end - start);
}

/** A remote object whose ETag changed between open and a read: the rows would mix two versions. */
export function changedError(file: string, where: string, was: string, now: string): IoError {
  return new IoError(
    'changed',
    { file, where },
    `the object changed while linreg was reading it (ETag ${was} → ${now}); nothing was written`,
  );
}
