/**
 * The whole tray app for the benchmark: the real shell composition (`startTrayApp`) over the
 * typed Electron fakes, real MSAL and the real core, talking to the sandbox through the delay
 * proxy. A recording transport around the Node transport records when each response arrived.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createLinuxAutostart } from '../../main/core/autostart/linux-autostart.ts';
import { commandChannelPath } from '../../main/core/node/command-channel.ts';
import { systemClock } from '../../main/core/node/clock.ts';
import { createNodeTransport, type NodeTransport } from '../../main/core/net/node-transport.ts';
import type { HttpRequest, HttpResponse, HttpTransport } from '../../main/core/ports.ts';
import { NO_MANAGED_ACCOUNT } from '../../main/core/settings/managed.ts';
import { SANDBOX_CLIENT_ID, SANDBOX_TENANT_ID } from '../../main/sandbox/index.ts';
import { startTrayApp, type RunningTrayApp } from '../../main/shell/tray-app.ts';
import { FakeApp } from '../fakes/electron/app.ts';
import { FakeBrowserWindow, FakeIpcMain } from '../fakes/electron/browser-window.ts';
import { FakeGlobalShortcut } from '../fakes/electron/global-shortcut.ts';
import { createFakeNotificationClass } from '../fakes/electron/notification.ts';
import { FakePowerMonitor } from '../fakes/electron/power-monitor.ts';
import { FakeSafeStorage } from '../fakes/electron/safe-storage.ts';
import { confSettingsFileClass } from '../fakes/electron/settings-file.ts';
import { RecordingInhibitor, SandboxBrowserShell } from '../fakes/electron/sandbox-shell.ts';
import { FakeTray, fakeMenuFactory, fakeNativeImage } from '../fakes/electron/tray.ts';
import { MemoryLog } from '../fakes/logger.ts';

const ASSETS = fileURLToPath(new URL('../../assets', import.meta.url));

export interface ResponseMark {
  /** `performance.now()` when the app handed the request to the transport. */
  sentAt: number;
  /** `performance.now()` when the transport returned the response. */
  at: number;
  status: number;
  url: string;
}

/**
 * An `HttpTransport` that forwards to the Node transport and notes each response, so a case
 * can take the time of the clear's 2xx as the app's own code saw it.
 */
export class RecordingTransport implements HttpTransport {
  private inFlightCount = 0;
  private waiters: { match: (mark: ResponseMark) => boolean; resolve: (mark: ResponseMark) => void }[] = [];

  constructor(readonly inner: NodeTransport) {}

  async send(request: HttpRequest): Promise<HttpResponse> {
    this.inFlightCount += 1;
    const sentAt = performance.now();
    try {
      const response = await this.inner.send(request);
      this.notify({ sentAt, at: performance.now(), status: response.status, url: request.url });
      return response;
    } finally {
      this.inFlightCount -= 1;
    }
  }

  describeProxy(): string | null {
    return this.inner.describeProxy();
  }

  inFlight(): number {
    return this.inFlightCount;
  }

  /** Resolves with the first response after this call whose URL contains `urlPart`. */
  nextResponse(urlPart: string): Promise<ResponseMark> {
    return new Promise((resolve) => {
      this.waiters.push({ match: (mark) => mark.url.includes(urlPart), resolve });
    });
  }

  private notify(mark: ResponseMark): void {
    const matching = this.waiters.filter((waiter) => waiter.match(mark));
    this.waiters = this.waiters.filter((waiter) => !waiter.match(mark));
    for (const waiter of matching) {
      waiter.resolve(mark);
    }
  }
}

/** Notes when the app exited, so quit-to-exit needs no polling. */
export class TimedFakeApp extends FakeApp {
  exitedAt: number | null = null;
  private onExit: (() => void) | null = null;

  override quit(): void {
    super.quit();
    this.noteExit();
  }

  override exit(exitCode = 0): void {
    super.exit(exitCode);
    this.noteExit();
  }

  /** Resolves with `performance.now()` at exit, or rejects after `limitMs`. */
  waitForExit(limitMs: number): Promise<number> {
    if (this.exitedAt !== null) {
      return Promise.resolve(this.exitedAt);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`The tray app did not exit within ${limitMs} ms of the quit.`)), limitMs);
      this.onExit = () => {
        clearTimeout(timer);
        resolve(this.exitedAt ?? performance.now());
      };
    });
  }

  private noteExit(): void {
    if (this.exitCode !== null && this.exitedAt === null) {
      this.exitedAt = performance.now();
      this.onExit?.();
    }
  }
}

export interface BenchTray {
  running: RunningTrayApp;
  app: TimedFakeApp;
  powerMonitor: FakePowerMonitor;
  globalShortcut: FakeGlobalShortcut;
  tray: FakeTray;
  transport: RecordingTransport;
  dataDir: string;
  /** Stops the app and its transport; keeps the data folder for the next start. */
  stop(): Promise<void>;
}

export interface BenchTrayOptions {
  /** Origin of the delay proxy in front of the sandbox. */
  origin: string;
  caPem: string;
  /** Reuses a data folder (and its token cache) from an earlier start. */
  dataDir?: string;
}

/** Starts the tray app on Linux with the sandbox's client ID behind `origin`. */
export async function startBenchTray(options: BenchTrayOptions): Promise<BenchTray> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(fileURLToPath(new URL('../../test-output/', import.meta.url)), 'bench-tray-')));
  const app = new TimedFakeApp();
  const powerMonitor = new FakePowerMonitor();
  const globalShortcut = new FakeGlobalShortcut();
  const log = new MemoryLog('warn');
  const transport = new RecordingTransport(createNodeTransport({ extraCaPem: options.caPem }));

  const running = await startTrayApp(
    {
      app,
      powerMonitor,
      globalShortcut,
      safeStorage: new FakeSafeStorage(),
      shell: new SandboxBrowserShell(options.caPem),
      Notification: createFakeNotificationClass({ supported: true, created: [], failWith: null }),
      Tray: FakeTray,
      Menu: fakeMenuFactory,
      nativeImage: fakeNativeImage,
      BrowserWindow: FakeBrowserWindow,
      ipcMain: new FakeIpcMain(),
      Store: confSettingsFileClass(dataDir),
    },
    {
      platform: 'linux',
      dataDir,
      assetsDir: ASSETS,
      preloadPath: join(dataDir, 'preload.cjs'),
      pagePath: join(dataDir, 'index.html'),
      clock: systemClock,
      logger: log.logger,
      transport,
      endpoints: () => ({
        clientId: SANDBOX_CLIENT_ID,
        authority: `${options.origin}/${SANDBOX_TENANT_ID}`,
        graphBaseUrl: options.origin,
        sandbox: true,
      }),
      managed: NO_MANAGED_ACCOUNT,
      shortcutAvailability: { kind: 'native', reason: 'The benchmark drives the fake global shortcut.' },
      sleepInhibitor: new RecordingInhibitor(),
      linuxAutostart: createLinuxAutostart({
        desktopId: 'io.github.presencetray.PresenceTray',
        entry: { name: 'Presence Tray', comment: 'Clears your Teams presence', exec: ['/opt/presence-tray/presence-tray'], icon: null },
        logger: log.logger,
        env: {},
        home: dataDir,
      }),
      executablePath: '/opt/presence-tray/presence-tray',
      channelPath: commandChannelPath(dataDir),
      startSandbox: async () => {},
    },
  );
  const tray = FakeTray.instances.at(-1);
  if (tray === undefined) {
    throw new Error('startTrayApp created no tray: the tray wiring changed, update test/bench/tray-harness.ts.');
  }

  let stopped = false;
  return {
    running,
    app,
    powerMonitor,
    globalShortcut,
    tray,
    transport,
    dataDir,
    async stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      await running.stop();
      transport.inner.close();
    },
  };
}

/** Waits until no request has been in flight for a few event-loop turns. */
export async function waitForIdle(transport: RecordingTransport, limitMs = 30_000): Promise<void> {
  const startedAt = performance.now();
  let quietTurns = 0;
  while (quietTurns < 5) {
    if (performance.now() - startedAt > limitMs) {
      throw new Error(`Requests were still in flight after ${limitMs} ms.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
    quietTurns = transport.inFlight() === 0 ? quietTurns + 1 : 0;
  }
}

/** Removes a data folder made by `startBenchTray`. */
export async function removeDataDir(dataDir: string): Promise<void> {
  await rm(dataDir, { recursive: true, force: true });
}
