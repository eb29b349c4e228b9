/**
 * Graph presence URLs: `/v1.0` and `/beta`, the three bases (`/me/presence`,
 * `/users/{id}/presence`, `/communications/presences/{id}`), and every action in its short
 * and `microsoft.graph.`-qualified form. Graph matches path words without regard to case.
 */

export const PRESENCE_ACTIONS = [
  'setPresence',
  'clearPresence',
  'setUserPreferredPresence',
  'clearUserPreferredPresence',
  'setStatusMessage',
  'setAutomaticLocation',
  'setManualLocation',
  'clearAutomaticLocation',
  'clearLocation',
] as const;

export type PresenceActionName = (typeof PRESENCE_ACTIONS)[number];

export type GraphVersion = 'v1.0' | 'beta';

export type GraphRoute =
  | {
      kind: 'presence';
      version: GraphVersion;
      base: 'me' | 'users' | 'communications';
      /** The user ID or UPN in the URL; null for `/me`. */
      targetId: string | null;
      /** The action segment, or null for the presence itself. */
      action: PresenceActionName | null;
    }
  | { kind: 'presences'; version: GraphVersion }
  | { kind: 'getPresencesByUserId'; version: GraphVersion }
  | { kind: 'unknown'; version: GraphVersion; segment: string };

const QUALIFIED_PREFIX = 'microsoft.graph.';

/** Parses a Graph path; returns null when it does not start with `/v1.0/` or `/beta/`. */
export function parseGraphPath(path: string): GraphRoute | null {
  const segments = path.split('/').slice(1).map(safeDecode);
  const version = parseVersion(segments[0]);
  if (version === null) {
    return null;
  }

  const [, first, second, third, fourth, ...extra] = segments;
  const unknown = (segment: string | undefined): GraphRoute => ({ kind: 'unknown', version, segment: segment ?? '' });
  const same = (actual: string | undefined, expected: string): boolean => actual?.toLowerCase() === expected.toLowerCase();

  if (same(first, 'me')) {
    if (!same(second, 'presence')) {
      return unknown(second);
    }
    return presenceRoute(version, 'me', null, third, fourth === undefined ? [] : [fourth, ...extra]);
  }

  if (same(first, 'users')) {
    if (second === undefined || second === '' || !same(third, 'presence')) {
      return unknown(second === undefined || second === '' ? first : third);
    }
    return presenceRoute(version, 'users', second, fourth, extra);
  }

  if (same(first, 'communications')) {
    if (same(second, 'getPresencesByUserId') || same(second, `${QUALIFIED_PREFIX}getPresencesByUserId`)) {
      return third === undefined ? { kind: 'getPresencesByUserId', version } : unknown(third);
    }
    if (!same(second, 'presences')) {
      return unknown(second);
    }
    if (third === undefined || third === '') {
      return fourth === undefined ? { kind: 'presences', version } : unknown(fourth);
    }
    return presenceRoute(version, 'communications', third, fourth, extra);
  }

  return unknown(first);
}

function presenceRoute(
  version: GraphVersion,
  base: 'me' | 'users' | 'communications',
  targetId: string | null,
  actionSegment: string | undefined,
  extra: string[],
): GraphRoute {
  if (extra.length > 0) {
    return { kind: 'unknown', version, segment: extra[0] ?? '' };
  }
  if (actionSegment === undefined) {
    return { kind: 'presence', version, base, targetId, action: null };
  }

  const action = parseAction(actionSegment);
  return action === null
    ? { kind: 'unknown', version, segment: actionSegment }
    : { kind: 'presence', version, base, targetId, action };
}

/** Returns the action a segment names (short or qualified form), or null. */
export function parseAction(segment: string): PresenceActionName | null {
  const lower = segment.toLowerCase();
  const name = lower.startsWith(QUALIFIED_PREFIX) ? lower.slice(QUALIFIED_PREFIX.length) : lower;
  return PRESENCE_ACTIONS.find((action) => action.toLowerCase() === name) ?? null;
}

function parseVersion(segment: string | undefined): GraphVersion | null {
  if (segment === 'v1.0') {
    return 'v1.0';
  }
  if (segment === 'beta') {
    return 'beta';
  }
  return null;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
