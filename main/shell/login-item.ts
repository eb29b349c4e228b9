/**
 * Start at login. macOS and Windows use `app.setLoginItemSettings`; Linux, where Electron does
 * not support it (electron/electron#15198, closed as won't fix), writes an XDG autostart entry
 * through `main/core/autostart/`.
 */

import type { App } from 'electron';

import type { LinuxAutostart } from '../core/autostart/linux-autostart.ts';
import type { Logger } from '../core/ports.ts';

export type LoginItemAppApi = Pick<App, 'setLoginItemSettings' | 'getLoginItemSettings'>;

export interface LoginItem {
  isEnabled(): Promise<boolean>;
  setEnabled(enabled: boolean): Promise<void>;
}

export interface LoginItemOptions {
  app: LoginItemAppApi;
  platform: NodeJS.Platform;
  /** Linux only. */
  linuxAutostart?: LinuxAutostart;
  /** Windows: the executable the registry entry starts, `process.execPath` in a packaged app. */
  executablePath: string;
  logger: Logger;
}

/** Creates the login item for this platform. */
export function createLoginItem(options: LoginItemOptions): LoginItem {
  const { app, platform } = options;
  const log = options.logger.child('login-item');

  if (platform === 'linux') {
    const autostart = options.linuxAutostart;
    if (autostart === undefined) {
      throw new Error('Start at login on Linux needs the XDG autostart writer; pass linuxAutostart.');
    }
    return {
      isEnabled: () => autostart.isEnabled(),
      setEnabled: (enabled) => autostart.setEnabled(enabled),
    };
  }

  // Windows compares the registry entry with this path and these arguments, so the getter
  // must be asked with the same ones the setter wrote.
  const windowsEntry = platform === 'win32' ? { path: options.executablePath, args: [] as string[] } : {};

  return {
    async isEnabled() {
      return app.getLoginItemSettings(windowsEntry).openAtLogin;
    },

    async setEnabled(enabled) {
      app.setLoginItemSettings({ openAtLogin: enabled, ...windowsEntry });
      const after = app.getLoginItemSettings(windowsEntry);
      log.info('Start at login changed', { enabled, openAtLogin: after.openAtLogin, status: after.status ?? null });

      if (platform === 'darwin' && after.status === 'requires-approval') {
        // macOS 13 and later list the app under Login Items and wait for the user to allow it.
        log.warn('macOS waits for approval of the login item in System Settings > General > Login Items');
      }
    },
  };
}
