/**
 * One row per setting: where it sits in `Settings`, its JSON Schema, and the check that explains
 * a bad value. `schema.ts` assembles the rows into the schema electron-store validates with, and
 * a test proves that each check accepts exactly what its schema accepts.
 */

import { parseAccelerator } from '../shortcut/accelerator.ts';
import { DEFAULT_SETTINGS, type Settings } from './settings.ts';
import {
  describeValue,
  GUID_PATTERN,
  MAX_ACCELERATOR_LENGTH,
  MAX_BUDGET_MS,
  MAX_DOMAIN_LENGTH,
  MIN_BUDGET_MS,
  SELF_EXPIRY_MINUTES,
  TENANT_PATTERN,
  validateBudgetMs,
  validateClientId,
  validateSelfExpiryMinutes,
  validateSessionIdOverride,
  validateTenant,
  type Validation,
} from './validators.ts';

/** The subset of JSON Schema (draft 2020-12) that the settings schema uses. */
export interface JsonSchema {
  $schema?: string;
  $id?: string;
  title?: string;
  description?: string;
  type?: 'object' | 'string' | 'integer' | 'boolean' | 'null' | ReadonlyArray<'string' | 'null'>;
  const?: unknown;
  enum?: readonly unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean;
  default?: unknown;
}

type Primitive = string | number | boolean | null;

/** Dotted paths of every leaf in `Settings`, such as `presence.selfExpiryMinutes`. */
export type SettingPath = {
  [K in keyof Settings & string]: Settings[K] extends Primitive ? K : `${K}.${keyof Settings[K] & string}`;
}[keyof Settings & string];

export interface SettingField {
  path: SettingPath;
  /** Name shown in messages, in the words the settings window uses. */
  label: string;
  schema: JsonSchema;
  /** Returns null when the value is valid, else a sentence with the value and the fix. */
  check(value: unknown): string | null;
}

function messageOf<T>(result: Validation<T>): string | null {
  return result.ok ? null : result.message;
}

function booleanField(path: SettingPath, label: string): SettingField {
  return {
    path,
    label,
    schema: { type: 'boolean' },
    check: (value) => (typeof value === 'boolean' ? null : `${label} ${describeValue(value)} is not true or false. Use true or false.`),
  };
}

function enumField(path: SettingPath, label: string, values: readonly string[]): SettingField {
  return {
    path,
    label,
    schema: { enum: values },
    check: (value) =>
      typeof value === 'string' && values.includes(value)
        ? null
        : `${label} ${describeValue(value)} is not a known choice. Use one of: ${values.join(', ')}.`,
  };
}

function budgetField(path: SettingPath, label: string): SettingField {
  return {
    path,
    label,
    schema: { type: 'integer', minimum: MIN_BUDGET_MS, maximum: MAX_BUDGET_MS },
    check: (value) => {
      const problem = messageOf(validateBudgetMs(value));
      return problem === null ? null : `${label}: ${problem}`;
    },
  };
}

/**
 * Checks an accelerator with the shortcut parser, which is stricter than the schema's pattern:
 * it checks Electron's key names and requires a modifier.
 */
function checkAccelerator(value: unknown): string | null {
  const fix = 'Record the shortcut again in the settings window, for example CommandOrControl+Alt+Shift+P';
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ACCELERATOR_LENGTH) {
    return `Shortcut ${describeValue(value)} is not a key combination. ${fix}.`;
  }
  if (/\s/.test(value)) {
    return `Shortcut ${describeValue(value)} contains spaces. Write the keys joined by "+" without spaces, for example CommandOrControl+Alt+Shift+P.`;
  }
  const parsed = parseAccelerator(value);
  return parsed.ok ? null : parsed.error;
}

/** Every setting, in the order the settings file lists them. */
export const SETTING_FIELDS: readonly SettingField[] = [
  {
    path: 'version',
    label: 'Settings version',
    schema: { const: 1 },
    check: (value) => (value === 1 ? null : `Settings version ${describeValue(value)} is not 1. Let the app migrate the file; do not edit the version.`),
  },
  {
    path: 'account.clientId',
    label: 'Client ID',
    schema: { type: ['string', 'null'], pattern: GUID_PATTERN },
    check: (value) => (value === null ? null : messageOf(validateClientId(value))),
  },
  {
    path: 'account.tenant',
    label: 'Tenant',
    schema: { type: 'string', pattern: TENANT_PATTERN, maxLength: MAX_DOMAIN_LENGTH },
    check: (value) => messageOf(validateTenant(value)),
  },
  {
    path: 'account.homeAccountId',
    label: 'Account',
    schema: { type: ['string', 'null'], minLength: 1, maxLength: 256 },
    check: (value) =>
      value === null || (typeof value === 'string' && value.length >= 1 && value.length <= 256)
        ? null
        : `Account ${describeValue(value)} is not an MSAL home account ID. Sign in again to choose the account.`,
  },
  {
    path: 'presence.selfExpiryMinutes',
    label: 'Self-expiry',
    schema: { type: 'integer', minimum: SELF_EXPIRY_MINUTES.min, maximum: SELF_EXPIRY_MINUTES.max },
    check: (value) => messageOf(validateSelfExpiryMinutes(value)),
  },
  enumField('presence.graphApiVersion', 'Graph version', ['v1.0', 'beta']),
  {
    path: 'presence.sessionIdOverride',
    label: 'Session ID',
    schema: { type: ['string', 'null'], pattern: GUID_PATTERN },
    check: (value) => messageOf(validateSessionIdOverride(value)),
  },
  booleanField('clearOn.quit', 'Clear on quit'),
  booleanField('clearOn.suspend', 'Clear on sleep'),
  booleanField('clearOn.lockScreen', 'Clear on lock'),
  booleanField('clearOn.shutdown', 'Clear on shutdown'),
  budgetField('budgetsMs.quit', 'Quit budget'),
  budgetField('budgetsMs.suspend', 'Sleep budget'),
  budgetField('budgetsMs.lockScreen', 'Lock budget'),
  budgetField('budgetsMs.shutdown', 'Shutdown budget'),
  booleanField('shortcut.enabled', 'Shortcut enabled'),
  {
    path: 'shortcut.accelerator',
    label: 'Shortcut',
    schema: { type: 'string', minLength: 1, maxLength: MAX_ACCELERATOR_LENGTH, pattern: '^[^\\s+]+(\\+[^\\s+]+)*$' },
    check: checkAccelerator,
  },
  enumField('tray.clickAction', 'Tray click', ['open-menu', 'clear', 'open-settings', 'toggle-pause']),
  booleanField('startAtLogin', 'Start at login'),
  booleanField('allowPlaintextTokenCache', 'Token cache file'),
];

/** Splits a path into its group and key; top-level settings have no group. */
export function splitPath(path: SettingPath): { group: string | null; key: string } {
  const dot = path.indexOf('.');
  return dot === -1 ? { group: null, key: path } : { group: path.slice(0, dot), key: path.slice(dot + 1) };
}

/** Returns whether `value` is an object that is neither null nor an array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the value at `path`, or undefined when it or its group is missing. */
export function readPath(source: unknown, path: SettingPath): unknown {
  if (!isPlainObject(source)) {
    return undefined;
  }
  const { group, key } = splitPath(path);
  if (group === null) {
    return Object.hasOwn(source, key) ? source[key] : undefined;
  }
  const groupValue = source[group];
  if (!isPlainObject(groupValue) || !Object.hasOwn(groupValue, key)) {
    return undefined;
  }
  return groupValue[key];
}

/** Returns a copy of `settings` with `value` at `path`; the caller has checked the value. */
export function writePath(settings: Settings, path: SettingPath, value: unknown): Settings {
  const copy = structuredClone(settings) as unknown as Record<string, Record<string, unknown> | unknown>;
  const { group, key } = splitPath(path);
  if (group === null) {
    copy[key] = value;
  } else {
    (copy[group] as Record<string, unknown>)[key] = value;
  }
  return copy as unknown as Settings;
}

/** Returns the default value of one setting. */
export function defaultAt(path: SettingPath): unknown {
  return readPath(DEFAULT_SETTINGS, path);
}
