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
