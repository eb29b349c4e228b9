/**
 * The `SettingsStore` port and `SettingsModel`, the validated in-memory settings that every
 * adapter shares. An adapter only supplies `persist`: the Node file store in `file-store.ts`,
 * electron-store in the shell, or nothing in tests.
 */

import type { Logger } from '../ports.ts';
import type { Settings } from './settings.ts';
import type { SettingPath } from './fields.ts';
import { NO_MANAGED_ACCOUNT, type ManagedAccount } from './managed.ts';
import { applySettingsPatch, checkSettingsPatch, type SettingsPatch } from './patch.ts';
import { formatProblems, validateSettings, type SettingProblem } from './schema.ts';

export interface SettingsStore {
  /** Returns the settings in effect: the user's own, with administrator presets applied. */
  get(): Settings;
  /**
   * Validates and saves a patch, then returns the new settings. Throws `SettingsUpdateError`
   * for an invalid patch or a change to a preset value, and keeps the old settings.
   */
  update(patch: SettingsPatch): Settings;
  /** Calls `listener` after each change that saved; returns a function that unsubscribes. */
  onChange(listener: (settings: Settings) => void): () => void;
  /** Returns what was wrong with the settings file at load, one sentence each. */
  problems(): string[];
  /** Returns the values an administrator preset, which the window shows read-only. */
  managed(): ManagedAccount;
}

/** A rejected settings update; `problems` names each bad field. */
export class SettingsUpdateError extends Error {
  constructor(readonly problems: readonly SettingProblem[]) {
    super(`Settings not saved: ${formatProblems(problems).join(' ')}`);
    this.name = 'SettingsUpdateError';
  }
}

/** Saving failed; the settings in memory and on disk are still the old ones. */
export class SettingsSaveError extends Error {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`Could not save settings to ${path}: ${(cause as Error).message}. Check that the folder exists and is writable.`, { cause });
    this.name = 'SettingsSaveError';
  }
}

export interface SettingsModelOptions {
  initial: Settings;
  /** Problems found while loading, shown to the user. */
  problems?: readonly string[];
  managed?: ManagedAccount;
  /** Writes the user's own settings (without presets); throws when it cannot. */
  persist: (settings: Settings) => void;
  logger?: Logger;
}

const MANAGED_PATHS: ReadonlyArray<{ path: SettingPath; field: 'clientId' | 'tenant' }> = [
  { path: 'account.clientId', field: 'clientId' },
  { path: 'account.tenant', field: 'tenant' },
];

/** Validated settings in memory, with presets, change listeners and a persist callback. */
export class SettingsModel implements SettingsStore {
  private own: Settings;
  private readonly listeners = new Set<(settings: Settings) => void>();
  private readonly loadProblems: string[];
  private readonly presets: ManagedAccount;
  private readonly persist: (settings: Settings) => void;
  private readonly logger: Logger | undefined;

  constructor(options: SettingsModelOptions) {
    const checked = validateSettings(options.initial);
    if (!checked.ok) {
      throw new SettingsUpdateError(checked.problems);
    }
    this.own = checked.settings;
    this.presets = options.managed ?? NO_MANAGED_ACCOUNT;
    this.loadProblems = [...(options.problems ?? []), ...this.presets.problems];
    this.persist = options.persist;
    this.logger = options.logger;
  }

  get(): Settings {
    const effective = structuredClone(this.own);
    if (this.presets.clientId !== null) {
      effective.account.clientId = this.presets.clientId.value;
    }
    if (this.presets.tenant !== null) {
      effective.account.tenant = this.presets.tenant.value;
    }
    return effective;
  }

  update(patch: SettingsPatch): Settings {
    const checked = checkSettingsPatch(patch);
    if (!checked.ok) {
      throw new SettingsUpdateError(checked.problems);
    }

    const presetProblems: SettingProblem[] = [];
    for (const { path, field } of MANAGED_PATHS) {
      const preset = this.presets[field];
      const requested = (checked.patch.account as Record<string, unknown> | undefined)?.[field];
      if (preset !== null && checked.paths.includes(path) && requested !== preset.value) {
        presetProblems.push({ path, message: `${path} is set by your administrator (${preset.source}) and cannot be changed here.` });
      }
    }
    if (presetProblems.length > 0) {
      throw new SettingsUpdateError(presetProblems);
    }

    const next = applySettingsPatch(this.own, checked.patch, checked.paths);
    const valid = validateSettings(next);
    if (!valid.ok) {
      throw new SettingsUpdateError(valid.problems);
    }
    if (JSON.stringify(valid.settings) === JSON.stringify(this.own)) {
      return this.get();
    }

    this.persist(valid.settings);
    this.own = valid.settings;
    this.logger?.info('Settings saved', { changed: checked.paths.join(',') });
    this.notify();
    return this.get();
  }

  onChange(listener: (settings: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  problems(): string[] {
    return [...this.loadProblems];
  }

  managed(): ManagedAccount {
    return structuredClone(this.presets);
  }

  private notify(): void {
    const settings = this.get();
    for (const listener of this.listeners) {
      try {
        listener(settings);
      } catch (error) {
        // A failing listener must not undo a save that already happened, so it is logged only.
        this.logger?.error('Settings listener failed', { error: (error as Error).message });
      }
    }
  }
}
