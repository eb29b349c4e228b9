/**
 * The settings store over a JSON file, for the command line and tests. (The Electron shell
 * uses electron-store with the same schema, migrations and load rules.) Writes are atomic and
 * synchronous: a temporary file in the same folder, fsync, then rename over the old file.
 */

import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname } from 'node:path';

import type { Logger } from '../ports.ts';
import type { Settings } from './settings.ts';
import { SETTING_FIELDS } from './fields.ts';
import { interpretSettingsFile, MAX_SALVAGE_BYTES, type SettingsFileContent } from './load.ts';
import type { ManagedAccount } from './managed.ts';
import { SettingsModel, SettingsSaveError, type SettingsStore } from './store.ts';

/** Owner read and write only: the file names the user's tenant and account. */
const FILE_MODE = 0o600;
const FOLDER_MODE = 0o700;

/**
 * Windows reports EPERM, EACCES or EBUSY on rename while another process (often an antivirus
 * scanner) has the target open. A short retry usually gets past it.
 */
const RENAME_RETRY_CODES = new Set(['EPERM', 'EACCES', 'EBUSY']);
const RENAME_ATTEMPTS = 5;
const RENAME_RETRY_DELAY_MS = 20;

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function renameWithRetry(from: string, to: string): void {
  for (let attempt = 1; ; attempt += 1) {
    try {
      renameSync(from, to);
      return;
    } catch (error) {
      const code = errorCode(error);
      if (process.platform !== 'win32' || code === undefined || !RENAME_RETRY_CODES.has(code) || attempt >= RENAME_ATTEMPTS) {
        throw error;
      }
      sleepSync(RENAME_RETRY_DELAY_MS * attempt);
    }
  }
}

/** Writes `value` as JSON to `path` atomically; the old file stays whole if anything fails. */
export function writeJsonFileAtomic(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true, mode: FOLDER_MODE });
  const temporary = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const text = `${JSON.stringify(value, null, 2)}\n`;

  try {
    const fd = openSync(temporary, 'w', FILE_MODE);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameWithRetry(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** Returns a free name `<path>.<label>-<time>`, with a counter when one exists already. */
function asideName(path: string, label: string, nowMs: number): string {
  const stamp = new Date(nowMs).toISOString().replace(/:/g, '-');
  let candidate = `${path}.${label}-${stamp}`;
  for (let counter = 2; existsSync(candidate); counter += 1) {
    candidate = `${path}.${label}-${stamp}-${counter}`;
  }
  return candidate;
}

function readSettingsFile(path: string): SettingsFileContent | null {
  let sizeBytes: number;
  try {
    sizeBytes = statSync(path).size;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      return null;
    }
    throw error;
  }
  if (sizeBytes > MAX_SALVAGE_BYTES) {
    return { text: null, sizeBytes };
  }
  return { text: readFileSync(path, 'utf8'), sizeBytes };
}

export interface FileSettingsStoreOptions {
  /** The settings file, such as `<data folder>/config.json`. */
  path: string;
  managed?: ManagedAccount;
  logger: Logger;
  /** Wall-clock source for the names of moved-aside files; defaults to `Date.now`. */
  nowMs?: () => number;
}

/**
 * Opens the settings file: reads and checks it, migrates an older one (keeping a backup), and
 * moves a damaged one aside after recovering every valid field from it. It does not throw for a
 * bad or unreadable file: the reason shows up in `problems()`, and the defaults apply.
 */
export function openSettingsFile(options: FileSettingsStoreOptions): SettingsStore {
  const { path, logger } = options;
  const nowMs = options.nowMs ?? Date.now;
  const fileName = basename(path);
  const problems: string[] = [];

  let content: SettingsFileContent | null = null;
  try {
    content = readSettingsFile(path);
  } catch (error) {
    logger.error('Could not read the settings file', { path, error: (error as Error).message });
    problems.push(`Could not read ${path}: ${(error as Error).message}. The defaults apply until the file can be read.`);
  }

  const loaded = interpretSettingsFile(content, fileName);
  problems.push(...loaded.problems);
  const initial: Settings = loaded.settings;

  // Set while a damaged file is still in place, so the first save moves it aside before writing.
  let damagedFileInPlace = loaded.action === 'move-aside';
  const moveDamagedFileAside = (): string => {
    const aside = asideName(path, 'corrupt', nowMs());
    renameWithRetry(path, aside);
    damagedFileInPlace = false;
    return aside;
  };

  try {
    if (loaded.action === 'migrate') {
      const backup = asideName(path, `v${loaded.migratedFrom}-backup`, nowMs());
      copyFileSync(path, backup);
      writeJsonFileAtomic(path, initial);
      logger.info('Settings migrated', { path, fromVersion: loaded.migratedFrom, backup });
    } else if (loaded.action === 'move-aside') {
      const aside = moveDamagedFileAside();
      writeJsonFileAtomic(path, initial);
      problems.push(
        `The damaged file was moved to ${aside}. ${loaded.recovered} of ${SETTING_FIELDS.length} settings were recovered from it; the rest are defaults.`,
      );
      logger.warn('Settings file damaged, moved aside', { path, aside, recovered: loaded.recovered });
    }
  } catch (error) {
    logger.error('Could not repair the settings file', { path, action: loaded.action, error: (error as Error).message });
    problems.push(`Could not repair ${path}: ${(error as Error).message}. The settings shown apply until the file can be written.`);
  }

  return new SettingsModel({
    initial,
    problems,
    managed: options.managed,
    logger,
    persist: (settings) => {
      try {
        if (damagedFileInPlace) {
          moveDamagedFileAside();
        }
        writeJsonFileAtomic(path, settings);
      } catch (error) {
        logger.error('Could not save settings', { path, error: (error as Error).message });
        throw new SettingsSaveError(path, error);
      }
    },
  });
}
