/**
 * electron-store's class for tests: its base class `conf` (the same validation, schema handling
 * and atomic writes) bound to a test folder, because electron-store itself imports electron.
 */

import Conf from 'conf';
import type { Options as ElectronStoreOptions } from 'electron-store';

import type { Settings } from '../../../main/core/settings/settings.ts';
import type { SettingsFileClass } from '../../../main/shell/settings-store.ts';

/** Returns a class that opens `<folder>/<name>.json` as electron-store would open it in userData. */
export function confSettingsFileClass(folder: string): SettingsFileClass {
  return class extends Conf<Settings> {
    constructor(options: ElectronStoreOptions<Settings>) {
      const { name, ...rest } = options;
      super({ ...rest, configName: name ?? 'config', cwd: folder, projectName: 'presence-tray-test' });
    }
  };
}
