/**
 * Scenarios of the whole tray app: the real shell composition (`startTrayApp`) over the typed
 * Electron fakes, the real core and real MSAL, against the real sandbox over HTTPS. Each trigger
 * must send exactly one clearPresence within its budget.
 */

import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, beforeEach, describe, it } from 'node:test';

import { main as cliMain } from '../../main/cli.ts';
import { createLinuxAutostart } from '../../main/core/autostart/linux-autostart.ts';
import { commandChannelPath } from '../../main/core/node/command-channel.ts';
import { systemClock } from '../../main/core/node/clock.ts';
import { createNodeTransport, type NodeTransport } from '../../main/core/net/node-transport.ts';
import { NO_MANAGED_ACCOUNT } from '../../main/core/settings/managed.ts';
import type { ShortcutAvailability } from '../../main/core/shortcut/availability.ts';
import type { TrayPlatform } from '../../main/core/tray/tray-icons.ts';
import { SANDBOX_CLIENT_ID, startSandbox, type RunningSandbox } from '../../main/sandbox/index.ts';
import { startTrayApp, type RunningTrayApp } from '../../main/shell/tray-app.ts';
import { FakeApp } from '../fakes/electron/app.ts';
import { FakeBrowserWindow, FakeIpcMain } from '../fakes/electron/browser-window.ts';
import { createFakeEvent } from '../fakes/electron/event.ts';
import { FakeGlobalShortcut } from '../fakes/electron/global-shortcut.ts';
import { createFakeNotificationClass, type FakeNotificationControl } from '../fakes/electron/notification.ts';
import { FakePowerMonitor } from '../fakes/electron/power-monitor.ts';
import { FakeSafeStorage } from '../fakes/electron/safe-storage.ts';
import { confSettingsFileClass } from '../fakes/electron/settings-file.ts';
import { RecordingInhibitor, SandboxBrowserShell } from '../fakes/electron/sandbox-shell.ts';
import { FakeTray, fakeMenuFactory, fakeNativeImage } from '../fakes/electron/tray.ts';
import { MemoryLog } from '../fakes/logger.ts';

const ASSETS = fileURLToPath(new URL('../../assets', import.meta.url));

/** Default quit budget from the settings (3 s) plus the shell's watchdog margin (1 s). */
const QUIT_LIMIT_MS = 4000;
/** Real-time slack for a loaded 2-core machine, added to every budget asserted below. */
const SLACK_MS = 2500;

const NATIVE_SHORTCUTS: ShortcutAvailability = { kind: 'native', reason: 'The X11 server grabs the keys directly.' };
const WAYLAND_NO_PORTAL: ShortcutAvailability = {
  kind: 'unsupported',
  reason: 'The app runs through XWayland on a Wayland session.',
  fallbackCommand: 'presence-tray clear',
};

interface Scenario {
  running: RunningTrayApp;
  app: FakeApp;
  powerMonitor: FakePowerMonitor;
  globalShortcut: FakeGlobalShortcut;
  inhibitor: RecordingInhibitor;
  notifications: FakeNotificationControl;
  dataDir: string;
  channelPath: string;
  log: MemoryLog;
  tray: () => FakeTray;
}

describe('shell scenarios', () => {
  let sandbox: RunningSandbox;
  let transport: NodeTransport;
  const dataDirs: string[] = [];
  const started: RunningTrayApp[] = [];

  before(async () => {
    sandbox = await startSandbox({ port: 0 });
    transport = createNodeTransport({ extraCaPem: sandbox.caPem });
  });

  after(async () => {
    for (const running of started) {
      await running.stop().catch(() => undefined);
    }
    transport.close();
    await sandbox.close();
    for (const folder of dataDirs) {
      await rm(folder, { recursive: true, force: true });
    }
  });

  beforeEach(() => {
    sandbox.control.clearFaults();
    FakeBrowserWindow.instances.length = 0;
  });

  async function startScenario(
    options: {
      platform?: TrayPlatform;
      dataDir?: string;
      safeStorage?: FakeSafeStorage;
      shortcuts?: ShortcutAvailability;
    } = {},
  ): Promise<Scenario> {
    const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'presence-tray-scenario-')));
    if (options.dataDir === undefined) {
      dataDirs.push(dataDir);
    }
    const platform = options.platform ?? 'linux';
    const app = new FakeApp();
    const powerMonitor = new FakePowerMonitor();
    const globalShortcut = new FakeGlobalShortcut();
    const inhibitor = new RecordingInhibitor();
    const notifications: FakeNotificationControl = { supported: true, created: [], failWith: null };
    const log = new MemoryLog('info');
    const channelPath = commandChannelPath(dataDir);

    const running = await startTrayApp(
      {
        app,
        powerMonitor,
        globalShortcut,
        safeStorage: options.safeStorage ?? new FakeSafeStorage(),
        shell: new SandboxBrowserShell(sandbox.caPem),
        Notification: createFakeNotificationClass(notifications),
        Tray: FakeTray,
        Menu: fakeMenuFactory,
        nativeImage: fakeNativeImage,
        BrowserWindow: FakeBrowserWindow,
        ipcMain: new FakeIpcMain(),
        Store: confSettingsFileClass(dataDir),
      },
      {
        platform,
        dataDir,
        assetsDir: ASSETS,
        preloadPath: join(dataDir, 'preload.cjs'),
        pagePath: join(dataDir, 'index.html'),
        clock: systemClock,
        logger: log.logger,
        transport,
        endpoints: () => ({ clientId: SANDBOX_CLIENT_ID, authority: sandbox.authority, graphBaseUrl: sandbox.graphBaseUrl, sandbox: true }),
        managed: NO_MANAGED_ACCOUNT,
        shortcutAvailability: options.shortcuts ?? NATIVE_SHORTCUTS,
        sleepInhibitor: inhibitor,
        linuxAutostart: createLinuxAutostart({
          desktopId: 'io.github.presencetray.PresenceTray',
          entry: { name: 'Presence Tray', comment: 'Clears your Teams presence', exec: ['/opt/presence-tray/presence-tray'], icon: null },
          logger: log.logger,
          env: {},
          home: dataDir,
        }),
        executablePath: '/opt/presence-tray/presence-tray',
        channelPath,
        startSandbox: async () => {},
      },
    );
    started.push(running);

    return {
      running,
      app,
      powerMonitor,
      globalShortcut,
      inhibitor,
      notifications,
      dataDir,
      channelPath,
      log,
      tray: () => FakeTray.instances.at(-1)!,
    };
  }

  /** Signs in through the tray menu and sets Busy, so there is a session to clear. */
  async function signInAndSetBusy(scenario: Scenario): Promise<void> {
    await scenario.running.presence.signIn('browser');
    await scenario.running.presence.setPresence({ availability: 'Busy', durationMs: null });
    sandbox.control.clearRequests();
  }

  function clearRequests(): number {
    return sandbox.control.requests().filter((entry) => entry.action === 'clearPresence').length;
  }

  /** Waits until `count` clearPresence requests arrived and returns the time taken. */
  async function waitForClears(count: number, startedAt: number, limitMs: number): Promise<number> {
    while (clearRequests() < count) {
      if (performance.now() - startedAt > limitMs) {
        throw new Error(`Expected ${count} clearPresence within ${limitMs} ms, saw ${clearRequests()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return performance.now() - startedAt;
  }

  /** Gives a second, unwanted clear the time to show up. */
  async function settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 300));
  }

  it('tray clear sends one clear', async () => {
    const scenario = await startScenario();
    await signInAndSetBusy(scenario);

    const startedAt = performance.now();
    scenario.tray().contextMenu!.click('clear');
    await waitForClears(1, startedAt, 5000 + SLACK_MS);
    await settle();

    assert.equal(clearRequests(), 1);
  });

  it('shortcut sends one clear', async () => {
    const scenario = await startScenario();
    await signInAndSetBusy(scenario);

    const startedAt = performance.now();
    const pressed = scenario.globalShortcut.press('CommandOrControl+Alt+Shift+P');
    await waitForClears(1, startedAt, 5000 + SLACK_MS);
    await settle();

    assert.equal(pressed, true);
    assert.equal(clearRequests(), 1);
  });

  it('quit sends one clear and exits', async () => {
    const scenario = await startScenario();
    await signInAndSetBusy(scenario);

    const startedAt = performance.now();
    scenario.tray().contextMenu!.click('quit');
    await waitForExit(scenario.app, startedAt, QUIT_LIMIT_MS + SLACK_MS);

    assert.equal(clearRequests(), 1);
    assert.equal(scenario.app.exitCode, 0);
  });

  it('suspend sends one clear', async () => {
    const scenario = await startScenario({ platform: 'linux' });
    await signInAndSetBusy(scenario);

    const startedAt = performance.now();
    scenario.powerMonitor.fire('suspend');
    const heldDuringClear = scenario.inhibitor.isHeld();
    const elapsed = await waitForClears(1, startedAt, 1500 + SLACK_MS);
    await settle();

    assert.equal(clearRequests(), 1);
    assert.equal(heldDuringClear, true);
    assert.equal(scenario.inhibitor.isHeld(), false);
    assert.ok(elapsed < 1500 + SLACK_MS);
  });

  it('lock sends one clear', async () => {
    const scenario = await startScenario({ platform: 'win32' });
    await signInAndSetBusy(scenario);

    const startedAt = performance.now();
    scenario.powerMonitor.fire('lock-screen');
    await waitForClears(1, startedAt, 1500 + SLACK_MS);
    await settle();

    assert.equal(clearRequests(), 1);
  });

  it('fast user switch sends one clear', async () => {
    const scenario = await startScenario({ platform: 'darwin' });
    await signInAndSetBusy(scenario);

    const startedAt = performance.now();
    scenario.powerMonitor.fire('user-did-resign-active');
    await waitForClears(1, startedAt, 1500 + SLACK_MS);
    await settle();

    assert.equal(clearRequests(), 1);
  });

  for (const platform of ['linux', 'darwin'] as const) {
    it(`${platform} shutdown clears once and quits`, async () => {
      const scenario = await startScenario({ platform });
      await signInAndSetBusy(scenario);

      const startedAt = performance.now();
      const event = scenario.powerMonitor.fireShutdown();
      await waitForExit(scenario.app, startedAt, QUIT_LIMIT_MS + SLACK_MS);

      assert.equal(event.defaultPrevented, true);
      assert.equal(clearRequests(), 1);
      assert.equal(scenario.app.exitCode, 0);
    });
  }

  it('windows session-end clears once and quits', async () => {
    const scenario = await startScenario({ platform: 'win32' });
    await signInAndSetBusy(scenario);
    const sessionWindow = FakeBrowserWindow.instances[0]!;

    const startedAt = performance.now();
    sessionWindow.emit('query-session-end', createFakeEvent({ reasons: ['logoff'] }));
    sessionWindow.emit('session-end', createFakeEvent({ reasons: ['logoff'] }));
    await waitForExit(scenario.app, startedAt, QUIT_LIMIT_MS + SLACK_MS);

    assert.equal(clearRequests(), 1);
    assert.equal(scenario.app.exitCode, 0);
  });

  it('quit without an answer exits in budget', async () => {
    const scenario = await startScenario();
    await signInAndSetBusy(scenario);
    sandbox.control.injectFaults({ action: 'clearPresence', responses: [{ noAnswer: true }, { noAnswer: true }, { noAnswer: true }] });

    const startedAt = performance.now();
    scenario.tray().contextMenu!.click('quit');
    const elapsed = await waitForExit(scenario.app, startedAt, QUIT_LIMIT_MS + SLACK_MS);

    assert.equal(scenario.app.exitCode, 0);
    assert.ok(elapsed <= QUIT_LIMIT_MS + SLACK_MS, `quit took ${Math.round(elapsed)} ms`);
  });

  it('next start clears first', async () => {
    const first = await startScenario();
    await signInAndSetBusy(first);
    sandbox.control.injectFaults({ action: 'clearPresence', responses: [{ noAnswer: true }, { noAnswer: true }, { noAnswer: true }] });
    first.tray().contextMenu!.click('quit');
    await waitForExit(first.app, performance.now(), QUIT_LIMIT_MS + SLACK_MS);
    await first.running.stop();
    sandbox.control.clearFaults();
    sandbox.control.clearRequests();

    await startScenario({ dataDir: first.dataDir });
    await waitForClears(1, performance.now(), 5000 + SLACK_MS);
    const graphRequests = sandbox.control.requests().filter((entry) => entry.path.startsWith('/v1.0/') || entry.path.startsWith('/beta/'));

    assert.equal(graphRequests[0]?.action, 'clearPresence');
  });

  it('F7 menu holds every action', async () => {
    const scenario = await startScenario({ platform: 'linux' });
    await signInAndSetBusy(scenario);
    scenario.running.tray.refresh();
    const menu = scenario.tray().contextMenu!;
    const ids = menu.flatten().map((item) => String(item.id));

    assert.equal(menu.items[0]?.enabled, false);
    for (const action of ['clear', 'pause', 'sign-out', 'settings', 'toggle-start-at-login', 'quit']) {
      assert.ok(ids.includes(action), `menu lacks ${action}: ${ids.join(', ')}`);
    }
    assert.ok(ids.some((id) => id.startsWith('set:Busy/InACall:')), 'menu lacks a Busy item');
  });

  it('F7 menu actions reach the app', async () => {
    const scenario = await startScenario({ platform: 'linux' });
    await signInAndSetBusy(scenario);

    scenario.tray().contextMenu!.click('settings');
    const setId = scenario
      .tray()
      .contextMenu!.flatten()
      .map((item) => String(item.id))
      .find((id) => /^set:DoNotDisturb\/\w+:PT30M$/.test(id))!;
    scenario.tray().contextMenu!.click(setId);
    await waitFor(() => sandbox.control.requests().some((entry) => entry.action === 'setPresence'), 'a setPresence');
    scenario.tray().contextMenu!.click('pause');
    await waitForClears(1, performance.now(), 5000 + SLACK_MS);
    scenario.tray().contextMenu!.click('sign-out');
    await waitFor(() => scenario.running.presence.state().account.kind === 'signed-out', 'the sign-out');
    scenario.tray().contextMenu!.click('sign-in');
    await waitFor(() => scenario.running.presence.state().account.kind === 'signed-in', 'the sign-in');

    assert.equal(FakeBrowserWindow.instances.length, 1);
    assert.equal(clearRequests(), 1);
  });

  it('F8 shows the fallback command', async () => {
    const scenario = await startScenario({ shortcuts: WAYLAND_NO_PORTAL });
    const status = scenario.running.shortcut.status();

    assert.equal(status.state, 'unsupported');
    assert.equal(status.fallbackCommand, 'presence-tray clear');
    assert.equal(scenario.globalShortcut.registered.size, 0);
  });

  it('F8 command clears once', async () => {
    const scenario = await startScenario({ shortcuts: WAYLAND_NO_PORTAL });
    await signInAndSetBusy(scenario);
    let stdout = '';

    const code = await cliMain(['clear', '--json'], { out: (text) => (stdout += text), err: () => {} }, { PRESENCE_TRAY_HOME: scenario.dataDir });
    await settle();

    assert.equal(code, 0);
    assert.equal(clearRequests(), 1);
    assert.match(stdout, /cleared/);
  });

  it('F10 starts without secure storage', async () => {
    const scenario = await startScenario({ safeStorage: new FakeSafeStorage({ backend: 'basic_text' }) });
    await scenario.running.presence.signIn('browser');

    assert.equal(scenario.running.presence.app().tokenCacheMode(), 'memory');
    assert.equal(scenario.running.presence.state().account.kind, 'signed-in');
    assert.match(scenario.log.text(), /Secure storage is unavailable/);
    assert.ok(!(await readdir(scenario.dataDir)).includes('token-cache.bin'), 'a token cache file was written');
  });
});

async function waitForExit(app: FakeApp, startedAt: number, limitMs: number): Promise<number> {
  while (app.exitCode === null) {
    if (performance.now() - startedAt > limitMs) {
      throw new Error(`The app did not exit within ${limitMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return performance.now() - startedAt;
}

async function waitFor(condition: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const startedAt = performance.now();
  while (!condition()) {
    if (performance.now() - startedAt > limitMs) {
      throw new Error(`Timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
