/**
 * Presence URLs. v1.0 uses `/users/{id}/presence/{action}`, the form the Graph API reference
 * shows; beta uses `/communications/presences/{id}/{action}`, the form
 * `Clear-MgBetaCommunicationPresence` sends. Both address the same presence object.
 */

export type GraphApiVersion = 'v1.0' | 'beta';

export type PresenceAction =
  | 'setPresence'
  | 'clearPresence'
  | 'setUserPreferredPresence'
  | 'clearUserPreferredPresence'
  | 'setStatusMessage';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Returns true for a GUID such as an Entra object ID or an application (client) ID. */
export function isGuid(text: string): boolean {
  return GUID.test(text);
}

/**
 * Throws unless `value` is a GUID. `what` names the value in the message ("presence ID").
 * Checked before sending, so a typo fails here and not as an opaque Graph 400 or 404.
 */
export function assertGuid(value: string, what: string, hint: string): void {
  if (!isGuid(value)) {
    throw new TypeError(`Invalid ${what} "${value}": expected a GUID such as 00000000-0000-0000-0000-000000000000. ${hint}`);
  }
}

/** Parses and checks the Graph base URL ("https://graph.microsoft.com" or the sandbox's). */
export function parseGraphBaseUrl(text: string): URL {
  let base: URL;
  try {
    base = new URL(text);
  } catch {
    throw new TypeError(`Invalid Graph base URL "${text}": expected an https URL such as https://graph.microsoft.com.`);
  }
  if (base.protocol !== 'https:') {
    throw new TypeError(`Invalid Graph base URL "${text}": Graph is reached over https only.`);
  }
  if (base.search !== '' || base.hash !== '') {
    throw new TypeError(`Invalid Graph base URL "${text}": remove the query and fragment.`);
  }
  return base;
}

/**
 * Builds the URL of the presence object (`action` null, for GET) or of one of its actions.
 * The caller has checked `presenceId`; it is still encoded as a path segment.
 */
export function presenceUrl(
  base: URL,
  version: GraphApiVersion,
  presenceId: string,
  action: PresenceAction | null,
): string {
  const id = encodeURIComponent(presenceId);
  const prefix = base.pathname.replace(/\/+$/, '');
  const objectPath =
    version === 'v1.0' ? `${prefix}/v1.0/users/${id}/presence` : `${prefix}/beta/communications/presences/${id}`;
  const path = action === null ? objectPath : `${objectPath}/${action}`;
  return new URL(path, base.origin).toString();
}
