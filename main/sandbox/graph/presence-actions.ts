/**
 * The effect of each presence action on the presence state, applied after the request passed
 * the token, permission, target and body checks. The pair tables, duration ranges, sessionId
 * rule and the status message and work location shapes are checked here.
 */

import type { SandboxContext } from '../call.ts';
import { parseIsoDuration } from '../durations.ts';
import type { GraphCaller } from './graph-auth.ts';
import { badRequest, type ActionBody, type BodyProblem } from './graph-bodies.ts';
import type { PresenceActionName } from './graph-routes.ts';
import type { StatusMessageState } from './presence-book.ts';
import { describePairs, findPair, PREFERRED_PAIRS, SESSION_EXPIRATION, SESSION_PAIRS } from './presence-rules.ts';

/** `workLocationType` values a client may set; `unknownFutureValue` is the enum's sentinel, not a value. */
const WORK_LOCATION_TYPES = ['unspecified', 'office', 'remote', 'timeOff'];

/** Changes the presence state; returns null on success. */
export function applyAction(
  context: SandboxContext,
  caller: GraphCaller,
  userId: string,
  action: PresenceActionName,
  body: ActionBody,
): BodyProblem | 'no-session' | null {
  const presence = context.presence;

  switch (action) {
    case 'setPresence': {
      const sessionId = checkSessionId(context, caller, body.sessionId, action);
      if (typeof sessionId !== 'string') {
        return sessionId;
      }
      const pair = requirePair(body, action);
      if ('status' in pair) {
        return pair;
      }
      const known = findPair(SESSION_PAIRS, pair);
      if (known === null) {
        return badRequest(
          `Invalid presence ${pair.availability}/${pair.activity} for setPresence. Use one of: ${describePairs(SESSION_PAIRS)}.`,
        );
      }
      const expiration = sessionExpiration(body.expirationDuration);
      if (typeof expiration !== 'number') {
        return expiration;
      }
      presence.setSession(userId, sessionId, known, expiration);
      return null;
    }

    case 'clearPresence': {
      const sessionId = checkSessionId(context, caller, body.sessionId, action);
      if (typeof sessionId !== 'string') {
        return sessionId;
      }
      return presence.clearSession(userId, sessionId) ? null : 'no-session';
    }

    case 'setUserPreferredPresence': {
      const pair = requirePair(body, action);
      if ('status' in pair) {
        return pair;
      }
      const known = findPair(PREFERRED_PAIRS, pair);
      if (known === null) {
        return badRequest(
          `Invalid presence ${pair.availability}/${pair.activity} for setUserPreferredPresence. ` +
            `Use one of: ${describePairs(PREFERRED_PAIRS)}.`,
        );
      }
      const expiration = preferredExpiration(body.expirationDuration);
      if (expiration !== null && typeof expiration !== 'number') {
        return expiration;
      }
      presence.setPreferred(userId, known, expiration);
      return null;
    }

    case 'clearUserPreferredPresence':
      presence.clearPreferred(userId);
      return null;

    case 'setStatusMessage': {
      const message = parseStatusMessage(body.statusMessage, context.clock.now());
      if (message !== null && 'status' in message) {
        return message;
      }
      presence.setStatusMessage(userId, message);
      return null;
    }

    case 'setAutomaticLocation':
    case 'setManualLocation': {
      const type = body.workLocationType;
      if (typeof type !== 'string' || !WORK_LOCATION_TYPES.includes(type)) {
        return badRequest(`Invalid workLocationType '${String(type)}' for ${action}. Use one of: ${WORK_LOCATION_TYPES.join(', ')}.`);
      }
      const placeId = typeof body.placeId === 'string' ? body.placeId : null;
      presence.setWorkLocation(userId, {
        workLocationType: type,
        source: action === 'setManualLocation' ? 'manual' : 'automatic',
        placeId,
      });
      return null;
    }

    case 'clearAutomaticLocation': {
      // NOTE: Graph layers manual over automatic over scheduled locations. The sandbox keeps
      // one location, so clearing the automatic one leaves a manual one in place.
      const current = presence.snapshot(userId).workLocation;
      if (current?.source === 'automatic') {
        presence.setWorkLocation(userId, null);
      }
      return null;
    }

    case 'clearLocation':
      presence.setWorkLocation(userId, null);
      return null;
  }
}

/** Applies the configured sessionId check; returns the session key or the problem. */
function checkSessionId(
  context: SandboxContext,
  caller: GraphCaller,
  value: unknown,
  action: 'setPresence' | 'clearPresence',
): string | BodyProblem {
  const mode = context.settings.sessionIdCheck;
  const sentSessionId = typeof value === 'string' && value !== '' ? value.toLowerCase() : null;

  if (sentSessionId === null) {
    if (mode === 'off') {
      return caller.appId;
    }
    return badRequest(`The sessionId parameter is required for ${action}: pass the application (client) ID '${caller.appId}'.`);
  }
  if (mode === 'app-id' && sentSessionId !== caller.appId) {
    return badRequest(
      `Invalid sessionId '${sentSessionId}' for ${action}: it must be the calling application's (client) ID '${caller.appId}'.`,
    );
  }
  return sentSessionId;
}

function requirePair(body: ActionBody, action: string): { availability: string; activity: string } | BodyProblem {
  const { availability, activity } = body;
  if (typeof availability !== 'string' || availability === '') {
    return badRequest(`The availability parameter is required for ${action}.`);
  }
  if (typeof activity !== 'string' || activity === '') {
    return badRequest(`The activity parameter is required for ${action}.`);
  }
  return { availability, activity };
}

/** setPresence's expirationDuration: default PT5M, allowed PT5M to PT4H. */
function sessionExpiration(value: unknown): number | BodyProblem {
  if (value === undefined || value === null) {
    return SESSION_EXPIRATION.defaultMs;
  }
  const ms = parseIsoDuration(String(value));
  if (ms === null) {
    return badRequest(`Invalid expirationDuration '${String(value)}': use an ISO 8601 duration such as PT15M.`);
  }
  if (ms < SESSION_EXPIRATION.minMs || ms > SESSION_EXPIRATION.maxMs) {
    return badRequest(`expirationDuration '${String(value)}' is outside the allowed range PT5M to PT4H.`);
  }
  return ms;
}

/** setUserPreferredPresence's expirationDuration: any positive duration, or null for the default. */
function preferredExpiration(value: unknown): number | BodyProblem | null {
  if (value === undefined || value === null) {
    return null;
  }
  const ms = parseIsoDuration(String(value));
  if (ms === null || ms <= 0) {
    return badRequest(`Invalid expirationDuration '${String(value)}': use a positive ISO 8601 duration such as PT8H.`);
  }
  return ms;
}

const DATE_TIME_WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?$/;

/** Checks setStatusMessage's `statusMessage`; null clears the message. */
function parseStatusMessage(value: unknown, nowMs: number): StatusMessageState | BodyProblem | null {
  if (value === undefined) {
    return badRequest('The statusMessage parameter is required for setStatusMessage.');
  }
  if (value === null) {
    return null;
  }

  const { message, expiryDateTime } = value as { message?: unknown; expiryDateTime?: unknown };
  if (typeof message !== 'object' || message === null) {
    return badRequest('statusMessage.message is required: pass {"content": "...", "contentType": "text"}.');
  }
  const { content, contentType } = message as { content?: unknown; contentType?: unknown };
  if (typeof content !== 'string') {
    return badRequest('statusMessage.message.content must be a string.');
  }
  if (contentType !== undefined && contentType !== 'text') {
    return badRequest(`statusMessage.message.contentType '${String(contentType)}' is not supported: only text is.`);
  }

  let expiry: StatusMessageState['expiryDateTime'] = null;
  if (expiryDateTime !== undefined && expiryDateTime !== null) {
    const { dateTime, timeZone } = expiryDateTime as { dateTime?: unknown; timeZone?: unknown };
    if (typeof dateTime !== 'string' || !DATE_TIME_WITHOUT_OFFSET.test(dateTime)) {
      return badRequest(
        `Invalid statusMessage.expiryDateTime.dateTime '${String(dateTime)}': use a local time without an offset, ` +
          'such as 2026-12-04T17:00:00, and put the zone in timeZone.',
      );
    }
    expiry = { dateTime, timeZone: typeof timeZone === 'string' ? timeZone : null };
  }

  return {
    message: { content, contentType: 'text' },
    expiryDateTime: expiry,
    publishedDateTime: new Date(nowMs).toISOString(),
  };
}
