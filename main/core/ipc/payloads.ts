/**
 * Checks of the payloads the settings window sends. A payload is untrusted data from a
 * renderer: each check accepts exactly the contract's shape, rejects anything else with a
 * message naming the field, and never throws.
 */

import type { SetPresenceRequest } from '../app-api.ts';
import { SESSION_PAIRS, type SessionAvailability } from '../presence/pairs.ts';
import type { SettingPath } from '../settings/fields.ts';
import { isPlainObject } from '../settings/fields.ts';
import { checkSettingsPatch, type SettingsPatch } from '../settings/patch.ts';
import { describeValue, MAX_ACCELERATOR_LENGTH } from '../settings/validators.ts';
import type { HelpTopic } from '../../ipc-contract.ts';

export type PayloadCheck<T> = { ok: true; value: T } | { ok: false; message: string; field?: string };

function reject<T>(message: string, field?: string): PayloadCheck<T> {
  return field === undefined ? { ok: false, message } : { ok: false, message, field };
}

/** Rejects keys outside `allowed`, so a typo or an injected field is never ignored silently. */
function unknownKey(channel: string, payload: Record<string, unknown>, allowed: readonly string[]): PayloadCheck<never> | null {
  const extra = Object.keys(payload).find((key) => !allowed.includes(key));
  return extra === undefined ? null : reject(`${channel}: unknown field ${JSON.stringify(extra)}. Send only ${allowed.join(', ')}.`, extra);
}

/** Accepts no payload: undefined (what `invoke(channel)` sends) or null. */
export function checkNoPayload(channel: string, payload: unknown): PayloadCheck<undefined> {
  if (payload === undefined || payload === null) {
    return { ok: true, value: undefined };
  }
  return reject(`${channel} takes no payload, got ${describeValue(payload)}.`);
}

/** Shortest intent the window offers; Graph still keeps the session for at least 5 minutes. */
export const MIN_INTENT_MS = 60_000;
// NOTE: the 7-day cap is a sanity bound on the window's input, not a Graph limit. The
// keep-alive renews each set for at most the self-expiry bound anyway.
export const MAX_INTENT_MS = 7 * 24 * 60 * 60 * 1000;

const AVAILABILITIES: readonly SessionAvailability[] = ['Available', 'Busy', 'Away', 'DoNotDisturb'];

export function checkSetPresence(payload: unknown): PayloadCheck<SetPresenceRequest> {
  const channel = 'presence:set';
  if (!isPlainObject(payload)) {
    return reject(`${channel} needs an object with availability and durationMs, got ${describeValue(payload)}.`);
  }
  const extra = unknownKey(channel, payload, ['availability', 'activity', 'durationMs']);
  if (extra !== null) {
    return extra;
  }

  const availability = payload.availability;
  if (typeof availability !== 'string' || !AVAILABILITIES.includes(availability as SessionAvailability)) {
    return reject(`${channel}: availability ${describeValue(availability)} is not one of ${AVAILABILITIES.join(', ')}.`, 'availability');
  }

  const activity = payload.activity;
  if (activity !== undefined) {
    const pairs = SESSION_PAIRS.filter((pair) => pair.availability === availability);
    if (typeof activity !== 'string' || !pairs.some((pair) => pair.activity === activity)) {
      return reject(
        `${channel}: activity ${describeValue(activity)} cannot go with ${availability}. Use ${pairs.map((pair) => pair.activity).join(' or ')}.`,
        'activity',
      );
    }
  }

  const durationMs = payload.durationMs;
  const validDuration =
    durationMs === null || (typeof durationMs === 'number' && Number.isInteger(durationMs) && durationMs >= MIN_INTENT_MS && durationMs <= MAX_INTENT_MS);
  if (!validDuration) {
    return reject(
      `${channel}: durationMs ${describeValue(durationMs)} is invalid. Use null (until cleared) or whole milliseconds from ${MIN_INTENT_MS} to ${MAX_INTENT_MS}.`,
      'durationMs',
    );
  }

  const request: SetPresenceRequest = { availability: availability as SessionAvailability, durationMs: durationMs as number | null };
  if (activity !== undefined) {
    request.activity = activity as string;
  }
  return { ok: true, value: request };
}

export function checkSignIn(payload: unknown): PayloadCheck<{ method: 'browser' | 'device-code' }> {
  const channel = 'auth:sign-in';
  if (!isPlainObject(payload)) {
    return reject(`${channel} needs {"method": "browser" | "device-code"}, got ${describeValue(payload)}.`);
  }
  const extra = unknownKey(channel, payload, ['method']);
  if (extra !== null) {
    return extra;
  }
  if (payload.method !== 'browser' && payload.method !== 'device-code') {
    return reject(`${channel}: method ${describeValue(payload.method)} is not browser or device-code.`, 'method');
  }
  return { ok: true, value: { method: payload.method } };
}

export function checkShortcutTest(payload: unknown): PayloadCheck<{ accelerator: string }> {
  const channel = 'shortcut:test';
  if (!isPlainObject(payload)) {
    return reject(`${channel} needs {"accelerator": "..."}, got ${describeValue(payload)}.`);
  }
  const extra = unknownKey(channel, payload, ['accelerator']);
  if (extra !== null) {
    return extra;
  }
  const accelerator = payload.accelerator;
  if (typeof accelerator !== 'string' || accelerator.length === 0 || accelerator.length > MAX_ACCELERATOR_LENGTH) {
    return reject(`${channel}: accelerator ${describeValue(accelerator)} must be a string of 1 to ${MAX_ACCELERATOR_LENGTH} characters.`, 'accelerator');
  }
  return { ok: true, value: { accelerator } };
}

const HELP_TOPICS: readonly HelpTopic[] = ['app-registration', 'presence-api', 'device-code', 'admin-consent'];

export function checkHelpTopic(payload: unknown): PayloadCheck<{ topic: HelpTopic }> {
  const channel = 'app:open-external-help';
  if (!isPlainObject(payload)) {
    return reject(`${channel} needs {"topic": "..."}, got ${describeValue(payload)}.`);
  }
  const extra = unknownKey(channel, payload, ['topic']);
  if (extra !== null) {
    return extra;
  }
  if (typeof payload.topic !== 'string' || !HELP_TOPICS.includes(payload.topic as HelpTopic)) {
    return reject(`${channel}: topic ${describeValue(payload.topic)} is not one of ${HELP_TOPICS.join(', ')}.`, 'topic');
  }
  return { ok: true, value: { topic: payload.topic as HelpTopic } };
}

/**
 * Settings the window may change. The account's home account ID belongs to sign-in, and the
 * clear budgets have no control in the window, so a page cannot set them.
 */
export const WINDOW_EDITABLE_SETTINGS: ReadonlySet<SettingPath> = new Set<SettingPath>([
  'account.clientId',
  'account.tenant',
  'presence.selfExpiryMinutes',
  'presence.graphApiVersion',
  'presence.sessionIdOverride',
  'clearOn.quit',
  'clearOn.suspend',
  'clearOn.lockScreen',
  'clearOn.shutdown',
  'shortcut.enabled',
  'shortcut.accelerator',
  'tray.clickAction',
  'startAtLogin',
  'allowPlaintextTokenCache',
]);

export function checkSettingsUpdate(payload: unknown): PayloadCheck<SettingsPatch> {
  const checked = checkSettingsPatch(payload);
  if (!checked.ok) {
    const first = checked.problems[0];
    const message = `settings:update: ${checked.problems.map((problem) => problem.message).join(' ')}`;
    return reject(message, first?.path);
  }
  const locked = checked.paths.find((path) => !WINDOW_EDITABLE_SETTINGS.has(path));
  if (locked !== undefined) {
    return reject(`settings:update: ${locked} cannot be changed from the settings window.`, locked);
  }
  return { ok: true, value: checked.patch };
}
