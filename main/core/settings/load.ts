/**
 * Decides what a settings file on disk means: valid, older and to be migrated, or damaged. A
 * damaged file (empty, truncated, not JSON, wrong shape, too large, invalid values) gives back
 * every field that still validates, and the caller moves the file aside so nothing is lost.
 * Pure: the caller does the reading, moving and writing.
 */

import { DEFAULT_SETTINGS, type Settings } from './settings.ts';
import { isPlainObject, SETTING_FIELDS } from './fields.ts';
import { salvageJson } from './json-salvage.ts';
import { migrateSettings } from './migrations.ts';
import { fillMissingSettings, formatProblems, recoverSettings, validateSettings } from './schema.ts';

/** A settings file is under 2 KB; anything above 1 MiB was written by a bug and is moved aside. */
export const MAX_SETTINGS_BYTES = 1024 * 1024;
/** Files up to 16 MiB are still read to recover fields; larger ones are only moved aside. */
export const MAX_SALVAGE_BYTES = 16 * 1024 * 1024;

/** The file as the caller read it; `text` is null when the file was too large to read. */
export interface SettingsFileContent {
  text: string | null;
  sizeBytes: number;
}

export type SettingsFileAction =
  /** No file: start from the defaults and write nothing until the first change. */
  | 'none'
  /** The file is valid and current. */
  | 'keep'
  /** The file is valid but older: back it up and write the migrated settings. */
  | 'migrate'
  /** The file is damaged: move it aside and write the recovered settings. */
  | 'move-aside';

export interface LoadedSettings {
  settings: Settings;
  action: SettingsFileAction;
  /** Problems found, one sentence each; empty for 'none', 'keep' and 'migrate'. */
  problems: string[];
  /** The version migrated from, for 'migrate'. */
  migratedFrom: number | null;
  /** Number of settings taken from a damaged file, for 'move-aside'. */
  recovered: number;
}

function damaged(fileName: string, reason: string, raw: unknown): LoadedSettings {
  // A salvaged part of an older file is migrated first, so its fields land where they belong.
  const migrated = isPlainObject(raw) ? migrateSettings(raw) : null;
  const { settings, problems } = recoverSettings(migrated?.ok === true ? migrated.value : raw);
  const reset = new Set(problems.map((problem) => problem.path));
  const recovered = isPlainObject(raw) ? SETTING_FIELDS.filter((field) => !reset.has(field.path)).length : 0;
  return {
    settings,
    action: 'move-aside',
    problems: [`${fileName} ${reason}`, ...(isPlainObject(raw) ? formatProblems(problems) : [])],
    migratedFrom: null,
    recovered,
  };
}

/** Parses the text. A damaged text is salvaged, and `problem` describes the damage. */
function parseText(text: string): { raw: unknown; problem: string | null } {
  if (text.trim() === '') {
    return { raw: undefined, problem: 'is empty.' };
  }
  try {
    return { raw: JSON.parse(text), problem: null };
  } catch (error) {
    return { raw: salvageJson(text), problem: `is not valid JSON (${(error as Error).message}); it may have been cut off while being written.` };
  }
}

/** Interprets a settings file's content. `fileName` appears in the problems, such as "config.json". */
export function interpretSettingsFile(content: SettingsFileContent | null, fileName: string): LoadedSettings {
  if (content === null) {
    return { settings: structuredClone(DEFAULT_SETTINGS), action: 'none', problems: [], migratedFrom: null, recovered: 0 };
  }

  if (content.text === null) {
    return damaged(fileName, `is ${content.sizeBytes} bytes, too large to read (a settings file is under 2 KB).`, undefined);
  }

  const { raw, problem } = parseText(content.text);
  if (problem !== null) {
    return damaged(fileName, problem, raw);
  }
  if (!isPlainObject(raw)) {
    return damaged(fileName, `does not contain a JSON object (it starts with ${JSON.stringify(content.text.slice(0, 20))}).`, raw);
  }

  const migrated = migrateSettings(raw);
  if (!migrated.ok) {
    // Recover what the current version understands; the original is kept aside unchanged.
    return damaged(fileName, `could not be migrated: ${migrated.message}`, { ...raw, version: 1 });
  }

  const filled = fillMissingSettings(migrated.value);
  if (content.sizeBytes > MAX_SETTINGS_BYTES) {
    return damaged(fileName, `is ${content.sizeBytes} bytes, more than the ${MAX_SETTINGS_BYTES}-byte limit (a settings file is under 2 KB).`, filled);
  }
  const valid = validateSettings(filled);
  if (!valid.ok) {
    return damaged(fileName, 'has invalid values.', filled);
  }

  if (migrated.applied.length > 0) {
    return { settings: valid.settings, action: 'migrate', problems: [], migratedFrom: migrated.fromVersion, recovered: 0 };
  }
  return { settings: valid.settings, action: 'keep', problems: [], migratedFrom: null, recovered: 0 };
}
