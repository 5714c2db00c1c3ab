import { IoError } from '@linreg/errors';
import type { ReadHandle } from '../bytes/handle.js';

/** A local or remote file as apache-arrow and the footer checks read it (bytes/handle.ts). */
export type FileHandle = ReadHandle;

/** Bytes [offset, offset + length) of the file, all of them, or a 'truncated' IoError. */
export async function readExactly(
  handle: FileHandle,
  file: string,
  where: string,
  offset: number,
  length: number,
  bytes: number,
  into: Uint8Array = new Uint8Array(length),
): Promise<Uint8Array> {
  if (offset + length > bytes) {
    throw new IoError(
      'truncated',
      { file, where },
      `bytes ${offset}-${offset + length} are past the end of the file (${bytes} bytes)`,
    );
  }
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(into, filled, length - filled, offset + filled);
    if (bytesRead === 0) {
      throw new IoError('truncated', { file, where }, `the file ended at byte ${offset + filled}`);
    }
    filled += bytesRead;
  }
  return into;
}
