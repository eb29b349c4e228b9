/** Graph's response headers, error body and presence JSON. */

import type { SandboxCall } from '../call.ts';
import { firstHeader } from '../call.ts';
import { emptyResponse, jsonResponse, type SandboxResponse } from '../http-io.ts';
import type { PresenceView } from './presence-book.ts';
import type { GraphVersion } from './graph-routes.ts';

/** Graph sends this JSON blob on every response; the sandbox names itself in it. */
const AGS_DIAGNOSTIC = JSON.stringify({
  ServerInfo: { DataCenter: 'Sandbox', Slice: 'E', Ring: '0', ScaleUnit: '000', RoleInstance: 'presence-tray-sandbox' },
});

/** `request-id`, `client-request-id` (echoed, else generated), `Date` and `x-ms-ags-diagnostic`. */
export function graphHeaders(call: SandboxCall, nowMs: number): Record<string, string> {
  return {
    'request-id': call.requestId,
    'client-request-id': firstHeader(call, 'client-request-id') ?? call.requestId,
    date: new Date(nowMs).toUTCString(),
    'x-ms-ags-diagnostic': AGS_DIAGNOSTIC,
    'strict-transport-security': 'max-age=31536000',
    'cache-control': 'no-cache',
  };
}

/** Builds a Graph error response: `{error: {code, message, innerError: {date, request-id, client-request-id}}}`. */
export function graphErrorResponse(
  call: SandboxCall,
  nowMs: number,
  status: number,
  code: string,
  message: string,
  extraHeaders: Record<string, string> = {},
): SandboxResponse {
  const headers = { ...graphHeaders(call, nowMs), ...extraHeaders };
  const body = {
    error: {
      code,
      message,
      innerError: {
        date: new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, ''),
        'request-id': headers['request-id'],
        'client-request-id': headers['client-request-id'],
      },
    },
  };
  return jsonResponse(status, body, headers);
}

/** Actions succeed with 200 and an empty body, as the Graph API reference pages state. */
export function graphActionSuccess(call: SandboxCall, nowMs: number): SandboxResponse {
  return emptyResponse(200, { ...graphHeaders(call, nowMs), 'content-length': '0' });
}

export function graphJsonSuccess(call: SandboxCall, nowMs: number, value: unknown): SandboxResponse {
  return jsonResponse(200, value, graphHeaders(call, nowMs));
}

/** Properties of `microsoft.graph.presence` a `$select` may name. */
export const PRESENCE_PROPERTIES = [
  'id',
  'availability',
  'activity',
  'statusMessage',
  'outOfOfficeSettings',
  'sequenceNumber',
  'workLocation',
] as const;

/**
 * Renders a presence. `ownPresence` is false when the caller reads someone else's presence;
 * Graph then leaves out the status message's expiry and publish times.
 */
export function presenceJson(view: PresenceView, ownPresence: boolean): Record<string, unknown> {
  const message = view.statusMessage;
  let statusMessage: Record<string, unknown> | null = null;
  if (message !== null) {
    statusMessage = { message: message.message };
    if (ownPresence) {
      statusMessage.expiryDateTime = message.expiryDateTime;
      statusMessage.publishedDateTime = message.publishedDateTime;
    }
  }

  return {
    id: view.userId,
    availability: view.availability,
    activity: view.activity,
    statusMessage,
    outOfOfficeSettings: { message: null, isOutOfOffice: false },
    sequenceNumber: view.sequenceNumber,
    workLocation: view.workLocation,
  };
}

/** Keeps `id` and the properties named in `$select`. */
export function applySelect(presence: Record<string, unknown>, select: string[] | null): Record<string, unknown> {
  if (select === null) {
    return presence;
  }
  const picked: Record<string, unknown> = { id: presence.id };
  for (const name of select) {
    picked[name] = presence[name];
  }
  return picked;
}

export function odataContext(origin: string, version: GraphVersion, fragment: string): string {
  return `${origin}/${version}/$metadata#${fragment}`;
}
