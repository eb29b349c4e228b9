/**
 * The JSON Schema (draft 2020-12, the dialect electron-store 12 compiles with ajv) for
 * `Settings`, and the validator the app runs itself. The validator gives messages that name the
 * field, the bad value and the fix, and recovers a damaged object field by field.
 */

import { DEFAULT_SETTINGS, type Settings } from './settings.ts';
import { defaultAt, isPlainObject, readPath, SETTING_FIELDS, splitPath, writePath, type JsonSchema, type SettingPath } from './fields.ts';
import { describeValue } from './validators.ts';

export interface SettingProblem {
  /** Dotted path of the setting, such as `presence.selfExpiryMinutes`, or `(root)`. */
  path: string;
  message: string;
}

export type SettingsValidation = { ok: true; settings: Settings } | { ok: false; problems: SettingProblem[] };

function buildSchema(): JsonSchema {
  const root: JsonSchema & { properties: Record<string, JsonSchema>; required: string[] } = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://presence-tray.invalid/settings.schema.json',
    title: 'Presence Tray settings',
    type: 'object',
    properties: {},
    required: [],
    additionalProperties: false,
    default: structuredClone(DEFAULT_SETTINGS),
  };

  for (const field of SETTING_FIELDS) {
    const { group, key } = splitPath(field.path);
    const leaf: JsonSchema = { ...field.schema, description: field.label, default: defaultAt(field.path) };
    if (group === null) {
      root.properties[key] = leaf;
      root.required.push(key);
      continue;
    }

    let groupSchema = root.properties[group];
    if (groupSchema === undefined) {
      groupSchema = {
        type: 'object',
        properties: {},
        required: [],
        additionalProperties: false,
        default: structuredClone(readGroup(DEFAULT_SETTINGS, group)),
      };
      root.properties[group] = groupSchema;
      root.required.push(group);
    }
    (groupSchema.properties as Record<string, JsonSchema>)[key] = leaf;
    (groupSchema.required as string[]).push(key);
  }
  return root;
}

function readGroup(settings: Settings, group: string): unknown {
  return (settings as unknown as Record<string, unknown>)[group];
}

/** The whole settings schema. electron-store takes `SETTINGS_SCHEMA.properties` as its `schema` option. */
export const SETTINGS_SCHEMA: JsonSchema = buildSchema();

const GROUPS = new Set(SETTING_FIELDS.map((field) => splitPath(field.path).group).filter((group) => group !== null));
const KNOWN_PATHS = new Set<string>(SETTING_FIELDS.map((field) => field.path));

/** Lists keys that are not settings, at the root and inside each group. */
function unknownKeyProblems(raw: Record<string, unknown>): SettingProblem[] {
  const problems: SettingProblem[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (GROUPS.has(key)) {
      if (!isPlainObject(value)) {
        continue;
      }
      for (const inner of Object.keys(value)) {
        if (!KNOWN_PATHS.has(`${key}.${inner}`)) {
          problems.push({ path: `${key}.${inner}`, message: `${key}.${inner} is not a setting. Remove it.` });
        }
      }
    } else if (!KNOWN_PATHS.has(key)) {
      problems.push({ path: key, message: `${key} is not a setting. Remove it.` });
    }
  }
  return problems;
}

function fieldProblem(path: SettingPath, raw: Record<string, unknown>, check: (value: unknown) => string | null): SettingProblem | null {
  const { group } = splitPath(path);
  if (group !== null && !isPlainObject(raw[group])) {
    return { path, message: `${group} is ${describeValue(raw[group])}, not a group of settings, so ${path} is missing.` };
  }

  const value = readPath(raw, path);
  if (value === undefined) {
    return { path, message: `${path} is missing.` };
  }
  const message = check(value);
  return message === null ? null : { path, message };
}

/**
 * Validates a whole settings object. Every field must be present and valid and no unknown key
 * may appear; the result is a fresh object, so nothing from `raw` is shared.
 */
export function validateSettings(raw: unknown): SettingsValidation {
  if (!isPlainObject(raw)) {
    return {
      ok: false,
      problems: [{ path: '(root)', message: `Settings are ${describeValue(raw)}, not a JSON object. Delete the file to start from the defaults.` }],
    };
  }

  const problems: SettingProblem[] = [];
  let settings = structuredClone(DEFAULT_SETTINGS);
  for (const field of SETTING_FIELDS) {
    const problem = fieldProblem(field.path, raw, field.check);
    if (problem !== null) {
      problems.push(problem);
      continue;
    }
    settings = writePath(settings, field.path, readPath(raw, field.path));
  }

  problems.push(...unknownKeyProblems(raw));
  return problems.length === 0 ? { ok: true, settings } : { ok: false, problems };
}

/**
 * Keeps every field of `raw` that validates and uses the default for the rest. Returns the
 * settings and one problem per field that was reset or key that was dropped.
 */
export function recoverSettings(raw: unknown): { settings: Settings; problems: SettingProblem[] } {
  const source = isPlainObject(raw) ? raw : {};
  let settings = structuredClone(DEFAULT_SETTINGS);
  const problems: SettingProblem[] = [];

  for (const field of SETTING_FIELDS) {
    const value = readPath(source, field.path);
    if (value === undefined) {
      problems.push({ path: field.path, message: `${field.path} was missing; using the default ${describeValue(defaultAt(field.path))}.` });
      continue;
    }

    const message = field.check(value);
    if (message !== null) {
      problems.push({ path: field.path, message: `${message} Using the default ${describeValue(defaultAt(field.path))}.` });
      continue;
    }
    settings = writePath(settings, field.path, value);
  }

  problems.push(...unknownKeyProblems(source));
  return { settings, problems };
}

/**
 * Returns a copy of `raw` with the default written in for every setting that is missing,
 * including whole missing groups. Present values are left as they are, valid or not. Older
 * builds wrote only what the user changed, so a missing setting is normal, not damage.
 */
export function fillMissingSettings(raw: Record<string, unknown>): Record<string, unknown> {
  const filled = structuredClone(raw);
  for (const field of SETTING_FIELDS) {
    const { group, key } = splitPath(field.path);
    if (group === null) {
      if (!Object.hasOwn(filled, key)) {
        filled[key] = defaultAt(field.path);
      }
      continue;
    }
    if (!Object.hasOwn(filled, group)) {
      filled[group] = {};
    }
    const groupValue = filled[group];
    if (isPlainObject(groupValue) && !Object.hasOwn(groupValue, key)) {
      groupValue[key] = defaultAt(field.path);
    }
  }
  return filled;
}

/** Formats problems as lines for logs, the command line and the settings window. */
export function formatProblems(problems: readonly SettingProblem[]): string[] {
  return problems.map((problem) => `${problem.path}: ${problem.message}`);
}
