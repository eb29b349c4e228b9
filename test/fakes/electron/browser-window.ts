/** A fake `BrowserWindow` with a fake `webContents`, and a fake `ipcMain`. */

import { EventEmitter } from 'node:events';

import type { BrowserWindowConstructorOptions, HandlerDetails, WindowOpenHandlerResponse } from 'electron';

import type { InvokeEventFields, IpcMainApi } from '../../../main/shell/ipc.ts';
import type { SettingsWindowApi, WindowContentsApi } from '../../../main/shell/settings-window.ts';
import { createFakeEvent, type FakeEvent } from './event.ts';

type PermissionRequestHandler = Parameters<WindowContentsApi['session']['setPermissionRequestHandler']>[0];
type PermissionCheckHandler = Parameters<WindowContentsApi['session']['setPermissionCheckHandler']>[0];

let nextContentsId = 1;

export class FakeWebContents extends EventEmitter implements WindowContentsApi {
  readonly id = nextContentsId++;
  readonly sent: Array<{ channel: string; payload: unknown }> = [];
  windowOpenHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | null = null;
  permissionRequestHandler: PermissionRequestHandler = null;
  permissionCheckHandler: PermissionCheckHandler = null;
  destroyed = false;

  readonly session = {
    setPermissionRequestHandler: (handler: PermissionRequestHandler) => {
      this.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler: (handler: PermissionCheckHandler) => {
      this.permissionCheckHandler = handler;
    },
  };

  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }

  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void {
    this.windowOpenHandler = handler;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** Plays the page trying to navigate; returns the event so a test can read `defaultPrevented`. */
  navigate(url: string): FakeEvent {
    const event = createFakeEvent({ url, isSameDocument: false, isMainFrame: true });
    this.emit('will-navigate', event);
    return event;
  }

  redirect(url: string): FakeEvent {
    const event = createFakeEvent({ url, isSameDocument: false, isMainFrame: true });
    this.emit('will-redirect', event);
    return event;
  }

  attachWebview(): FakeEvent {
    const event = createFakeEvent();
    this.emit('will-attach-webview', event);
    return event;
  }
}

export class FakeBrowserWindow extends EventEmitter implements SettingsWindowApi {
  static readonly instances: FakeBrowserWindow[] = [];

  readonly webContents = new FakeWebContents();
  loadedFile: string | null = null;
  shown = false;
  focused = false;
  minimized = false;
  destroyed = false;

  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    FakeBrowserWindow.instances.push(this);
  }

  async loadFile(filePath: string): Promise<void> {
    this.loadedFile = filePath;
    setImmediate(() => this.emit('ready-to-show'));
  }

  show(): void {
    this.shown = true;
  }

  focus(): void {
    this.focused = true;
  }

  restore(): void {
    this.minimized = false;
  }

  isMinimized(): boolean {
    return this.minimized;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  close(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

/** A fake `ipcMain`; `invoke` plays a renderer message from the given sender. */
export class FakeIpcMain implements IpcMainApi {
  readonly handlers = new Map<string, (event: InvokeEventFields, payload: unknown) => Promise<unknown>>();

  handle(channel: string, listener: (event: InvokeEventFields, payload: unknown) => Promise<unknown>): void {
    if (this.handlers.has(channel)) {
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    }
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  async invoke(channel: string, payload: unknown, sender: { webContentsId: number; url: string; mainFrame?: boolean }): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (handler === undefined) {
      throw new Error(`No handler registered for '${channel}'`);
    }
    const frame = { url: sender.url, parent: sender.mainFrame === false ? {} : null };
    return handler({ sender: { id: sender.webContentsId }, senderFrame: frame }, payload);
  }
}
