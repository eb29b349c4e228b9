/**
 * `SettingsStore` over electron-store. The file is first read with the core load rules
 * (`openSettingsFile`): an older file is migrated with a backup, and a damaged one is moved
 * aside after every valid field was recovered from it. So electron-store only opens a valid
 * file. It then checks each write against the same JSON schema and writes atomically.
 */

import { basename } from 'node:path';

import type { Options as ElectronStoreOptions } from 'electron-store';

import type { Logger } from '../core/ports.ts';
import { openSettingsFile } from '../core/settings/file-store.ts';
import type { ManagedAccount } from '../core/settings/managed.ts';
import { SETTINGS_SCHEMA } from '../core/settings/schema.ts';
import type { Settings } from '../core/settings/settings.ts';
import { SettingsModel, SettingsSaveError, type SettingsStore } from '../core/settings/store.ts';

/** An electron-store instance as this adapter uses it: the whole settings object at once. */
export interface SettingsFile {
  store: Settings;
  readonly path: string;
}

/** The electron-store class; `main/index.ts` passes the real one. */
export type SettingsFileClass = new (options: ElectronStoreOptions<Settings>) => SettingsFile;

export interface ElectronSettingsOptions {
  Store: SettingsFileClass;
  /** `<userData>/config.json`, the file electron-store opens by default. */
  path: string;
  managed: ManagedAccount;
  logger: Logger;
}

/** Splits the settings schema the way electron-store takes it: `properties` apart from the rest. */
function electronStoreSchema(): Pick<ElectronStoreOptions<Settings>, 'schema' | 'rootSchema'> {
  const { properties, required, additionalProperties } = SETTINGS_SCHEMA as {
    properties: NonNullable<ElectronStoreOptions<Settings>['schema']>;
    required: string[];
    additionalProperties: boolean;
  };
  return { schema: properties, rootSchema: { required, additionalProperties } };
}

/** Opens the settings; never throws for a damaged file, which shows up in `problems()` instead. */
export function openElectronSettingsStore(options: ElectronSettingsOptions): SettingsStore {
  const { path, logger } = options;
  const log = logger.child('settings');

  // Without presets, `get()` returns the user's own settings, which are what gets saved.
  const repaired = openSettingsFile({ path, logger: log });
  const own = repaired.get();

  let file: SettingsFile;
  try {
    file = new options.Store({
      name: basename(path, '.json'),
      ...electronStoreSchema(),
      defaults: own,
      clearInvalidConfig: false,
      watch: false,
      accessPropertiesByDotNotation: false,
    });
  } catch (error) {
    // The core store keeps working on the same file, so the user loses nothing.
    log.error('electron-store could not open the settings; using the plain file store', { path, error: String(error) });
    return openSettingsFile({ path, managed: options.managed, logger: log });
  }
  if (file.path !== path) {
    log.error('electron-store opened a different settings file than the one checked', { expected: path, actual: file.path });
  }

  return new SettingsModel({
    initial: own,
    problems: repaired.problems(),
    managed: options.managed,
    logger: log,
    persist: (settings) => {
      try {
        file.store = settings;
      } catch (error) {
        log.error('Could not save settings', { path: file.path, error: String(error) });
        throw new SettingsSaveError(file.path, error);
      }
    },
  });
}
