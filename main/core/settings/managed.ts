/**
 * Account values an administrator presets, so users of a managed device never type them. The
 * settings window shows them read-only and the store rejects changes to them.
 */

import { readFileSync } from 'node:fs';
import { posix, win32 } from 'node:path';

import { isPlainObject } from './fields.ts';
import { normalizeIdInput, validateClientId, validateTenant, type Validation } from './validators.ts';

export interface ManagedValue {
  value: string;
  /** Source of the value: an environment variable name or a file path. */
  source: string;
}

export interface ManagedAccount {
  clientId: ManagedValue | null;
  tenant: ManagedValue | null;
  /** Preset values that were ignored, with the reason. */
  problems: string[];
}

export const NO_MANAGED_ACCOUNT: ManagedAccount = { clientId: null, tenant: null, problems: [] };

export const MANAGED_ENV = {
  clientId: 'PRESENCE_TRAY_CLIENT_ID',
  tenant: 'PRESENCE_TRAY_TENANT',
} as const;

/** The preset file's name, both in the system folder and next to the settings file. */
export const MANAGED_FILE_NAME = 'managed.json';

/** Managed files are a few hundred bytes; a larger one is not read. */
const MAX_MANAGED_FILE_BYTES = 64 * 1024;

/**
 * Returns the preset files to read, system folder first: `/etc/presence-tray` on Linux,
 * `/Library/Application Support/Presence Tray` on macOS, `%ProgramData%\Presence Tray` on
 * Windows, then the user's data folder.
 */
export function managedSettingsFiles(dataDir: string, platform: NodeJS.Platform, env: Record<string, string | undefined>): string[] {
  if (platform === 'win32') {
    const programData = env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData';
    return [win32.join(programData, 'Presence Tray', MANAGED_FILE_NAME), win32.join(dataDir, MANAGED_FILE_NAME)];
  }
  if (platform === 'darwin') {
    return [posix.join('/Library/Application Support/Presence Tray', MANAGED_FILE_NAME), posix.join(dataDir, MANAGED_FILE_NAME)];
  }
  return [posix.join('/etc/presence-tray', MANAGED_FILE_NAME), posix.join(dataDir, MANAGED_FILE_NAME)];
}

type Field = keyof typeof MANAGED_ENV;

const VALIDATORS: Record<Field, (value: unknown) => Validation<string>> = {
  clientId: validateClientId,
  tenant: validateTenant,
};

/** Reads a file's text, or null when it does not exist. Other errors propagate. */
function readTextIfPresent(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return null;
    }
    throw error;
  }
}

/** Parses one preset file into candidate values; a damaged file adds a problem and no values. */
function readManagedFile(path: string, readText: (path: string) => string | null, problems: string[]): Partial<Record<Field, unknown>> {
  let text: string | null;
  try {
    text = readText(path);
  } catch (error) {
    problems.push(`Could not read ${path}: ${(error as Error).message}. Check the file's permissions.`);
    return {};
  }
  if (text === null) {
    return {};
  }
  if (text.length > MAX_MANAGED_FILE_BYTES) {
    problems.push(`${path} is larger than ${MAX_MANAGED_FILE_BYTES} bytes and was ignored. It needs only clientId and tenant.`);
    return {};
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    problems.push(`${path} is not valid JSON (${(error as Error).message}) and was ignored. Write it as {"clientId": "...", "tenant": "..."}.`);
    return {};
  }
  if (!isPlainObject(parsed)) {
    problems.push(`${path} is not a JSON object and was ignored. Write it as {"clientId": "...", "tenant": "..."}.`);
    return {};
  }

  const values: Partial<Record<Field, unknown>> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (key === 'clientId' || key === 'tenant') {
      values[key] = value;
    } else {
      problems.push(`${path}: "${key}" is not a managed setting and was ignored. Only clientId and tenant can be preset.`);
    }
  }
  return values;
}

/**
 * Reads the administrator's preset client ID and tenant. Each value comes from the first source
 * that sets it: the environment variable, then each file in `files` order. An invalid value
 * is skipped with a problem, so a later source or the user's own setting applies.
 */
export function managedAccountSettings(
  env: Record<string, string | undefined>,
  files: readonly string[],
  readText: (path: string) => string | null = readTextIfPresent,
): ManagedAccount {
  const problems: string[] = [];
  const candidates: Array<{ source: string; values: Partial<Record<Field, unknown>> }> = [];

  const fromEnv: Partial<Record<Field, unknown>> = {};
  for (const field of ['clientId', 'tenant'] as const) {
    const text = env[MANAGED_ENV[field]]?.trim();
    if (text !== undefined && text !== '') {
      fromEnv[field] = text;
    }
  }
  candidates.push({ source: 'environment', values: fromEnv });
  for (const path of files) {
    candidates.push({ source: path, values: readManagedFile(path, readText, problems) });
  }

  const result: ManagedAccount = { clientId: null, tenant: null, problems };
  for (const field of ['clientId', 'tenant'] as const) {
    for (const candidate of candidates) {
      if (!Object.hasOwn(candidate.values, field)) {
        continue;
      }
      const source = candidate.source === 'environment' ? MANAGED_ENV[field] : candidate.source;
      const raw = candidate.values[field];
      const checked = VALIDATORS[field](typeof raw === 'string' ? normalizeIdInput(raw) : raw);
      if (!checked.ok) {
        problems.push(`Ignored the ${field} preset from ${source}: ${checked.message}`);
        continue;
      }
      result[field] = { value: checked.value, source };
      break;
    }
  }
  return result;
}
