/**
 * The token endpoint's success response, with the fields MSAL Node 7 reads: access token,
 * refresh token, ID token, client_info, scope and lifetimes.
 */

import { createHash, randomUUID } from 'node:crypto';
import type { SandboxClock } from '../clock.ts';
import type { SandboxUserProfile } from '../directory.ts';
import { base64UrlJson } from '../http-io.ts';
import type { SecretLedger } from '../secret-ledger.ts';
import type { IdentityState } from './identity-state.ts';
import { signJwt, type SigningKey } from './jwt.ts';
import { classifyScopes } from './scopes.ts';

/** The audience of Graph access tokens. */
export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';

/** ID tokens last one hour in Entra. */
const ID_TOKEN_LIFETIME_SECONDS = 3600;

export interface TokenIssuer {
  clock: SandboxClock;
  key: SigningKey;
  identity: IdentityState;
  ledger: SecretLedger;
}

export interface TokenGrant {
  user: SandboxUserProfile;
  clientId: string;
  /** Scopes as the client requested them. */
  scopes: string[];
  /** The `nonce` of the authorize request; the ID token carries it only when there was one. */
  nonce: string | null;
  /** `https://host:port` as the client addressed the sandbox. */
  origin: string;
}

/** Builds the 200 JSON body for a successful grant. */
export function issueTokens(issuer: TokenIssuer, grant: TokenGrant): Record<string, unknown> {
  const { clock, key, identity, ledger } = issuer;
  const nowSeconds = Math.floor(clock.now() / 1000);
  const lifetime = identity.accessTokenLifetimeSeconds;
  const { oidc, graph, resource } = classifyScopes(grant.scopes);
  const { user } = grant;

  const accessToken = signJwt(key, {
    aud: GRAPH_AUDIENCE,
    iss: `https://sts.windows.net/${user.tenantId}/`,
    iat: nowSeconds,
    nbf: nowSeconds,
    exp: nowSeconds + lifetime,
    appid: grant.clientId,
    appidacr: '0',
    idtyp: 'user',
    name: user.displayName,
    oid: user.objectId,
    scp: graph.join(' '),
    sub: pairwiseSubject(user.objectId, GRAPH_AUDIENCE),
    tid: user.tenantId,
    unique_name: user.username,
    upn: user.username,
    uti: randomUUID(),
    ver: '1.0',
  });
  ledger.add(accessToken);

  // MSAL files the access token under this scope string and looks it up with the scopes the
  // app requests, so resource scopes keep the client's spelling. Entra never echoes offline_access.
  const echoedScopes = [...resource, ...oidc.filter((scope) => scope !== 'offline_access')];
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: echoedScopes.join(' '),
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: accessToken,
  };

  if (oidc.includes('offline_access')) {
    body.refresh_token = identity.issueRefreshToken(grant.clientId, user);
  }

  if (oidc.includes('openid')) {
    const idClaims: Record<string, unknown> = {
      aud: grant.clientId,
      iss: `${grant.origin}/${user.tenantId}/v2.0`,
      iat: nowSeconds,
      nbf: nowSeconds,
      exp: nowSeconds + ID_TOKEN_LIFETIME_SECONDS,
      name: user.displayName,
      oid: user.objectId,
      preferred_username: user.username,
      sub: pairwiseSubject(user.objectId, grant.clientId),
      tid: user.tenantId,
      ver: '2.0',
    };
    if (grant.nonce !== null) {
      idClaims.nonce = grant.nonce;
    }
    const idToken = signJwt(key, idClaims);
    ledger.add(idToken);
    body.id_token = idToken;
  }

  body.client_info = base64UrlJson({ uid: user.objectId, utid: user.tenantId });
  return body;
}

/** Entra's `sub` differs per app for one user; a hash of both IDs keeps that property. */
function pairwiseSubject(objectId: string, audience: string): string {
  return createHash('sha256').update(`${objectId}|${audience}`).digest('base64url').slice(0, 43);
}
