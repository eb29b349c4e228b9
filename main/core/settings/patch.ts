/**
 * Partial updates of the settings: their type, the check of an untrusted patch (from the
 * settings window or the command line), and the merge into the current settings.
 */

import type { Settings } from './settings.ts';
import { isPlainObject, SETTING_FIELDS, splitPath, writePath, type SettingPath } from './fields.ts';
import type { SettingProblem } from './schema.ts';
import { describeValue } from './validators.ts';

type Primitive = string | number | boolean | null;

/** Any subset of the settings; groups may be partial too. The version is not patchable. */
export type SettingsPatch = {
  [K in Exclude<keyof Settings, 'version'>]?: Settings[K] extends Primitive ? Settings[K] : Partial<Settings[K]>;
};

export type PatchCheck = { ok: true; patch: SettingsPatch; paths: SettingPath[] } | { ok: false; problems: SettingProblem[] };

const FIELD_BY_PATH = new Map(SETTING_FIELDS.map((field) => [field.path as string, field]));
const GROUPS = new Set(SETTING_FIELDS.map((field) => splitPath(field.path).group).filter((group) => group !== null));

function checkLeaf(path: string, value: unknown, problems: SettingProblem[], entries: Array<[SettingPath, unknown]>): void {
  const field = FIELD_BY_PATH.get(path);
  if (field === undefined || field.path === 'version') {
    problems.push({ path, message: `${path} is not a setting that can be changed. Remove it from the update.` });
    return;
  }
  const message = field.check(value);
  if (message !== null) {
    problems.push({ path, message });
    return;
  }
  entries.push([field.path, value]);
}

/**
 * Checks an untrusted patch: a JSON object whose keys are settings or groups of settings and
 * whose values are valid. Returns the patch with only those keys and the paths it touches.
 */
export function checkSettingsPatch(input: unknown): PatchCheck {
  if (!isPlainObject(input)) {
    return { ok: false, problems: [{ path: '(root)', message: `A settings update must be a JSON object, not ${describeValue(input)}.` }] };
  }

  const problems: SettingProblem[] = [];
  const entries: Array<[SettingPath, unknown]> = [];
  for (const [key, value] of Object.entries(input)) {
    if (!GROUPS.has(key)) {
      checkLeaf(key, value, problems, entries);
      continue;
    }
    if (!isPlainObject(value)) {
      problems.push({ path: key, message: `${key} must be an object of settings, not ${describeValue(value)}.` });
      continue;
    }
    for (const [inner, innerValue] of Object.entries(value)) {
      checkLeaf(`${key}.${inner}`, innerValue, problems, entries);
    }
  }

  if (problems.length > 0) {
    return { ok: false, problems };
  }
  if (entries.length === 0) {
    return { ok: false, problems: [{ path: '(root)', message: 'The settings update changes nothing. Name at least one setting.' }] };
  }

  const patch: Record<string, unknown> = {};
  for (const [path, value] of entries) {
    const { group, key } = splitPath(path);
    if (group === null) {
      patch[key] = value;
    } else {
      const groupPatch = (patch[group] ??= {}) as Record<string, unknown>;
      groupPatch[key] = value;
    }
  }
  return { ok: true, patch: patch as SettingsPatch, paths: entries.map(([path]) => path) };
}

/** Returns a copy of `settings` with every value of a checked patch written in. */
export function applySettingsPatch(settings: Settings, patch: SettingsPatch, paths: readonly SettingPath[]): Settings {
  let next = structuredClone(settings);
  for (const path of paths) {
    const { group, key } = splitPath(path);
    const source = group === null ? (patch as Record<string, unknown>) : ((patch as Record<string, Record<string, unknown>>)[group] ?? {});
    next = writePath(next, path, source[key]);
  }
  return next;
}
