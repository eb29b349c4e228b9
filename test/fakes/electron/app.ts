/**
 * A fake Electron `app`: the quit sequence (`before-quit` → `will-quit` → exit, each
 * preventable), the single-instance lock shared through a `FakeInstanceBroker`, and the login
 * item settings.
 */

import { EventEmitter } from 'node:events';

import type { LoginItemSettings, LoginItemSettingsOptions, Settings as LoginSettings } from 'electron';

import type { QuitAppApi } from '../../../main/shell/quit-hooks.ts';
import { createFakeEvent } from './event.ts';

/** Stands in for the OS mechanism that notifies the first instance of later ones. */
export class FakeInstanceBroker {
  private primary: FakeApp | null = null;

  /** Returns true for the first app to ask; later apps have their data sent to the first. */
  request(app: FakeApp, argv: string[], cwd: string, additionalData: unknown): boolean {
    if (this.primary === null || this.primary.exitCode !== null) {
      this.primary = app;
      return true;
    }

    const primary = this.primary;
    // Electron delivers `second-instance` on a later turn of the primary's event loop.
    setImmediate(() => {
      primary.emit('second-instance', createFakeEvent(), argv, cwd, additionalData);
    });
    return false;
  }
}

export class FakeApp extends EventEmitter implements QuitAppApi {
  /** The code passed to `exit`, or 0 after a quit that no listener prevented; null while running. */
  exitCode: number | null = null;
  /** Every call to `quit` and `exit`, in order. */
  readonly lifecycleCalls: string[] = [];
  loginItem: LoginItemSettings = {
    openAtLogin: false,
    wasOpenedAtLogin: false,
    status: 'not-registered',
    executableWillLaunchAtLogin: false,
    launchItems: [],
  };
  /** The status macOS reports after a change, such as `requires-approval`. */
  statusAfterChange: LoginItemSettings['status'] = 'enabled';
  readonly loginItemCalls: LoginSettings[] = [];

  constructor(
    private readonly broker: FakeInstanceBroker = new FakeInstanceBroker(),
    readonly argv: string[] = ['presence-tray'],
  ) {
    super();
  }

  quit(): void {
    this.lifecycleCalls.push('quit');
    if (this.exitCode !== null) {
      return;
    }
    const beforeQuit = createFakeEvent();
    this.emit('before-quit', beforeQuit);
    if (beforeQuit.defaultPrevented) {
      return;
    }
    const willQuit = createFakeEvent();
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) {
      return;
    }
    this.exitCode = 0;
    this.emit('quit', createFakeEvent(), 0);
  }

  exit(exitCode = 0): void {
    this.lifecycleCalls.push(`exit(${exitCode})`);
    if (this.exitCode === null) {
      this.exitCode = exitCode;
    }
  }

  requestSingleInstanceLock(additionalData?: Record<string, unknown>): boolean {
    return this.broker.request(this, this.argv, process.cwd(), additionalData ?? {});
  }

  setLoginItemSettings(settings: LoginSettings): void {
    this.loginItemCalls.push(settings);
    const openAtLogin = settings.openAtLogin ?? false;
    this.loginItem = {
      ...this.loginItem,
      openAtLogin,
      executableWillLaunchAtLogin: openAtLogin,
      status: openAtLogin ? this.statusAfterChange : 'not-registered',
    };
  }

  getLoginItemSettings(_options?: LoginItemSettingsOptions): LoginItemSettings {
    return this.loginItem;
  }
}
