/**
 * The settings and sign-in window, locked down as Electron's security checklist advises: context
 * isolation, the renderer sandbox, no Node integration, a preload that exposes only the typed
 * bridge, no navigation away from our page, no new windows, no webviews, every permission
 * denied, and its own in-memory session so none of that touches the app's network session.
 */

import { pathToFileURL } from 'node:url';

import type {
  BrowserWindowConstructorOptions,
  Event as ElectronEvent,
  HandlerDetails,
  Session,
  WebContentsWillNavigateEventParams,
  WebContentsWillRedirectEventParams,
  WindowOpenHandlerResponse,
} from 'electron';

import type { TrustedSenders } from '../core/ipc/sender.ts';
import type { Logger } from '../core/ports.ts';
import type { PushChannel, PushChannels } from '../ipc-contract.ts';
import type { SessionEndWindowApi } from './power-events.ts';

/** The parts of a window's `webContents` this file uses. */
export interface WindowContentsApi {
  readonly id: number;
  readonly session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>;
  send(channel: string, payload: unknown): void;
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void;
  on(event: 'will-navigate', listener: (event: ElectronEvent<WebContentsWillNavigateEventParams>) => void): unknown;
  on(event: 'will-redirect', listener: (event: ElectronEvent<WebContentsWillRedirectEventParams>) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: ElectronEvent) => void): unknown;
  isDestroyed(): boolean;
}

/** The parts of a `BrowserWindow` this file uses. */
export interface SettingsWindowApi {
  readonly webContents: WindowContentsApi;
  loadFile(filePath: string): Promise<void>;
  show(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  isDestroyed(): boolean;
  close(): void;
  on(event: 'ready-to-show', listener: () => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
}

export type SettingsWindowClass = new (options: BrowserWindowConstructorOptions) => SettingsWindowApi;
export type SessionEndWindowClass = new (options: BrowserWindowConstructorOptions) => SessionEndWindowApi;

/** Returns the renderer's web preferences, exported so a test can read each one. */
export function settingsWebPreferences(preloadPath: string): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    spellcheck: false,
    // A partition name without "persist:" keeps cookies and storage in memory only.
    partition: 'presence-tray-settings',
  };
}

export interface SettingsWindowOptions {
  BrowserWindow: SettingsWindowClass;
  /** `dist/preload/index.cjs`. */
  preloadPath: string;
  /** `dist/renderer/index.html`. */
  pagePath: string;
  logger: Logger;
  /**
   * Starts forwarding pushes to a newly opened window; returns the function that stops it.
   * `main/index.ts` passes core's `connectPushChannels`.
   */
  connectPushes: (send: <C extends PushChannel>(channel: C, payload: PushChannels[C]) => void) => () => void;
}

export interface SettingsWindowController {
  /** Opens the window, or brings the open one to the front. */
  show(): void;
  close(): void;
  /** The window and page the IPC sender check accepts now. */
  trustedSenders(): TrustedSenders;
}

/** Creates the controller; no window exists until `show`. */
export function createSettingsWindow(options: SettingsWindowOptions): SettingsWindowController {
  const log = options.logger.child('window');
  const pageUrl = pathToFileURL(options.pagePath).href;
  let window: SettingsWindowApi | null = null;

  const open = (): SettingsWindowApi => {
    const created = new options.BrowserWindow({
      width: 720,
      height: 640,
      minWidth: 480,
      minHeight: 480,
      show: false,
      title: 'Presence Tray',
      autoHideMenuBar: true,
      webPreferences: settingsWebPreferences(options.preloadPath),
    });
    const contents = created.webContents;
    const contentsId = contents.id;

    contents.setWindowOpenHandler(({ url }) => {
      log.warn('Blocked a new window from the settings page', { url: url.slice(0, 200) });
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event) => {
      if (event.url !== pageUrl) {
        event.preventDefault();
        log.warn('Blocked navigation away from the settings page', { url: event.url.slice(0, 200) });
      }
    });
    contents.on('will-redirect', (event) => {
      event.preventDefault();
      log.warn('Blocked a redirect in the settings window', { url: event.url.slice(0, 200) });
    });
    contents.on('will-attach-webview', (event) => {
      event.preventDefault();
      log.warn('Blocked a webview in the settings window');
    });
    contents.session.setPermissionRequestHandler((_contents, permission, callback) => {
      log.warn('Denied a permission request from the settings page', { permission });
      callback(false);
    });
    contents.session.setPermissionCheckHandler(() => false);

    const stopPushes = options.connectPushes((channel, payload) => {
      if (!contents.isDestroyed()) {
        contents.send(channel, payload);
      }
    });
    created.on('ready-to-show', () => created.show());
    created.on('closed', () => {
      stopPushes();
      if (window === created) {
        window = null;
      }
      log.info('Settings window closed', { webContentsId: contentsId });
    });

    created.loadFile(options.pagePath).catch((error: unknown) => {
      log.error('Loading the settings page failed; run `npm run build` to create it', { page: options.pagePath, error: String(error) });
    });
    log.info('Settings window opened', { webContentsId: contentsId });
    return created;
  };

  return {
    show() {
      if (window === null || window.isDestroyed()) {
        window = open();
        return;
      }
      if (window.isMinimized()) {
        window.restore();
      }
      window.show();
      window.focus();
    },

    close() {
      if (window !== null && !window.isDestroyed()) {
        window.close();
      }
    },

    trustedSenders() {
      const ids = new Set<number>();
      if (window !== null && !window.isDestroyed()) {
        ids.add(window.webContents.id);
      }
      return { webContentsIds: ids, pageUrls: [pageUrl] };
    },
  };
}

/**
 * Creates the hidden window that receives Windows' `query-session-end` and `session-end`:
 * Windows sends those to top-level windows, while the power monitor's window is message-only
 * and the tray's window handles tray messages only. It loads no page.
 */
export function createSessionEndWindow(BrowserWindow: SessionEndWindowClass): SessionEndWindowApi {
  return new BrowserWindow({
    show: false,
    width: 1,
    height: 1,
    skipTaskbar: true,
    focusable: false,
    webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false },
  });
}
