/**
 * Composition root of the Electron app, and the only file outside `main/shell/` that loads
 * Electron. It sets what must precede `ready`, routes a command-line start to the command line,
 * and hands the real Electron objects to `startTrayApp`, which the scenario tests run with fakes.
 */

import { join } from 'node:path';

import {
  app,
  BrowserWindow,
  globalShortcut,
  ipcMain,
  Menu,
  nativeImage,
  net,
  Notification,
  powerMonitor,
  safeStorage,
  session,
  shell,
  Tray,
  type NativeImage,
} from 'electron';
import log from 'electron-log/main';
import Store from 'electron-store';

import { main as runCommandLine } from './cli.ts';
import { createLinuxAutostart } from './core/autostart/linux-autostart.ts';
import { commandChannelPath } from './core/node/command-channel.ts';
import { systemClock } from './core/node/clock.ts';
import { createNodeTransport } from './core/net/node-transport.ts';
import { appDataDir } from './core/paths.ts';
import type { HttpTransport } from './core/ports.ts';
import { managedAccountSettings, managedSettingsFiles } from './core/settings/managed.ts';
import { shortcutAvailability } from './core/shortcut/availability.ts';
import type { TrayPlatform } from './core/tray/tray-icons.ts';
import { readSandboxState } from './sandbox/discovery.ts';
import { classifyLaunch, commandArgs, requestPrimaryInstance } from './shell/launch.ts';
import { createElectronLogger } from './shell/log-sink.ts';
import { createElectronTransport } from './shell/net-transport.ts';
import { createSandboxSwitch } from './shell/sandbox-switch.ts';
import { createSleepInhibitor } from './shell/sleep-inhibitor.ts';
import { microsoftEndpoints, startTrayApp, type Endpoints } from './shell/tray-app.ts';

/** The installed `.desktop` file's id; electron-builder.yml sets the same `desktopName`. */
const DESKTOP_ID = 'io.github.presencetray.PresenceTray';
const ELECTRON_MAJOR = Number(process.versions.electron?.split('.')[0] ?? '0');
const SUPPORTED_PLATFORMS: readonly string[] = ['darwin', 'win32', 'linux'];

// Before `ready`: the name, data folder and Chromium switches, and the single-instance lock.
app.setName('Presence Tray');
const dataDir = appDataDir();
app.setPath('userData', dataDir);
if (process.platform === 'linux') {
  app.setDesktopName(`${DESKTOP_ID}.desktop`);
}
const availability = shortcutAvailability(process.platform, process.env, ELECTRON_MAJOR, { desktopName: DESKTOP_ID });
if (availability.kind === 'portal') {
  app.commandLine.appendSwitch('enable-features', availability.enableFeatures.join(','));
}
app.dock?.hide();

const launch = classifyLaunch(commandArgs(process.argv, process.defaultApp === true));

if (!SUPPORTED_PLATFORMS.includes(process.platform)) {
  console.error(`Presence Tray runs on Windows, macOS and Linux, not on ${process.platform}.`);
  app.exit(1);
} else if (launch.kind === 'command') {
  app.exit(await runCommandLine(launch.args));
} else if (!requestPrimaryInstance(app, [])) {
  // The running app got `second-instance` and shows its settings window.
  app.quit();
} else {
  await app.whenReady();
  await startApp(launch.sandbox, launch.verbose);
}

async function startApp(sandbox: boolean, verbose: boolean): Promise<void> {
  const platform = process.platform as TrayPlatform;
  const logger = createElectronLogger(log, verbose ? 'debug' : 'info', { console: !app.isPackaged });
  const appPath = app.getAppPath();
  // The app keeps running with no window open: it lives in the tray.
  app.on('window-all-closed', () => {});

  let transport: HttpTransport;
  let endpoints: (settings: Parameters<typeof microsoftEndpoints>[0]) => Endpoints;
  let stateDir = dataDir;
  if (sandbox) {
    const state = await readSandboxState(dataDir);
    transport = createNodeTransport({ extraCaPem: state.caPem, logger });
    endpoints = () => ({ clientId: state.clientId, authority: state.authority, graphBaseUrl: state.graphBaseUrl, sandbox: true });
    // Like the command line, the sandbox keeps its own settings, journal and tokens.
    stateDir = join(dataDir, 'sandbox');
  } else {
    const electronTransport = createElectronTransport({ net, session: session.defaultSession, logger, proxyProbeUrl: 'https://graph.microsoft.com/' });
    await electronTransport.refreshProxy();
    transport = electronTransport;
    endpoints = microsoftEndpoints;
  }

  const launchCommand = process.defaultApp === true ? [process.execPath, appPath] : [process.execPath];
  const running = await startTrayApp<Menu, NativeImage>(
    { app, powerMonitor, globalShortcut, safeStorage, shell, Notification, Tray, Menu, nativeImage, BrowserWindow, ipcMain, Store },
    {
      platform,
      dataDir: stateDir,
      assetsDir: join(appPath, 'assets'),
      preloadPath: join(appPath, 'dist', 'preload', 'index.cjs'),
      pagePath: join(appPath, 'dist', 'renderer', 'index.html'),
      clock: systemClock,
      logger,
      transport,
      endpoints,
      managed: managedAccountSettings(process.env, managedSettingsFiles(dataDir, process.platform, process.env)),
      shortcutAvailability: availability,
      sleepInhibitor: platform === 'linux' ? createSleepInhibitor({ logger }) : undefined,
      linuxAutostart:
        platform === 'linux'
          ? createLinuxAutostart({
              desktopId: DESKTOP_ID,
              entry: {
                name: 'Presence Tray',
                comment: 'Keeps and clears your Microsoft Teams presence session',
                exec: process.env.APPIMAGE !== undefined ? [process.env.APPIMAGE] : launchCommand,
                icon: DESKTOP_ID,
              },
              logger,
            })
          : undefined,
      executablePath: process.execPath,
      channelPath: commandChannelPath(dataDir),
      startSandbox: createSandboxSwitch({
        app,
        command: launchCommand,
        launchArgs: process.argv.slice(1),
        waitForSandbox: (timeoutMs) => waitForSandboxState(timeoutMs),
        quit: () => running.quit.requestQuit('user-quit'),
        logger,
      }),
    },
  );
}

/** Polls for the sandbox state file the `sandbox` command writes once it listens. */
async function waitForSandboxState(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await readSandboxState(dataDir);
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
