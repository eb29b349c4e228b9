/**
 * Versioned migrations of the settings file. Each step is a pure function from one shape to the
 * next. A step copies values without judging them, so a bad value is reported by validation
 * afterwards and recovered field by field, never dropped here.
 */

import { isPlainObject } from './fields.ts';

/** The version `Settings.version` carries. */
export const CURRENT_SETTINGS_VERSION = 1;

/**
 * Version 0: a flat object with no `version` key, as early builds wrote it. Every key is
 * optional, because those builds wrote only what the user changed.
 */
export interface SettingsV0 {
  clientId?: string;
  tenant?: string;
  expiryMinutes?: number;
  /** true selected the beta Graph routes. */
  useBeta?: boolean;
  sessionId?: string;
  clearOnQuit?: boolean;
  clearOnSleep?: boolean;
  clearOnLock?: boolean;
  clearOnShutdown?: boolean;
  hotkey?: string;
  hotkeyEnabled?: boolean;
  launchAtLogin?: boolean;
  /** 'menu', 'clear' or 'settings'. */
  trayClick?: string;
}

export interface Migration {
  from: number;
  to: number;
  /** One line for the log, such as "v0 flat settings to v1 groups". */
  summary: string;
  migrate(raw: Record<string, unknown>): Record<string, unknown>;
}

/** Copies `value` into `target[key]` unless it is undefined, so missing keys take defaults later. */
function copyDefined(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) {
    target[key] = value;
  }
}

/** Maps the v0 tray click names to v1's; an unknown name is kept so validation reports it. */
function migrateTrayClick(value: unknown): unknown {
  const renamed: Record<string, string> = { menu: 'open-menu', clear: 'clear', settings: 'open-settings' };
  return typeof value === 'string' && Object.hasOwn(renamed, value) ? renamed[value] : value;
}

function groupOf(raw: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = raw[key];
  return isPlainObject(value) ? { ...value } : {};
}

function migrateV0toV1(raw: Record<string, unknown>): Record<string, unknown> {
  const v0 = raw as Record<keyof SettingsV0, unknown>;

  // A v1 file whose version key was deleted by hand still has its groups: start from them.
  const account = groupOf(raw, 'account');
  const presence = groupOf(raw, 'presence');
  const clearOn = groupOf(raw, 'clearOn');
  const shortcut = groupOf(raw, 'shortcut');
  const tray = groupOf(raw, 'tray');

  copyDefined(account, 'clientId', v0.clientId);
  copyDefined(account, 'tenant', v0.tenant);

  copyDefined(presence, 'selfExpiryMinutes', v0.expiryMinutes);
  if (typeof v0.useBeta === 'boolean') {
    presence.graphApiVersion = v0.useBeta ? 'beta' : 'v1.0';
  } else {
    copyDefined(presence, 'graphApiVersion', v0.useBeta);
  }
  copyDefined(presence, 'sessionIdOverride', v0.sessionId);

  copyDefined(clearOn, 'quit', v0.clearOnQuit);
  copyDefined(clearOn, 'suspend', v0.clearOnSleep);
  copyDefined(clearOn, 'lockScreen', v0.clearOnLock);
  copyDefined(clearOn, 'shutdown', v0.clearOnShutdown);

  copyDefined(shortcut, 'accelerator', v0.hotkey);
  copyDefined(shortcut, 'enabled', v0.hotkeyEnabled);
  if (v0.trayClick !== undefined) {
    tray.clickAction = migrateTrayClick(v0.trayClick);
  }

  const next: Record<string, unknown> = { version: 1, account, presence, clearOn, shortcut, tray };
  copyDefined(next, 'startAtLogin', v0.launchAtLogin);

  // Keys v0 never had are kept as they are, so validation names them instead of losing them here.
  const v0Keys = new Set<string>([
    'clientId', 'tenant', 'expiryMinutes', 'useBeta', 'sessionId', 'clearOnQuit', 'clearOnSleep',
    'clearOnLock', 'clearOnShutdown', 'hotkey', 'hotkeyEnabled', 'launchAtLogin', 'trayClick',
  ]);
  for (const [key, value] of Object.entries(raw)) {
    if (!v0Keys.has(key) && !Object.hasOwn(next, key)) {
      next[key] = value;
    }
  }
  return next;
}

/** Every migration, in order; step N goes from version N to N + 1. */
export const MIGRATIONS: readonly Migration[] = [{ from: 0, to: 1, summary: 'v0 flat settings to v1 groups', migrate: migrateV0toV1 }];

export type MigrationResult =
  | { ok: true; value: Record<string, unknown>; fromVersion: number; applied: string[] }
  | { ok: false; version: unknown; message: string };

/** Returns the version a raw settings object declares: 0 when the key is missing. */
export function settingsVersionOf(raw: Record<string, unknown>): unknown {
  return Object.hasOwn(raw, 'version') ? raw.version : 0;
}

/**
 * Brings a raw settings object to the current version. Fails for a version newer than this
 * build (written by a later release) and for a version that is not a whole number.
 */
export function migrateSettings(raw: unknown, migrations: readonly Migration[] = MIGRATIONS): MigrationResult {
  if (!isPlainObject(raw)) {
    return { ok: false, version: undefined, message: 'Settings are not a JSON object, so they have no version to migrate from.' };
  }

  const version = settingsVersionOf(raw);
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return {
      ok: false,
      version,
      message: `Settings version ${JSON.stringify(version)} is not a whole number. The file was edited by hand or damaged.`,
    };
  }
  const target = migrations.at(-1)?.to ?? CURRENT_SETTINGS_VERSION;
  if (version > target) {
    return {
      ok: false,
      version,
      message: `Settings version ${version} was written by a newer Presence Tray (this one reads up to ${target}). Update the app to keep them.`,
    };
  }

  let value = structuredClone(raw);
  const applied: string[] = [];
  for (const step of migrations) {
    if (step.from < version) {
      continue;
    }
    value = step.migrate(value);
    applied.push(step.summary);
  }
  return { ok: true, value, fromVersion: version, applied };
}
