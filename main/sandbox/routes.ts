/**
 * Names every request the sandbox receives with an action, before it is handled, so fault
 * rules and the request log can refer to "setPresence" or "token" instead of URL patterns.
 */

import { parseGraphPath, type GraphRoute, type PresenceActionName } from './graph/graph-routes.ts';

export type IdentityAction =
  | 'openid-configuration'
  | 'jwks'
  | 'instance-discovery'
  | 'authorize'
  | 'token'
  | 'devicecode'
  | 'devicelogin'
  | 'logout';

export type GraphAction =
  | PresenceActionName
  | 'getPresence'
  | 'updatePresence'
  | 'listPresences'
  | 'getPresencesByUserId'
  | 'graph-unknown';

export type SandboxAction = IdentityAction | GraphAction | 'control' | 'unknown';

export type ClassifiedRequest =
  | { area: 'identity'; action: IdentityAction; tenant: string | null }
  | { area: 'graph'; action: GraphAction; route: GraphRoute }
  | { area: 'control'; action: 'control'; operation: string }
  | { area: 'unknown'; action: 'unknown' };

const IDENTITY_ROUTES: { pattern: RegExp; action: IdentityAction }[] = [
  { pattern: /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/, action: 'openid-configuration' },
  { pattern: /^\/([^/]+)\/discovery\/v2\.0\/keys$/, action: 'jwks' },
  { pattern: /^\/common\/discovery\/instance$/, action: 'instance-discovery' },
  { pattern: /^\/([^/]+)\/oauth2\/v2\.0\/authorize$/, action: 'authorize' },
  { pattern: /^\/([^/]+)\/oauth2\/v2\.0\/token$/, action: 'token' },
  { pattern: /^\/([^/]+)\/oauth2\/v2\.0\/devicecode$/, action: 'devicecode' },
  { pattern: /^\/([^/]+)\/oauth2\/v2\.0\/logout$/, action: 'logout' },
  { pattern: /^\/devicelogin$/, action: 'devicelogin' },
];

export const CONTROL_PREFIX = '/_sandbox/';

export function classifyRequest(method: string, path: string): ClassifiedRequest {
  if (path.startsWith(CONTROL_PREFIX)) {
    return { area: 'control', action: 'control', operation: path.slice(CONTROL_PREFIX.length) };
  }

  const route = parseGraphPath(path);
  if (route !== null) {
    return { area: 'graph', action: graphAction(method, route), route };
  }

  for (const { pattern, action } of IDENTITY_ROUTES) {
    const match = pattern.exec(path);
    if (match !== null) {
      return { area: 'identity', action, tenant: match[1] ?? null };
    }
  }
  return { area: 'unknown', action: 'unknown' };
}

function graphAction(method: string, route: GraphRoute): GraphAction {
  switch (route.kind) {
    case 'presence':
      if (route.action !== null) {
        return route.action;
      }
      return method === 'GET' ? 'getPresence' : 'updatePresence';
    case 'presences':
      return 'listPresences';
    case 'getPresencesByUserId':
      return 'getPresencesByUserId';
    case 'unknown':
      return 'graph-unknown';
  }
}
