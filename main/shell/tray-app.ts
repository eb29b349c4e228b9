/**
 * Builds the running tray app from Electron's objects: every adapter, the core `PresenceApp`,
 * the tray, the shortcut, the settings window, IPC, power and quit wiring, and the command
 * channel. `main/index.ts` passes the real Electron objects; the scenario tests pass the fakes in
 * `test/fakes/electron/`, so both run this same composition.
 */

import { join } from 'node:path';

import { EXIT, parseArgs } from '../cli/args.ts';
import { runCommand } from '../cli/commands.ts';
import { PresenceApp, type PresenceAppConfig } from '../core/app.ts';
import type { LinuxAutostart } from '../core/autostart/linux-autostart.ts';
import { connectPushChannels, createIpcHandlers } from '../core/ipc/handlers.ts';
import { createNodeBlobFile } from '../core/node/blob-file.ts';
import type { ChannelHandler } from '../core/node/command-channel.ts';
import { createJournalStore } from '../core/node/journal-store.ts';
import { DATA_FILES } from '../core/paths.ts';
import type { Clock, HttpTransport, Logger, SecretBoxBackend } from '../core/ports.ts';
import type { ManagedAccount } from '../core/settings/managed.ts';
import type { Settings } from '../core/settings/settings.ts';
import type { SettingsStore } from '../core/settings/store.ts';
import type { ShortcutAvailability } from '../core/shortcut/availability.ts';
import { ShortcutService } from '../core/shortcut/shortcut-service.ts';
import { TrayController } from '../core/tray/tray-controller.ts';
import type { TrayPlatform } from '../core/tray/tray-icons.ts';
import type { ShortcutCheck, WindowEnvironment } from '../ipc-contract.ts';
import { createShellBrowserOpener, type ShellApi } from './browser-opener.ts';
import { registerIpcHandlers, type IpcMainApi } from './ipc.ts';
import { listenForSecondInstances, startCommandChannel, type SingleInstanceAppApi } from './launch.ts';
import { createLoginItem, type LoginItemAppApi } from './login-item.ts';
import { createElectronNotifier, type NotificationClass } from './notifier.ts';
import { createPowerEvents, type ElectronPowerEvents, type PowerMonitorApi } from './power-events.ts';
import { PresenceAppHost } from './presence-host.ts';
import { createQuitHooks, type ElectronQuitHooks, type QuitAppApi } from './quit-hooks.ts';
import { createSafeStorageSecretBox, type SafeStorageApi } from './secret-box.ts';
import { createSessionEndWindow, createSettingsWindow, type SessionEndWindowClass, type SettingsWindowClass, type SettingsWindowController } from './settings-window.ts';
import { openElectronSettingsStore, type SettingsFileClass } from './settings-store.ts';
import { createShortcutRegistry, type GlobalShortcutApi } from './shortcut-registry.ts';
import type { SleepInhibitor } from './sleep-inhibitor.ts';
import { createElectronTrayView, type IconImage, type TrayViewDeps } from './tray-view.ts';
import { wirePowerEvents } from './wiring.ts';

/** The Electron objects the tray app uses, each narrowed to the calls made on it. */
export interface ElectronObjects<MenuHandle, Image extends IconImage> {
  app: QuitAppApi & SingleInstanceAppApi & LoginItemAppApi;
  powerMonitor: PowerMonitorApi;
  globalShortcut: GlobalShortcutApi;
  safeStorage: SafeStorageApi;
  shell: ShellApi;
  Notification: NotificationClass;
  Tray: TrayViewDeps<MenuHandle, Image>['Tray'];
  Menu: TrayViewDeps<MenuHandle, Image>['Menu'];
  nativeImage: TrayViewDeps<MenuHandle, Image>['nativeImage'];
  BrowserWindow: SettingsWindowClass & SessionEndWindowClass;
  ipcMain: IpcMainApi;
  /** electron-store's class. */
  Store: SettingsFileClass;
}

/** The sign-in authority, Graph origin and client ID the app uses. */
export type Endpoints = Pick<PresenceAppConfig, 'clientId' | 'authority' | 'graphBaseUrl' | 'sandbox'>;

export interface TrayAppOptions {
  platform: TrayPlatform;
  /** `app.getPath('userData')`. */
  dataDir: string;
  /** The shipped `assets/` folder. */
  assetsDir: string;
  preloadPath: string;
  pagePath: string;
  clock: Clock;
  logger: Logger;
  transport: HttpTransport;
  /** Microsoft's endpoints from the settings, or the running sandbox's. */
  endpoints: (settings: Settings) => Endpoints;
  managed: ManagedAccount;
  shortcutAvailability: ShortcutAvailability;
  /** Linux: the logind sleep delay lock. */
  sleepInhibitor?: SleepInhibitor;
  /** Linux: the XDG autostart writer. */
  linuxAutostart?: LinuxAutostart;
  /** The executable a Windows login item starts. */
  executablePath: string;
  channelPath: string;
  /** Switches the app to the local sandbox (the settings window's "Try the sandbox"). */
  startSandbox: () => Promise<void>;
  /** Extra time the quit watchdog allows above the quit budget before it exits anyway. */
  quitWatchdogMarginMs?: number;
}

export interface RunningTrayApp {
  presence: PresenceAppHost;
  settings: SettingsStore;
  tray: TrayController;
  shortcut: ShortcutService;
  settingsWindow: SettingsWindowController;
  power: ElectronPowerEvents;
  quit: ElectronQuitHooks;
  /** Stops timers, the channel and the tray without clearing (quit clears). */
  stop(): Promise<void>;
}

/** Returns Microsoft's endpoints for the settings' app registration and tenant. */
export function microsoftEndpoints(settings: Settings): Endpoints {
  return {
    clientId: settings.account.clientId,
    authority: `https://login.microsoftonline.com/${encodeURIComponent(settings.account.tenant)}`,
    graphBaseUrl: 'https://graph.microsoft.com',
    sandbox: false,
  };
}

/** The quit budget plus this margin bounds the quit; covers closing windows and the channel. */
const DEFAULT_QUIT_WATCHDOG_MARGIN_MS = 1000;

/** Builds and starts the tray app; call after `app` is ready. */
export async function startTrayApp<MenuHandle, Image extends IconImage>(
  electron: ElectronObjects<MenuHandle, Image>,
  options: TrayAppOptions,
): Promise<RunningTrayApp> {
  const { clock, logger, platform } = options;
  const log = logger.child('tray-app');
  log.info('Starting the tray app', { platform, dataDir: options.dataDir });

  // Ports over Electron and the data folder.
  const settings = openElectronSettingsStore({
    Store: electron.Store,
    path: join(options.dataDir, DATA_FILES.settings),
    managed: options.managed,
    logger,
  });
  const secretBox = createSafeStorageSecretBox(electron.safeStorage, platform, logger);
  const secretStorage: SecretBoxBackend = await secretBox.backend();
  const browser = createShellBrowserOpener(electron.shell, logger);
  const notifier = createElectronNotifier(electron.Notification, logger);
  const tokenCacheFile = createNodeBlobFile(join(options.dataDir, DATA_FILES.tokenCache), { logger });
  const journal = createJournalStore({ file: createNodeBlobFile(join(options.dataDir, DATA_FILES.journal), { logger }), logger });

  const buildPresence = (current: Settings): Promise<PresenceApp> =>
    PresenceApp.create(
      { clock, logger, transport: options.transport, browser, notifier, secretBox, tokenCacheFile, journal, settings },
      options.endpoints(current),
    );
  const presence = new PresenceAppHost(await buildPresence(settings.get()), logger);

  // OS events and quit.
  const power = createPowerEvents({
    powerMonitor: electron.powerMonitor,
    platform,
    logger,
    sessionWindow: platform === 'win32' ? createSessionEndWindow(electron.BrowserWindow) : undefined,
    sleepInhibitor: options.sleepInhibitor,
  });
  const quit = createQuitHooks({
    app: electron.app,
    clock,
    logger,
    watchdogMs: settings.get().budgetsMs.quit + (options.quitWatchdogMarginMs ?? DEFAULT_QUIT_WATCHDOG_MARGIN_MS),
  });
  const unwirePower = wirePowerEvents(power, presence, quit, logger);

  // Global shortcut.
  const registry = createShortcutRegistry(electron.globalShortcut, options.shortcutAvailability.kind !== 'unsupported', logger);
  const shortcut = new ShortcutService({
    registry,
    availability: options.shortcutAvailability,
    logger,
    onPress: () => {
      void presence.clearPresence('shortcut').catch((error: unknown) => log.error('Clear from the shortcut failed', { error: String(error) }));
    },
  });
  const applyShortcut = (current: Settings): void => {
    shortcut.apply(current.shortcut.enabled ? current.shortcut.accelerator : null);
  };
  applyShortcut(settings.get());

  // Settings window and IPC.
  const environment = (): WindowEnvironment => ({
    platform,
    proxy: options.transport.describeProxy(),
    shortcuts: {
      mode: options.shortcutAvailability.kind,
      reason: options.shortcutAvailability.reason,
      fallbackCommand: options.shortcutAvailability.kind === 'native' ? null : options.shortcutAvailability.fallbackCommand,
    },
    secretStorage,
    lockEventsSupported: platform !== 'linux',
  });
  const settingsWindow = createSettingsWindow({
    BrowserWindow: electron.BrowserWindow,
    preloadPath: options.preloadPath,
    pagePath: options.pagePath,
    logger,
    connectPushes: (send) => connectPushChannels({ app: presence, settings, environment, logger }, send),
  });
  const removeIpc = registerIpcHandlers({
    ipcMain: electron.ipcMain,
    handlers: createIpcHandlers({
      app: presence,
      settings,
      environment,
      checkShortcut: async (accelerator) => checkShortcut(accelerator, shortcut, electron.globalShortcut, options.shortcutAvailability),
      browser,
      startSandbox: options.startSandbox,
      logger,
    }),
    trusted: () => settingsWindow.trustedSenders(),
    logger,
  });

  // Tray.
  const loginItem = createLoginItem({
    app: electron.app,
    platform,
    linuxAutostart: options.linuxAutostart,
    executablePath: options.executablePath,
    logger,
  });
  const trayView = createElectronTrayView({
    Tray: electron.Tray,
    Menu: electron.Menu,
    nativeImage: electron.nativeImage,
    assetsDir: options.assetsDir,
    platform,
    logger,
  });
  const tray = new TrayController({
    view: trayView,
    api: presence,
    hooks: {
      openSettings: () => settingsWindow.show(),
      setStartAtLogin: async (enabled) => {
        await loginItem.setEnabled(enabled);
        settings.update({ startAtLogin: enabled });
      },
      quit: () => quit.requestQuit('user-quit'),
    },
    browser,
    clock,
    logger,
    platform,
    settings: () => settings.get(),
    shortcutAvailable: () => shortcut.status().state === 'registered',
  });

  // Settings changes: a new app registration needs a new PresenceApp.
  let lastEndpoints = JSON.stringify(options.endpoints(settings.get()));
  const stopSettings = settings.onChange((current) => {
    applyShortcut(current);
    tray.refresh();
    const next = JSON.stringify(options.endpoints(current));
    if (next !== lastEndpoints) {
      lastEndpoints = next;
      void rebuildPresence(presence, () => buildPresence(current), log);
    }
  });

  // Commands from `presence-tray <command>` and from later launches.
  const handler = createChannelHandler(() => presence.app(), settings, () => options.endpoints(settings.get()).graphBaseUrl);
  const stopChannel = await startCommandChannel(options.channelPath, handler, logger);
  listenForSecondInstances({ app: electron.app, runCommand: handler, onLaunch: () => settingsWindow.show(), logger });

  quit.onBeforeQuit(async () => {
    shortcut.dispose();
    await stopChannel();
  });

  await presence.app().start({ replayJournal: true });
  tray.start();
  if (settings.get().account.clientId === null && !options.endpoints(settings.get()).sandbox) {
    // First run: the window requests an app registration or offers the sandbox.
    settingsWindow.show();
  }
  log.info('Tray app started');

  return {
    presence,
    settings,
    tray,
    shortcut,
    settingsWindow,
    power,
    quit,
    async stop() {
      tray.stop();
      trayView.destroy();
      stopSettings();
      unwirePower();
      removeIpc();
      shortcut.dispose();
      await stopChannel();
      await presence.app().dispose();
      log.info('Tray app stopped');
    },
  };
}

/**
 * Runs a command line that reached the app over the command channel with the command line's own
 * `runCommand`, against the app's `PresenceApp`, and returns what it printed.
 */
export function createChannelHandler(app: () => PresenceApp, settings: SettingsStore, graphBaseUrl: () => string): ChannelHandler {
  return async (argv) => {
    const parsed = parseArgs(argv);
    if (!parsed.ok) {
      return { exitCode: EXIT.usage, stdout: '', stderr: `${parsed.error}\n` };
    }

    let stdout = '';
    let stderr = '';
    const io = {
      out: (text: string) => {
        stdout += text;
      },
      err: (text: string) => {
        stderr += text;
      },
    };
    const current = app();
    // A command without --sandbox acts on whatever the app uses (a desktop shortcut bound to
    // `presence-tray clear`), but --sandbox must never reach a real Microsoft session.
    if (parsed.options.sandbox && !current.state().sandbox) {
      return {
        exitCode: EXIT.failure,
        stdout: '',
        stderr: 'The running Presence Tray app uses Microsoft, not the sandbox: quit it or drop --sandbox.\n',
      };
    }
    const exitCode = await runCommand(parsed.command, { app: current, settings, io, options: parsed.options, graphBaseUrl: graphBaseUrl() });
    return { exitCode, stdout, stderr };
  };
}

async function rebuildPresence(host: PresenceAppHost, build: () => Promise<PresenceApp>, log: Logger): Promise<void> {
  try {
    const next = await build();
    await host.replace(next);
    await next.start({ replayJournal: true });
    log.info('Switched to the new app registration');
  } catch (error) {
    log.error('Switching to the new app registration failed; restart the app', { error: String(error) });
  }
}

/** Tries an accelerator for the settings window without keeping it registered. */
function checkShortcut(
  accelerator: string,
  shortcut: ShortcutService,
  globalShortcut: GlobalShortcutApi,
  availability: ShortcutAvailability,
): ShortcutCheck {
  if (availability.kind === 'unsupported') {
    return { status: 'unsupported', accelerator, message: availability.reason, fallbackCommand: availability.fallbackCommand };
  }
  if (shortcut.status().active === accelerator) {
    return { status: 'available', accelerator, message: `${accelerator} is the current shortcut.`, fallbackCommand: null };
  }

  const fallbackCommand = availability.kind === 'portal' ? availability.fallbackCommand : null;
  if (!globalShortcut.register(accelerator, () => {})) {
    return { status: 'in-use', accelerator, message: `${accelerator} is already used by another application.`, fallbackCommand };
  }
  globalShortcut.unregister(accelerator);
  return { status: 'available', accelerator, message: `${accelerator} is free.`, fallbackCommand };
}
