/**
 * A local HTTP server with Range support for the remote-input tests: serves
 * the files under `root` at `http://127.0.0.1:PORT/<relative path>` with
 * HEAD, GET, `Range: bytes=a-b` (206 + Content-Range, 416 when unsatisfiable)
 * and an ETag. It counts the body bytes it sends, and can be told to ignore
 * Range (200 with the whole body) or to answer a path with a scripted list of
 * statuses first (404, 403, 500-then-200, …).
 */
import { readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

export interface RangeServer {
  readonly url: string;
  /** Body bytes sent since the last reset. */
  bytesSent: number;
  requests: number;
  /** Answer 200 with the whole body to range requests. */
  ignoreRange: boolean;
  /** Statuses to answer for a path (without the leading '/') before serving it, consumed in order. */
  readonly script: Map<string, number[]>;
  reset(): void;
  close(): Promise<void>;
}

export async function startRangeServer(root: string): Promise<RangeServer> {
  const state = {
    bytesSent: 0,
    requests: 0,
    ignoreRange: false,
    script: new Map<string, number[]>(),
  };
  const server: Server = createServer((req, res) => {
    state.requests += 1;
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/').slice(1);
    const scripted = state.script.get(path)?.shift();
    if (scripted !== undefined) {
      res.writeHead(scripted, { 'content-type': 'text/plain' });
      res.end(req.method === 'HEAD' ? undefined : `scripted ${scripted}`);
      return;
    }
    const file = normalize(join(root, path));
    let size: number;
    let etag: string;
    try {
      const s = statSync(file);
      if (!s.isFile()) throw new Error('not a file');
      size = s.size;
      etag = `"${s.size.toString(16)}-${Math.round(s.mtimeMs).toString(16)}"`;
    } catch {
      res.writeHead(404);
      res.end();
      return;
    }
    const common = { etag, 'accept-ranges': state.ignoreRange ? 'none' : 'bytes' };
    if (req.method === 'HEAD') {
      res.writeHead(200, { ...common, 'content-length': size });
      res.end();
      return;
    }
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const body = readFileSync(file);
    if (range === null || state.ignoreRange) {
      state.bytesSent += body.length;
      res.writeHead(200, { ...common, 'content-length': size });
      res.end(body);
      return;
    }
    const start = Number(range[1]);
    const end = range[2] === '' ? size - 1 : Math.min(Number(range[2]), size - 1);
    if (start >= size || end < start) {
      res.writeHead(416, { 'content-range': `bytes */${size}` });
      res.end();
      return;
    }
    const part = body.subarray(start, end + 1);
    state.bytesSent += part.length;
    res.writeHead(206, {
      ...common,
      'content-length': part.length,
      'content-range': `bytes ${start}-${end}/${size}`,
    });
    res.end(part);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const handle: RangeServer = {
    url: `http://127.0.0.1:${port}`,
    get bytesSent() {
      return state.bytesSent;
    },
    set bytesSent(v: number) {
      state.bytesSent = v;
    },
    get requests() {
      return state.requests;
    },
    set requests(v: number) {
      state.requests = v;
    },
    get ignoreRange() {
      return state.ignoreRange;
    },
    set ignoreRange(v: boolean) {
      state.ignoreRange = v;
    },
    script: state.script,
    reset() {
      state.bytesSent = 0;
      state.requests = 0;
      state.ignoreRange = false;
      state.script.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
  return handle;
}
