/**
 * The whole tray app for reliability scenarios: the real shell composition (`startTrayApp`) over
 * the typed Electron fakes, with the real core, real MSAL and the real Node transport against the
 * sandbox. Unlike the shell scenario tests, time comes from a `TimeDriver`, so Retry-After waits
 * and budgets run on a fake clock while the sockets stay real.
 */

import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

import { createLinuxAutostart } from '../../../main/core/autostart/linux-autostart.ts';
import { commandChannelPath } from '../../../main/core/node/command-channel.ts';
import type { HttpTransport, Logger } from '../../../main/core/ports.ts';
import { NO_MANAGED_ACCOUNT } from '../../../main/core/settings/managed.ts';
import type { TrayPlatform } from '../../../main/core/tray/tray-icons.ts';
import { SANDBOX_CLIENT_ID } from '../../../main/sandbox/index.ts';
import { startTrayApp, type RunningTrayApp } from '../../../main/shell/tray-app.ts';
import { FakeApp } from '../../fakes/electron/app.ts';
import { FakeBrowserWindow, FakeIpcMain } from '../../fakes/electron/browser-window.ts';
import { FakeGlobalShortcut } from '../../fakes/electron/global-shortcut.ts';
import { createFakeNotificationClass, type FakeNotificationControl } from '../../fakes/electron/notification.ts';
import { FakePowerMonitor } from '../../fakes/electron/power-monitor.ts';
import { FakeSafeStorage } from '../../fakes/electron/safe-storage.ts';
import { confSettingsFileClass } from '../../fakes/electron/settings-file.ts';
import { RecordingInhibitor, SandboxBrowserShell } from '../../fakes/electron/sandbox-shell.ts';
import { FakeTray, fakeMenuFactory, fakeNativeImage } from '../../fakes/electron/tray.ts';
import type { TimeDriver } from './time-driver.ts';

const ASSETS = fileURLToPath(new URL('../../../assets', import.meta.url));

/** The default global shortcut of the settings. */
export const DEFAULT_ACCELERATOR = 'CommandOrControl+Alt+Shift+P';

export interface HarnessOptions {
  dataDir: string;
  platform: TrayPlatform;
  driver: TimeDriver;
  transport: HttpTransport;
  logger: Logger;
  authority: string;
  graphBaseUrl: string;
  caPem: string;
  /** The OS secret store; default one that works. */
  safeStorage?: FakeSafeStorage;
}

export interface TrayHarness {
  running: RunningTrayApp;
  app: FakeApp;
  powerMonitor: FakePowerMonitor;
  globalShortcut: FakeGlobalShortcut;
  notifications: FakeNotificationControl;
  /** The tray icon this run created. */
  tray: FakeTray;
}

/** Starts the tray app, driving fake time while it replays a pending clear. */
export async function startHarness(options: HarnessOptions): Promise<TrayHarness> {
  const app = new FakeApp();
  const powerMonitor = new FakePowerMonitor();
  const globalShortcut = new FakeGlobalShortcut();
  const notifications: FakeNotificationControl = { supported: true, created: [], failWith: null };
  const traysBefore = FakeTray.instances.length;

  const starting = startTrayApp(
    {
      app,
      powerMonitor,
      globalShortcut,
      safeStorage: options.safeStorage ?? new FakeSafeStorage(),
      shell: new SandboxBrowserShell(options.caPem),
      Notification: createFakeNotificationClass(notifications),
      Tray: FakeTray,
      Menu: fakeMenuFactory,
      nativeImage: fakeNativeImage,
      BrowserWindow: FakeBrowserWindow,
      ipcMain: new FakeIpcMain(),
      Store: confSettingsFileClass(options.dataDir),
    },
    {
      platform: options.platform,
      dataDir: options.dataDir,
      assetsDir: ASSETS,
      preloadPath: join(options.dataDir, 'preload.cjs'),
      pagePath: join(options.dataDir, 'index.html'),
      clock: options.driver.clock,
      logger: options.logger,
      transport: options.transport,
      endpoints: () => ({ clientId: SANDBOX_CLIENT_ID, authority: options.authority, graphBaseUrl: options.graphBaseUrl, sandbox: true }),
      managed: NO_MANAGED_ACCOUNT,
      shortcutAvailability: { kind: 'native', reason: 'The X11 server grabs the keys directly.' },
      sleepInhibitor: new RecordingInhibitor(),
      linuxAutostart: createLinuxAutostart({
        desktopId: 'io.github.presencetray.PresenceTray',
        entry: { name: 'Presence Tray', comment: 'Clears your Teams presence', exec: ['/opt/presence-tray/presence-tray'], icon: null },
        logger: options.logger,
        env: {},
        home: options.dataDir,
      }),
      executablePath: '/opt/presence-tray/presence-tray',
      channelPath: commandChannelPath(options.dataDir),
      startSandbox: async () => {},
    },
  );
  const running = await options.driver.settle(starting, 'the tray app to start', { fakeMs: 120_000, realMs: 60_000 });

  const tray = FakeTray.instances.slice(traysBefore).at(-1);
  if (tray === undefined) {
    throw new Error('The tray app started without creating a tray icon.');
  }
  return { running, app, powerMonitor, globalShortcut, notifications, tray };
}
