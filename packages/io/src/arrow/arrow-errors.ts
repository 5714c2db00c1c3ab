import { IoError } from '@linreg/errors';

/** Runs an apache-arrow call, turning its plain Errors into IoErrors naming the file. */
export async function arrowCall<T>(
  file: string,
  where: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw wrapArrowError(file, where, error);
  }
}

export function arrowSync<T>(file: string, where: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw wrapArrowError(file, where, error);
  }
}

function wrapArrowError(file: string, where: string, error: unknown): IoError {
  if (error instanceof IoError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const truncated = /end of|out of bounds|offset|expected|truncat/i.test(message);
  return new IoError(truncated ? 'truncated' : 'corrupt', { file, where }, `Arrow IPC: ${message}`);
}
