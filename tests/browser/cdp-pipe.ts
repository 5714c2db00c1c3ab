/**
 * Headless Chromium driven over the DevTools protocol on a pipe
 * (`--remote-debugging-pipe`: commands on the child's fd 3, replies and
 * events on fd 4, each message JSON ended by a NUL byte) — no WebSocket, no
 * npm dependency. Enough for the report test: open a page, collect console
 * errors, exceptions and network requests, evaluate an expression, take a
 * full-page screenshot.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** The Chromium binary: $CHROMIUM, else Debian's /usr/bin/chromium; undefined when absent. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p): p is string => p !== undefined && p !== '' && existsSync(p));
}

interface Message {
  readonly id?: number;
  readonly method?: string;
  readonly sessionId?: string;
  readonly params?: Record<string, unknown>;
  readonly result?: Record<string, unknown>;
  readonly error?: { readonly message: string };
}

export interface PageProblems {
  /** console.error / console.warn calls, uncaught exceptions, error log entries. */
  readonly console: string[];
  /** URLs the page requested besides itself. */
  readonly requests: string[];
}

export class Browser {
  readonly #child: ChildProcess;
  readonly #profile: string;
  readonly #in: Writable;
  #nextId = 1;
  #buffer = '';
  readonly #pending = new Map<
    number,
    { resolve: (m: Message) => void; reject: (e: Error) => void }
  >();
  readonly #listeners: ((m: Message) => void)[] = [];

  private constructor(child: ChildProcess, profile: string) {
    this.#child = child;
    this.#profile = profile;
    this.#in = child.stdio[3] as Writable;
    const out = child.stdio[4] as Readable;
    out.on('data', (chunk: Buffer) => this.#receive(chunk.toString('utf8')));
    child.on('exit', () => {
      for (const p of this.#pending.values()) p.reject(new Error('chromium exited'));
      this.#pending.clear();
    });
  }

  static async launch(binary: string): Promise<Browser> {
    const profile = await mkdtemp(join(tmpdir(), 'linreg-chromium-'));
    const child = spawn(
      binary,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--no-first-run',
        '--no-default-browser-check',
        '--hide-scrollbars',
        '--remote-debugging-pipe',
        `--user-data-dir=${profile}`,
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
    );
    return new Browser(child, profile);
  }

  #receive(text: string): void {
    this.#buffer += text;
    let end = this.#buffer.indexOf('\0');
    while (end >= 0) {
      const message = JSON.parse(this.#buffer.slice(0, end)) as Message;
      this.#buffer = this.#buffer.slice(end + 1);
      if (message.id !== undefined) {
        const pending = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        if (message.error !== undefined) pending?.reject(new Error(message.error.message));
        else pending?.resolve(message);
      } else {
        for (const l of this.#listeners) l(message);
      }
      end = this.#buffer.indexOf('\0');
    }
  }

  /** Sends one command (to a page when `sessionId` is given) and waits for its result. */
  send(
    method: string,
    params: Record<string, unknown> = {},
    sessionId?: string,
  ): Promise<Record<string, unknown>> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: (m) => resolve(m.result ?? {}), reject });
      this.#in.write(
        `${JSON.stringify({ id, method, params, ...(sessionId === undefined ? {} : { sessionId }) })}\0`,
      );
    });
  }

  /** Opens `url` in a new page of the given viewport and waits for its load event. */
  async open(url: string, width: number, height: number): Promise<Page> {
    const { targetId } = (await this.send('Target.createTarget', { url: 'about:blank' })) as {
      targetId: string;
    };
    const { sessionId } = (await this.send('Target.attachToTarget', {
      targetId,
      flatten: true,
    })) as {
      sessionId: string;
    };
    const problems: PageProblems = { console: [], requests: [] };
    let loaded: () => void = () => {};
    const load = new Promise<void>((resolve) => {
      loaded = resolve;
    });
    this.#listeners.push((m) => {
      if (m.sessionId !== sessionId) return;
      const p = m.params ?? {};
      if (m.method === 'Runtime.consoleAPICalled' && (p.type === 'error' || p.type === 'warning')) {
        problems.console.push(`console.${String(p.type)}: ${JSON.stringify(p.args)}`);
      } else if (m.method === 'Runtime.exceptionThrown') {
        problems.console.push(`exception: ${JSON.stringify(p.exceptionDetails)}`);
      } else if (m.method === 'Log.entryAdded') {
        const entry = p.entry as { level: string; text: string; url?: string };
        if (entry.level === 'error' || entry.level === 'warning')
          problems.console.push(`log: ${entry.text}`);
      } else if (m.method === 'Network.requestWillBeSent') {
        const requested = (p.request as { url: string }).url;
        if (requested !== url) problems.requests.push(requested);
      } else if (m.method === 'Page.loadEventFired') {
        loaded();
      }
    });
    for (const domain of ['Runtime', 'Log', 'Network', 'Page'])
      await this.send(`${domain}.enable`, {}, sessionId);
    await this.send(
      'Emulation.setDeviceMetricsOverride',
      { width, height, deviceScaleFactor: 1, mobile: false },
      sessionId,
    );
    await this.send('Page.navigate', { url }, sessionId);
    await load;
    return new Page(this, sessionId, problems);
  }

  async close(): Promise<void> {
    try {
      await Promise.race([this.send('Browser.close'), new Promise((r) => setTimeout(r, 3000))]);
    } catch {
      // Already gone.
    }
    // Chromium writes its profile until it has exited: removing the folder
    // before then can fail with ENOTEMPTY (seen), so wait for the exit first.
    const child = this.#child;
    const exited = (ms: number): Promise<boolean> =>
      child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve(true)
        : new Promise((resolve) => {
            const timer = setTimeout(() => resolve(false), ms);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve(true);
            });
          });
    if (!(await exited(3000))) {
      child.kill('SIGKILL');
      await exited(3000);
    }
    await rm(this.#profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
}

export class Page {
  constructor(
    readonly browser: Browser,
    readonly sessionId: string,
    readonly problems: PageProblems,
  ) {}

  /** The value of a JavaScript expression in the page (JSON-serializable). */
  async evaluate<T>(expression: string): Promise<T> {
    const r = (await this.browser.send(
      'Runtime.evaluate',
      { expression, returnByValue: true, awaitPromise: true },
      this.sessionId,
    )) as { result: { value: T }; exceptionDetails?: unknown };
    if (r.exceptionDetails !== undefined)
      throw new Error(`evaluate: ${JSON.stringify(r.exceptionDetails)}`);
    return r.result.value;
  }

  /** The whole page (beyond the viewport) as PNG bytes. */
  async screenshot(): Promise<Buffer> {
    const metrics = (await this.browser.send('Page.getLayoutMetrics', {}, this.sessionId)) as {
      cssContentSize: { width: number; height: number };
    };
    const { width, height } = metrics.cssContentSize;
    const { data } = (await this.browser.send(
      'Page.captureScreenshot',
      { format: 'png', captureBeyondViewport: true, clip: { x: 0, y: 0, width, height, scale: 1 } },
      this.sessionId,
    )) as { data: string };
    return Buffer.from(data, 'base64');
  }
}
