/**
 * Where the app keeps its files outside Electron (the command line and tests). Inside Electron
 * the shell passes `app.getPath('userData')` instead, which resolves to the same folders.
 */

import { homedir } from 'node:os';
import { join } from 'node:path';

/** Returns the per-user data folder; `PRESENCE_TRAY_HOME` overrides it (tests, portable use). */
export function appDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const override = env.PRESENCE_TRAY_HOME;
  if (override !== undefined && override !== '') {
    return override;
  }

  if (platform === 'win32') {
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Presence Tray');
  }
  if (platform === 'darwin') {
    return join(homedir(), 'Library', 'Application Support', 'Presence Tray');
  }
  const configHome = env.XDG_CONFIG_HOME !== undefined && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(configHome, 'Presence Tray');
}

/** File names inside the data folder. */
export const DATA_FILES = {
  settings: 'config.json',
  journal: 'presence-journal.json',
  tokenCache: 'token-cache.bin',
  sandboxState: 'sandbox.json',
} as const;
