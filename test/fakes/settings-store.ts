/**
 * An in-memory `SettingsStore`: the real `SettingsModel` (validation, presets, listeners) with a
 * persist step that records each save instead of writing a file. A test can make a save fail.
 */

import type { ManagedAccount } from '../../main/core/settings/managed.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../main/core/settings/settings.ts';
import { SettingsModel, SettingsSaveError } from '../../main/core/settings/store.ts';
import type { Logger } from '../../main/core/ports.ts';

export interface MemorySettingsStoreOptions {
  initial?: Settings;
  managed?: ManagedAccount;
  problems?: string[];
  logger?: Logger;
}

export class MemorySettingsStore extends SettingsModel {
  /** Every settings object saved, oldest first. */
  readonly saves: Settings[] = [];
  private failure: Error | null = null;

  constructor(options: MemorySettingsStoreOptions = {}) {
    // `persist` runs after construction, so it reaches the fields through a late-bound holder.
    const holder: { store: MemorySettingsStore | null } = { store: null };
    super({
      initial: options.initial ?? structuredClone(DEFAULT_SETTINGS),
      problems: options.problems,
      managed: options.managed,
      logger: options.logger,
      persist: (settings) => holder.store?.record(settings),
    });
    holder.store = this;
  }

  /** Makes the next save fail with `error`, as a full disk would. */
  failNextSave(error: Error): void {
    this.failure = error;
  }

  private record(settings: Settings): void {
    if (this.failure !== null) {
      const error = this.failure;
      this.failure = null;
      throw new SettingsSaveError('memory', error);
    }
    this.saves.push(structuredClone(settings));
  }
}
