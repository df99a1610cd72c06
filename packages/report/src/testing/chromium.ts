/**
 * A headless Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: the
 * browser reads commands on fd 3 and answers on fd 4, each message JSON ended by a NUL byte), with
 * no npm dependency: the tests use Debian's `chromium` package as it is installed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** The browser: $CHROMIUM_PATH, else the first of chromium, chromium-browser, google-chrome on PATH; null when none. */
export function findChromium(): string | null {
  const candidates = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : [];
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of ['chromium', 'chromium-browser', 'google-chrome']) candidates.push(join(dir, name));
  }
  for (const path of candidates) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not this one
    }
  }
  return null;
}

interface Pending {
  resolve: (value: Record<string, unknown>) => void;
  reject: (error: Error) => void;
  method: string;
}

type Listener = (params: Record<string, unknown>, sessionId?: string) => void;

export class Chromium {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Listener[]>();
  private buffer = Buffer.alloc(0);
  private stderr = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly input: Writable,
    output: Readable,
    private readonly profile: string,
  ) {
    output.on('data', (chunk: Buffer) => this.receive(chunk));
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    child.on('exit', (code, signal) => {
      for (const p of this.pending.values()) p.reject(new Error(`chromium exited (${code ?? signal}) during ${p.method}: ${this.stderr.trim().split('\n').slice(-3).join(' | ')}`));
      this.pending.clear();
    });
  }

  /** Starts a headless browser with a fresh profile. */
  static launch(executable: string): Chromium {
    const profile = mkdtempSync(join(tmpdir(), 'report-chromium-'));
    const child = spawn(
      executable,
      [
        '--headless',
        '--remote-debugging-pipe',
        // The tests run as root in containers, where the sandbox cannot start.
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--no-first-run',
        '--no-default-browser-check',
        '--disable-extensions',
        '--hide-scrollbars',
        '--mute-audio',
        `--user-data-dir=${profile}`,
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
    );
    const input = child.stdio[3] as Writable;
    const output = child.stdio[4] as Readable;
    return new Chromium(child, input, output, profile);
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    let end: number;
    while ((end = this.buffer.indexOf(0)) >= 0) {
      const message = JSON.parse(this.buffer.subarray(0, end).toString('utf8')) as {
        id?: number;
        result?: Record<string, unknown>;
        error?: { message: string };
        method?: string;
        params?: Record<string, unknown>;
        sessionId?: string;
      };
      this.buffer = this.buffer.subarray(end + 1);
      if (message.id !== undefined) {
        const p = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) p?.reject(new Error(`${p.method}: ${message.error.message}`));
        else p?.resolve(message.result ?? {});
      } else if (message.method) {
        for (const listener of this.listeners.get(message.method) ?? []) listener(message.params ?? {}, message.sessionId);
      }
    }
  }

  /** Sends one command (to a page's session when given) and resolves with its result. */
  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  /** Resolves with the next event of this name (of this session). */
  once(method: string, sessionId?: string): Promise<Record<string, unknown>> {
    return new Promise((resolve) => {
      const list = this.listeners.get(method) ?? [];
      const listener: Listener = (params, from) => {
        if (sessionId !== undefined && from !== sessionId) return;
        list.splice(list.indexOf(listener), 1);
        resolve(params);
      };
      list.push(listener);
      this.listeners.set(method, list);
    });
  }

  /** Opens `url` in a new page of the given viewport and waits for its load event. */
  async open(url: string, viewport: { width: number; height: number }): Promise<ChromiumPage> {
    const { targetId } = (await this.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await this.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    await this.send('Emulation.setDeviceMetricsOverride', { width: viewport.width, height: viewport.height, deviceScaleFactor: 1, mobile: false }, sessionId);
    await this.send('Page.enable', {}, sessionId);
    const loaded = this.once('Page.loadEventFired', sessionId);
    await this.send('Page.navigate', { url }, sessionId);
    await loaded;
    return new ChromiumPage(this, sessionId);
  }

  /** Closes the browser and removes its profile. */
  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => (this.child.exitCode !== null ? resolve() : this.child.once('exit', () => resolve())));
    try {
      await Promise.race([this.send('Browser.close'), exited]);
    } catch {
      // already gone
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
    rmSync(this.profile, { recursive: true, force: true });
  }
}

export class ChromiumPage {
  constructor(
    private readonly browser: Chromium,
    readonly sessionId: string,
  ) {}

  /** Evaluates an expression in the page and returns its value (JSON-serialisable). */
  async evaluate<T>(expression: string): Promise<T> {
    const result = (await this.browser.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, this.sessionId)) as {
      result: { value?: T };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (result.exceptionDetails) throw new Error(`in the page: ${result.exceptionDetails.exception?.description ?? result.exceptionDetails.text}`);
    return result.result.value as T;
  }

  /** A PNG of the whole page (beyond the viewport) or of a clip rectangle in CSS pixels. */
  async screenshot(clip?: { x: number; y: number; width: number; height: number }): Promise<Buffer> {
    const params = clip ? { format: 'png', clip: { ...clip, scale: 1 }, captureBeyondViewport: true } : { format: 'png', captureBeyondViewport: true };
    const { data } = (await this.browser.send('Page.captureScreenshot', params, this.sessionId)) as { data: string };
    return Buffer.from(data, 'base64');
  }
}
