/**
 * Start at login on Linux: writes or removes `$XDG_CONFIG_HOME/autostart/<id>.desktop`
 * (XDG Autostart Specification 0.5). Electron's login item API is macOS and Windows only.
 */

import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

import type { Logger } from '../ports.ts';
import { buildAutostartDesktopEntry, isAutostartEntryEnabled, type AutostartEntry } from './desktop-entry.ts';

export interface LinuxAutostartOptions {
  /** Desktop file id without `.desktop`, the same as the installed launcher's (`desktopName`). */
  desktopId: string;
  entry: AutostartEntry;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

export interface LinuxAutostart {
  readonly path: string;
  isEnabled(): Promise<boolean>;
  setEnabled(enabled: boolean): Promise<void>;
}

/** Returns the autostart folder: `$XDG_CONFIG_HOME/autostart`, else `~/.config/autostart`. */
export function autostartDir(env: NodeJS.ProcessEnv, home: string): string {
  const configHome = env.XDG_CONFIG_HOME;
  // The spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  if (configHome !== undefined && configHome.startsWith('/')) {
    return join(configHome, 'autostart');
  }
  return join(home, '.config', 'autostart');
}

/** Creates the writer; nothing touches the disk until `setEnabled` or `isEnabled` runs. */
export function createLinuxAutostart(options: LinuxAutostartOptions): LinuxAutostart {
  if (!/^[A-Za-z0-9._-]+$/.test(options.desktopId)) {
    throw new Error(`Invalid desktop file id "${options.desktopId}": use letters, digits, dots, dashes and underscores.`);
  }

  const folder = autostartDir(options.env ?? process.env, options.home ?? homedir());
  const path = join(folder, `${options.desktopId}.desktop`);
  const logger = options.logger.child('autostart');

  return {
    path,

    async isEnabled() {
      let content: string;
      try {
        content = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          return false;
        }
        throw error;
      }
      return isAutostartEntryEnabled(content);
    },

    async setEnabled(enabled) {
      if (!enabled) {
        await rm(path, { force: true });
        logger.info('Removed the autostart entry', { path });
        return;
      }

      const content = buildAutostartDesktopEntry(options.entry);
      await mkdir(folder, { recursive: true });

      // Write beside the target and rename, so a crash never leaves half a desktop entry.
      const temporaryPath = `${path}.${process.pid}.tmp`;
      await writeFile(temporaryPath, content, { mode: 0o644 });
      await rename(temporaryPath, path);
      logger.info('Wrote the autostart entry', { path });
    },
  };
}
