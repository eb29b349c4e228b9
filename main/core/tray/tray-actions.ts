/**
 * Tray menu action ids and their parser. The menu model carries plain string ids, so the shell
 * can hand Electron a data-only template. `parseTrayAction` turns a clicked id back into a
 * typed action for `PresenceAppApi` or the shell hooks.
 */

import type { SetPresenceRequest } from '../app-api.ts';
import { SESSION_PAIRS, type PresencePair, type SessionAvailability } from '../presence/pairs.ts';

/** How long a presence chosen from the menu lasts; `until-cleared` keeps it until a clear. */
export const SET_DURATIONS = [
  { code: 'PT30M', label: 'For 30 min', ms: 30 * 60_000 },
  { code: 'PT1H', label: 'For 1 hour', ms: 60 * 60_000 },
  { code: 'PT2H', label: 'For 2 hours', ms: 2 * 60 * 60_000 },
  { code: 'PT4H', label: 'For 4 hours', ms: 4 * 60 * 60_000 },
  { code: 'until-cleared', label: 'Until cleared', ms: null },
] as const;

export type SetDurationCode = (typeof SET_DURATIONS)[number]['code'];

/** Id of a "set presence" item, such as `set:Busy/InACall:PT1H`. */
export type SetActionId = `set:${string}/${string}:${SetDurationCode}`;

export type TrayActionId =
  | SetActionId
  | 'clear'
  | 'pause'
  | 'sign-in'
  | 'sign-in-device-code'
  | 'cancel-sign-in'
  | 'sign-out'
  | 'open-admin-consent'
  | 'settings'
  | 'toggle-start-at-login'
  | 'quit';

export type TrayAction =
  | { kind: 'set'; request: SetPresenceRequest }
  | { kind: 'clear' }
  | { kind: 'pause' }
  | { kind: 'sign-in'; method: 'browser' | 'device-code' }
  | { kind: 'cancel-sign-in' }
  | { kind: 'sign-out' }
  | { kind: 'open-admin-consent' }
  | { kind: 'open-settings' }
  | { kind: 'toggle-start-at-login' }
  | { kind: 'quit' };

/** Ids that map to one action; a Map, so ids such as "toString" find nothing inherited. */
const SIMPLE_ACTIONS: ReadonlyMap<string, TrayAction> = new Map<string, TrayAction>([
  ['clear', { kind: 'clear' }],
  ['pause', { kind: 'pause' }],
  ['sign-in', { kind: 'sign-in', method: 'browser' }],
  ['sign-in-device-code', { kind: 'sign-in', method: 'device-code' }],
  ['cancel-sign-in', { kind: 'cancel-sign-in' }],
  ['sign-out', { kind: 'sign-out' }],
  ['open-admin-consent', { kind: 'open-admin-consent' }],
  ['settings', { kind: 'open-settings' }],
  ['toggle-start-at-login', { kind: 'toggle-start-at-login' }],
  ['quit', { kind: 'quit' }],
]);

/** Returns the id of the menu item that sets `pair` for `duration`. */
export function setActionId(pair: PresencePair, duration: SetDurationCode): SetActionId {
  return `set:${pair.availability}/${pair.activity}:${duration}`;
}

/**
 * Returns the action for a menu item id, or null when the id is not an action (a status line,
 * a submenu) or names a pair or duration outside the tables above.
 */
export function parseTrayAction(id: string): TrayAction | null {
  const simple = SIMPLE_ACTIONS.get(id);
  if (simple !== undefined) {
    return simple;
  }

  const match = /^set:([A-Za-z]+)\/([A-Za-z]+):([A-Za-z0-9-]+)$/.exec(id);
  if (match === null) {
    return null;
  }
  const [, availability, activity, durationCode] = match;

  // Only exact table spellings are accepted: the ids come from our own menu, so anything else
  // is a bug and must not reach Graph.
  const pair = SESSION_PAIRS.find((p) => p.availability === availability && p.activity === activity);
  const duration = SET_DURATIONS.find((d) => d.code === durationCode);
  if (pair === undefined || duration === undefined) {
    return null;
  }

  return {
    kind: 'set',
    request: {
      availability: pair.availability as SessionAvailability,
      activity: pair.activity,
      durationMs: duration.ms,
    },
  };
}
