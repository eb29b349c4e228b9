/**
 * The bearer token check in front of every Graph route. A missing, malformed, forged or
 * expired token gets 401 `InvalidAuthenticationToken`. A token without the permission the
 * operation needs gets 403.
 */

import type { SandboxCall, SandboxContext } from '../call.ts';
import { firstHeader } from '../call.ts';
import { CONSUMER_TENANT_ID } from '../directory.ts';
import type { SandboxResponse } from '../http-io.ts';
import { verifyJwt } from '../identity/jwt.ts';
import { GRAPH_AUDIENCE } from '../identity/tokens.ts';
import { graphErrorResponse } from './graph-responses.ts';

/**
 * Clock skew a token check allows; 5 minutes is the default of Microsoft.IdentityModel's
 * `TokenValidationParameters.ClockSkew`.
 */
export const TOKEN_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** The signed-in caller a valid access token names. */
export interface GraphCaller {
  objectId: string;
  tenantId: string;
  appId: string;
  /** Delegated permissions from `scp`. */
  scopes: string[];
}

export const READ_OWN_PRESENCE = ['Presence.Read', 'Presence.ReadWrite', 'Presence.Read.All', 'Presence.ReadWrite.All'];
export const READ_ANY_PRESENCE = ['Presence.Read.All', 'Presence.ReadWrite.All'];
export const WRITE_PRESENCE = ['Presence.ReadWrite', 'Presence.ReadWrite.All'];

/** Returns the caller, or the 401 response for a bad token. */
export function authenticate(context: SandboxContext, call: SandboxCall): GraphCaller | SandboxResponse {
  const now = context.clock.now();
  const challenge = {
    'www-authenticate': `Bearer realm="", authorization_uri="${call.origin}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
  };
  const reject = (message: string): SandboxResponse =>
    graphErrorResponse(call, now, 401, 'InvalidAuthenticationToken', message, challenge);

  const authorization = firstHeader(call, 'authorization');
  if (authorization === undefined || authorization.trim() === '') {
    return reject('Access token is empty.');
  }
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (match?.[1] === undefined) {
    return reject('Authorization header must use the Bearer scheme: "Authorization: Bearer <access token>".');
  }
  const token = match[1];
  context.ledger.add(token);

  const verified = verifyJwt(context.key, token);
  if ('problem' in verified) {
    return reject(
      verified.problem === 'malformed'
        ? 'IDX14100: JWT is not well formed: the token needs three base64url parts.'
        : 'Access token validation failure. Invalid signature: the token was not issued by this sandbox run.',
    );
  }

  const claims = verified.claims;
  if (claims.aud !== GRAPH_AUDIENCE) {
    return reject(`Access token validation failure. Invalid audience '${String(claims.aud)}': expected ${GRAPH_AUDIENCE}.`);
  }
  if (typeof claims.exp !== 'number' || now > claims.exp * 1000 + TOKEN_CLOCK_SKEW_MS) {
    return reject('Lifetime validation failed, the token is expired.');
  }
  if (typeof claims.nbf === 'number' && now < claims.nbf * 1000 - TOKEN_CLOCK_SKEW_MS) {
    return reject('Lifetime validation failed, the token is not yet valid.');
  }
  if (typeof claims.oid !== 'string' || typeof claims.tid !== 'string' || typeof claims.appid !== 'string') {
    return reject('Access token validation failure: the oid, tid or appid claim is missing.');
  }

  return {
    objectId: claims.oid.toLowerCase(),
    tenantId: claims.tid.toLowerCase(),
    appId: claims.appid.toLowerCase(),
    scopes: typeof claims.scp === 'string' ? claims.scp.split(' ').filter((scope) => scope !== '') : [],
  };
}

/**
 * Returns the 403 response when the caller lacks every permission in `anyOf` or signed in
 * with a personal account, else null.
 */
export function checkPermission(
  context: SandboxContext,
  call: SandboxCall,
  caller: GraphCaller,
  anyOf: string[],
): SandboxResponse | null {
  const now = context.clock.now();

  // NOTE: Graph documents that presence does not support personal Microsoft accounts, but
  // not the status and code it returns for them, so 403 Forbidden is a guess.
  if (caller.tenantId === CONSUMER_TENANT_ID) {
    return graphErrorResponse(
      call,
      now,
      403,
      'Forbidden',
      'Presence is not supported for personal Microsoft accounts. Sign in with a work or school account.',
    );
  }

  const granted = caller.scopes.map((scope) => scope.toLowerCase());
  if (anyOf.some((scope) => granted.includes(scope.toLowerCase()))) {
    return null;
  }
  return graphErrorResponse(
    call,
    now,
    403,
    'Forbidden',
    `Missing scope permissions on the request. API requires one of '${anyOf.join(', ')}'. ` +
      `Scopes on the request '${caller.scopes.join(', ')}'.`,
  );
}
