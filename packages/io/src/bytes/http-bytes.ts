import { IoError } from '@linreg/errors';
import type { ByteSource } from './byte-source.js';
import { changedError, rangeBuffer } from './range-check.js';
import { isTransientNetworkError, networkCode, TransientFailure, withRetries } from './retry.js';

/**
 * A server that ignores `Range` (200 with the whole body) is still read, by
 * keeping the whole body, up to this size; a larger file is refused.
 */
export const WHOLE_BODY_LIMIT = 64 << 20;

/**
 * An object behind an http(s) URL as a ByteSource, read with Node's fetch:
 * HEAD for the size and ETag / Last-Modified, then one ranged GET per read
 * (`Range: bytes=start-end`, 206 with a matching Content-Range). A response
 * whose ETag differs from the one seen at open means the object changed
 * ('changed'). 5xx, 429 and connection failures are retried (retry.ts);
 * 404, 403 and other statuses are one IoError naming the URL.
 */
export class HttpBytes implements ByteSource {
  /** The whole object, when the server answered a range request with 200. */
  private whole: Uint8Array | undefined;

  private constructor(
    readonly file: string,
    readonly size: number,
    private readonly etag: string | undefined,
    readonly version: string,
  ) {}

  static async open(url: string): Promise<HttpBytes> {
    // A presigned URL signs one method (GET), and some servers refuse HEAD:
    // then one byte is asked for instead.
    const response = await request(url, 'HEAD', undefined, undefined, [403, 405]);
    if (response.status === 403 || response.status === 405) return HttpBytes.probe(url);
    const length = Number(response.headers.get('content-length'));
    const etag = response.headers.get('etag') ?? undefined;
    const version = etag ?? response.headers.get('last-modified') ?? '';
    if (Number.isSafeInteger(length) && response.headers.has('content-length')) {
      return new HttpBytes(url, length, etag, version);
    }
    return HttpBytes.probe(url);
  }

  /** Opens through `GET bytes=0-0`, whose Content-Range states the size. */
  private static async probe(url: string): Promise<HttpBytes> {
    const probe = await withRetries(url, undefined, () =>
      request(url, 'GET', 'bytes=0-0', undefined),
    );
    await probe.body?.cancel();
    const total = contentRange(probe.headers.get('content-range'))?.total;
    if (total === undefined) {
      throw new IoError('unsupported', { file: url }, 'the server states no size (Content-Length)');
    }
    const etag = probe.headers.get('etag') ?? undefined;
    return new HttpBytes(url, total, etag, etag ?? probe.headers.get('last-modified') ?? '');
  }

  async read(
    start: number,
    end: number,
    where: string,
    column?: string,
    allocate?: (size: number) => Uint8Array,
  ): Promise<Uint8Array> {
    const out = rangeBuffer(this, start, end, where, column, allocate);
    if (end === start) return out;
    if (this.whole !== undefined) {
      out.set(this.whole.subarray(start, end));
      return out;
    }
    await withRetries(this.file, where, async () => {
      const response = await request(this.file, 'GET', `bytes=${start}-${end - 1}`, where);
      this.checkVersion(response, where);
      if (response.status === 200) {
        this.whole = await this.wholeBody(response, where);
        out.set(this.whole.subarray(start, end));
        return;
      }
      const range = contentRange(response.headers.get('content-range'));
      if (range === undefined || range.start !== start || range.end !== end - 1) {
        await response.body?.cancel();
        throw new IoError(
          'unsupported',
          { file: this.file, where },
          `asked for bytes ${start}-${end - 1}, the server sent ${response.headers.get('content-range') ?? 'no Content-Range'}`,
        );
      }
      await readBody(response, out, this.file, where);
    });
    return out;
  }

  /** Refuses a response for another version of the object than the one planned. */
  private checkVersion(response: Response, where: string): void {
    const etag = response.headers.get('etag');
    if (this.etag !== undefined && etag !== null && etag !== this.etag) {
      void response.body?.cancel();
      throw changedError(this.file, where, this.etag, etag);
    }
  }

  private async wholeBody(response: Response, where: string): Promise<Uint8Array> {
    if (this.size > WHOLE_BODY_LIMIT) {
      await response.body?.cancel();
      throw new IoError(
        'unsupported',
        { file: this.file, where },
        `the server ignores Range requests (200 instead of 206) and the file is over ${WHOLE_BODY_LIMIT >> 20} MiB; download it first`,
      );
    }
    const whole = new Uint8Array(this.size);
    await readBody(response, whole, this.file, where);
    return whole;
  }

  async close(): Promise<void> {
    this.whole = undefined;
  }
}

/**
 * One request, with the status mapped: 2xx (and `passThrough`) returned, 5xx/429 and connection
 * failures thrown as TransientFailure (HEAD is retried here, GET by the
 * caller around its body read), anything else an IoError naming the URL.
 */
async function request(
  url: string,
  method: 'HEAD' | 'GET',
  range: string | undefined,
  where: string | undefined,
  /** Statuses returned to the caller instead of thrown. */
  passThrough: readonly number[] = [],
): Promise<Response> {
  const once = async (): Promise<Response> => {
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: range === undefined ? {} : { range },
        redirect: 'follow',
      });
    } catch (error) {
      if (isTransientNetworkError(error)) {
        throw new TransientFailure(`connection failed (${networkCode(error)})`);
      }
      const code = networkCode(error);
      const reason = code ?? (error instanceof Error ? error.message : String(error));
      throw new IoError('unreadable', { file: url, where }, `cannot connect (${reason})`);
    }
    if (response.ok || passThrough.includes(response.status)) return response;
    await response.body?.cancel();
    throw statusError(url, where, response.status, response.statusText);
  };
  return method === 'HEAD' ? withRetries(url, where, once) : once();
}

/** A non-2xx status as an error: TransientFailure for 5xx and 429, else an IoError. */
export function statusError(
  file: string,
  where: string | undefined,
  status: number,
  text: string,
): Error {
  const said = `HTTP ${status}${text === '' ? '' : ` ${text}`}`;
  if (status >= 500 || status === 429) return new TransientFailure(said);
  if (status === 404 || status === 410) return new IoError('not-found', { file, where }, said);
  if (status === 401 || status === 403) {
    return new IoError('unreadable', { file, where }, `${said}: access denied`);
  }
  if (status === 416) {
    return new IoError('changed', { file, where }, `${said}: the object is shorter than planned`);
  }
  return new IoError('unreadable', { file, where }, said);
}

/** Copies the body into `out`, which it must fill exactly. */
async function readBody(
  response: Response,
  out: Uint8Array,
  file: string,
  where: string,
): Promise<void> {
  let at = 0;
  try {
    if (response.body === null) throw new TransientFailure('empty response body');
    for await (const chunk of response.body) {
      const bytes = chunk as Uint8Array;
      if (at + bytes.length > out.length) {
        throw new IoError(
          'changed',
          { file, where },
          `the server sent more than ${out.length} bytes`,
        );
      }
      out.set(bytes, at);
      at += bytes.length;
    }
  } catch (error) {
    if (error instanceof IoError || error instanceof TransientFailure) throw error;
    throw new TransientFailure(`the response was cut (${networkCode(error) ?? String(error)})`);
  }
  if (at !== out.length) {
    throw new TransientFailure(`the response ended after ${at} of ${out.length} bytes`);
  }
}

/** `bytes a-b/total` parsed; undefined when absent or malformed. */
function contentRange(
  header: string | null,
): { start: number; end: number; total: number | undefined } | undefined {
  const m = header === null ? null : /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header.trim());
  if (m === null) return undefined;
  return {
    start: Number(m[1]),
    end: Number(m[2]),
    total: m[3] === '*' ? undefined : Number(m[3]),
  };
}
