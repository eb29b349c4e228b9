/**
 * The Microsoft identity platform v2.0 endpoints MSAL Node 7 calls: OpenID discovery, JWKS,
 * authorize (form_post only), token (authorization code with PKCE, refresh token, device
 * code) and devicecode, plus the device login page a person would visit.
 */

import type { SandboxCall, SandboxContext } from '../call.ts';
import { firstHeader } from '../call.ts';
import { isGuid, SANDBOX_TENANT_ID, TENANT_ALIASES } from '../directory.ts';
import { htmlResponse, jsonResponse, mediaType, type SandboxResponse } from '../http-io.ts';
import type { IdentityAction } from '../routes.ts';
import { ENTRA_ERRORS, entraError } from './entra-errors.ts';
import { jsonWebKeySet } from './jwt.ts';
import { errorPage, messagePage } from './pages.ts';
import { tokenErrorResponse } from './identity-responses.ts';
import { authorize } from './authorize-endpoint.ts';
import { token } from './token-endpoint.ts';
import { deviceCode, deviceLogin } from './device-code-endpoints.ts';

/** Routes an identity request to its endpoint after checking the tenant in the path. */
export function handleIdentity(
  context: SandboxContext,
  call: SandboxCall,
  action: IdentityAction,
  tenant: string | null,
): SandboxResponse {
  if (tenant !== null && action !== 'instance-discovery' && !isKnownTenant(context, tenant)) {
    return action === 'authorize'
      ? htmlResponse(400, errorPage('Sign-in failed', ENTRA_ERRORS.unknownTenant(tenant).error_description))
      : tokenErrorResponse(context, call, ENTRA_ERRORS.unknownTenant(tenant));
  }

  switch (action) {
    case 'openid-configuration':
      return requireGet(call, () => openIdConfiguration(call, tenant ?? 'common'));
    case 'jwks':
      return requireGet(call, () => jsonResponse(200, jsonWebKeySet(context.key)));
    case 'instance-discovery':
      return requireGet(call, () => instanceDiscovery(call));
    case 'authorize':
      return requireGet(call, () => authorize(context, call, tenant ?? 'common'));
    case 'token':
      return requirePost(context, call, () => token(context, call, tenant ?? 'common'));
    case 'devicecode':
      return requirePost(context, call, () => deviceCode(context, call, tenant ?? 'common'));
    case 'devicelogin':
      return deviceLogin(context, call);
    case 'logout':
      return htmlResponse(200, messagePage('Signed out', 'You signed out of the Presence Tray sandbox.'));
  }
}

function isKnownTenant(context: SandboxContext, tenant: string): boolean {
  const lower = tenant.toLowerCase();
  return (
    (TENANT_ALIASES as readonly string[]).includes(lower) ||
    lower === SANDBOX_TENANT_ID ||
    lower === context.identity.user.tenantId.toLowerCase()
  );
}

function requireGet(call: SandboxCall, handle: () => SandboxResponse): SandboxResponse {
  if (call.method !== 'GET') {
    return jsonResponse(405, { error: 'invalid_request', error_description: `Use GET for ${call.path}.` }, { allow: 'GET' });
  }
  return handle();
}

function requirePost(context: SandboxContext, call: SandboxCall, handle: () => SandboxResponse): SandboxResponse {
  if (call.method !== 'POST') {
    return tokenErrorResponse(context, call, entraError('invalid_request', null, `Use POST for ${call.path}.`), 405);
  }
  if (mediaType(firstHeader(call, 'content-type')) !== 'application/x-www-form-urlencoded') {
    return tokenErrorResponse(context, call, ENTRA_ERRORS.wrongContentType());
  }
  return handle();
}

/** Returns the discovery document. For `common` and other aliases the issuer has `{tenantid}`, as Entra's does. */
function openIdConfiguration(call: SandboxCall, tenant: string): SandboxResponse {
  const base = `${call.origin}/${tenant}`;
  const issuerTenant = isGuid(tenant) ? tenant : '{tenantid}';

  return jsonResponse(200, {
    issuer: `${call.origin}/${issuerTenant}/v2.0`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    token_endpoint: `${base}/oauth2/v2.0/token`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    jwks_uri: `${base}/discovery/v2.0/keys`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    code_challenge_methods_supported: ['plain', 'S256'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'name', 'nonce', 'oid', 'preferred_username', 'tid', 'ver'],
    request_uri_parameter_supported: false,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
  });
}

function instanceDiscovery(call: SandboxCall): SandboxResponse {
  const host = new URL(call.origin).host;
  let tenant = 'common';
  const endpoint = call.query.get('authorization_endpoint');
  if (endpoint !== null) {
    try {
      tenant = new URL(endpoint).pathname.split('/')[1] || 'common';
    } catch {
      // A malformed endpoint parameter falls back to `common`, as the parameter is optional.
    }
  }

  return jsonResponse(200, {
    tenant_discovery_endpoint: `${call.origin}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  });
}
