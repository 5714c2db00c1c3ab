import { IoError } from '@linreg/errors';

/**
 * Bounded retries with exponential backoff for remote reads: a failure that
 * may pass (HTTP 5xx or 429, a connection reset or refused, a timeout) is
 * tried again after 100, 200, 400, 800 ms; after the fifth attempt it becomes
 * one IoError naming the URL and the last failure. The delays are fixed (no
 * random jitter), so a run's behaviour does not depend on a seed.
 */
export const REMOTE_ATTEMPTS = 5;
const BASE_DELAY_MS = 100;

/** A failure worth another attempt; `reason` ends up in the final error message. */
export class TransientFailure extends Error {
  override readonly name = 'TransientFailure';
}

/** Network error codes (Node and undici) after which a request is tried again. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** The network error code of a failed `fetch` (undici puts it on `cause`), if any. */
export function networkCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 4; depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isTransientNetworkError(error: unknown): boolean {
  const code = networkCode(error);
  return code !== undefined && TRANSIENT_CODES.has(code);
}

/**
 * Runs `attempt` until it returns, throws something other than a
 * TransientFailure, or has failed REMOTE_ATTEMPTS times (then an IoError
 * 'unreadable' naming `file`).
 */
export async function withRetries<T>(
  file: string,
  where: string | undefined,
  attempt: () => Promise<T>,
): Promise<T> {
  let last = '';
  for (let n = 0; n < REMOTE_ATTEMPTS; n += 1) {
    if (n > 0) await sleep(BASE_DELAY_MS * 2 ** (n - 1));
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof TransientFailure)) throw error;
      last = error.message;
    }
  }
  throw new IoError(
    'unreadable',
    { file, where },
    `${last} (gave up after ${REMOTE_ATTEMPTS} attempts)`,
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
