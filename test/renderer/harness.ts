/**
 * Runs the built settings window in headless Chromium against the real main-side IPC handlers.
 * The page gets a test bridge in place of the preload: each bridge call goes through
 * `page.exposeFunction` to `createIpcHandlers` in Node, backed by a fake app and an in-memory
 * settings store, and main's pushes come back through `connectPushChannels`.
 */

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

import { connectPushChannels, createIpcHandlers } from '../../main/core/ipc/handlers.ts';
import type { ShortcutCheck, WindowEnvironment } from '../../main/ipc-contract.ts';
import { BRIDGE_INVOKE_METHODS, BRIDGE_PUSH_METHODS, type InvokeChannel } from '../../main/ipc-contract.ts';
import { MemoryLog } from '../fakes/logger.ts';
import { MemorySettingsStore } from '../fakes/settings-store.ts';
import { FakePresenceApp } from './fake-app.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A fixed wall-clock time for the page and the fake app, so countdowns read the same each run. */
export const FIXED_NOW = Date.UTC(2026, 11, 4, 9, 0, 0);

export const LINUX_X11: WindowEnvironment = {
  platform: 'linux',
  proxy: null,
  shortcuts: { mode: 'native', reason: 'The X11 server grabs the keys directly.', fallbackCommand: null },
  secretStorage: 'os',
  lockEventsSupported: false,
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

/** Builds the window with the project's build script into a fresh folder. */
async function buildWindow(): Promise<string> {
  const outdir = await mkdtemp(join(tmpdir(), 'presence-tray-window-'));
  await promisify(execFile)(process.execPath, [join(ROOT, 'scripts/build-renderer.mjs'), '--outdir', outdir], { cwd: ROOT });
  return outdir;
}

/** Serves `folder` read-only on 127.0.0.1 at an ephemeral port. */
async function serveFolder(folder: string): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const path = normalize(join(folder, decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname)));
    if (request.method !== 'GET' || !path.startsWith(folder + sep)) {
      response.writeHead(404).end();
      return;
    }
    readFile(path).then(
      (body) => response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream' }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('The test server has no TCP address.');
  }
  return { server, url: `http://127.0.0.1:${address.port}/renderer/index.html` };
}

/** Returns the page side of the test bridge: the preload's methods, sent over exposed functions. */
function bridgeScript(): string {
  return `(() => {
    const invokeMethods = ${JSON.stringify(BRIDGE_INVOKE_METHODS)};
    const pushMethods = ${JSON.stringify(BRIDGE_PUSH_METHODS)};
    const listeners = new Map();
    const bridge = {};
    for (const [method, channel] of Object.entries(invokeMethods)) {
      bridge[method] = (request) => window.__trayInvoke(channel, request);
    }
    for (const [method, channel] of Object.entries(pushMethods)) {
      listeners.set(channel, new Set());
      bridge[method] = (listener) => {
        listeners.get(channel).add(listener);
        return () => listeners.get(channel).delete(listener);
      };
    }
    window.__trayPush = (channel, payload) => {
      for (const listener of listeners.get(channel) ?? []) listener(payload);
    };
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
    });
    window.presenceTray = Object.freeze(bridge);
  })();`;
}

export interface WindowOptions {
  app?: FakePresenceApp;
  settings?: MemorySettingsStore;
  environment?: WindowEnvironment;
  /** Normalized accelerators that another application owns. */
  shortcutsInUse?: string[];
  /** Omit the bridge, as if the preload did not run. */
  withoutBridge?: boolean;
}

export interface WindowHandle {
  page: Page;
  app: FakePresenceApp;
  settings: MemorySettingsStore;
  /** Every invoke the page made, in order. */
  invokes: Array<{ channel: string; payload: unknown }>;
  /** URLs the window asked main to open in the browser. */
  opened: string[];
  sandboxStarts: number;
  /** Console errors and page errors, such as CSP violations. */
  consoleErrors: string[];
  close(): Promise<void>;
}

/** One built window, one HTTP server and one Chromium for a test file. */
export class BrowserSuite {
  private constructor(
    private readonly browser: Browser,
    private readonly context: BrowserContext,
    private readonly server: Server,
    private readonly outdir: string,
    readonly url: string,
  ) {}

  static async start(): Promise<BrowserSuite> {
    const outdir = await buildWindow();
    const { server, url } = await serveFolder(outdir);
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    // One context for the file: each window is a page in it, which opens faster than a context.
    const context = await browser.newContext({ viewport: { width: 820, height: 900 } });
    return new BrowserSuite(browser, context, server, outdir, url);
  }

  /** Opens the window in a new page and waits until it has rendered its first state. */
  async openWindow(options: WindowOptions = {}): Promise<WindowHandle> {
    const app = options.app ?? new FakePresenceApp();
    app.nowMs = () => FIXED_NOW;
    const log = new MemoryLog('warn');
    const settings = options.settings ?? new MemorySettingsStore({ logger: log.logger });
    const environment = options.environment ?? LINUX_X11;
    const inUse = new Set(options.shortcutsInUse ?? []);

    const handle: WindowHandle = {
      page: await this.context.newPage(),
      app,
      settings,
      invokes: [],
      opened: [],
      sandboxStarts: 0,
      consoleErrors: [],
      close: async () => {
        disconnect();
        await handle.page.close();
      },
    };
    const { page } = handle;

    const handlers = createIpcHandlers({
      app,
      settings,
      environment: () => environment,
      checkShortcut: async (accelerator): Promise<ShortcutCheck> =>
        inUse.has(accelerator)
          ? { status: 'in-use', accelerator, message: `${accelerator} is already used by another application. Choose another shortcut.`, fallbackCommand: null }
          : { status: 'available', accelerator, message: `${accelerator} clears your presence.`, fallbackCommand: null },
      browser: {
        open: async (url) => {
          handle.opened.push(url);
        },
      },
      startSandbox: async () => {
        handle.sandboxStarts += 1;
        app.setState({ ...app.state(), sandbox: true });
      },
      logger: log.logger,
    });

    page.on('console', (message) => {
      if (message.type() === 'error') {
        handle.consoleErrors.push(message.text());
      }
    });
    page.on('pageerror', (error) => handle.consoleErrors.push(`page error: ${error.message}`));

    await page.clock.setFixedTime(FIXED_NOW);
    if (options.withoutBridge !== true) {
      await page.exposeFunction('__trayInvoke', async (channel: string, payload: unknown) => {
        handle.invokes.push({ channel, payload });
        return handlers[channel as InvokeChannel](payload);
      });
      await page.addInitScript({ content: bridgeScript() });
    }

    const disconnect = connectPushChannels({ app, settings, environment: () => environment, logger: log.logger }, (channel, payload) => {
      page.evaluate(`window.__trayPush(${JSON.stringify(channel)}, ${JSON.stringify(payload)})`).catch(() => {
        // The page may be closing; the test that closed it no longer reads pushes.
      });
    });

    await page.goto(this.url, { waitUntil: 'domcontentloaded' });
    if (options.withoutBridge !== true) {
      await page.waitForSelector('body[data-ready="true"]');
    }
    return handle;
  }

  async close(): Promise<void> {
    await this.context.close();
    await this.browser.close();
    await new Promise<void>((resolveClose) => this.server.close(() => resolveClose()));
    await rm(this.outdir, { recursive: true, force: true });
  }
}

/** Polls until `read` returns a value that `accept` takes, then returns it; else the last value. */
export async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolveWait) => setTimeout(resolveWait, 25));
    value = await read();
  }
  return value;
}

/** Returns the text of `selector` once it matches `pattern`, or the last text for the assert to show. */
export async function textWhen(page: Page, selector: string, pattern: RegExp): Promise<string> {
  return eventually(async () => (await page.locator(selector).textContent()) ?? '', (text) => pattern.test(text));
}
