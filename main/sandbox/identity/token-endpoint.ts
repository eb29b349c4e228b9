/** The token endpoint: authorization code with PKCE, refresh token and device code grants. */

import { createHash } from 'node:crypto';
import type { SandboxCall, SandboxContext } from '../call.ts';
import { SANDBOX_CLIENT_ID } from '../directory.ts';
import { jsonResponse, parseForm, type SandboxResponse } from '../http-io.ts';
import { ENTRA_ERRORS, type TokenErrorSpec } from './entra-errors.ts';
import { REFRESH_TOKEN_INACTIVITY_DAYS } from './identity-state.ts';
import { classifyScopes, splitScopes } from './scopes.ts';
import { issueTokens } from './tokens.ts';
import { identityHeaders, tokenErrorResponse } from './identity-responses.ts';

/** Serves the token endpoint; every secret the request carries goes to the secret ledger. */
export function token(context: SandboxContext, call: SandboxCall, tenant: string): SandboxResponse {
  const form = parseForm(call.bodyText);
  for (const name of ['code', 'code_verifier', 'refresh_token', 'device_code']) {
    context.ledger.add(form[name]);
  }

  const clientId = form.client_id;
  if (clientId === undefined || clientId === '') {
    return tokenErrorResponse(context, call, ENTRA_ERRORS.missingParameter('client_id'));
  }
  if (clientId.toLowerCase() !== SANDBOX_CLIENT_ID) {
    return tokenErrorResponse(context, call, ENTRA_ERRORS.unknownClient(clientId, tenant));
  }

  const grantType = form.grant_type;
  if (grantType === undefined || grantType === '') {
    return tokenErrorResponse(context, call, ENTRA_ERRORS.missingParameter('grant_type'));
  }

  let outcome: TokenOutcome;
  switch (grantType) {
    case 'authorization_code':
      outcome = redeemAuthorizationCode(context, form);
      break;
    case 'refresh_token':
      outcome = redeemRefreshToken(context, form);
      break;
    case 'device_code':
    case 'urn:ietf:params:oauth:grant-type:device_code':
      outcome = redeemDeviceCode(context, form);
      break;
    default:
      outcome = { error: ENTRA_ERRORS.unsupportedGrantType(grantType) };
  }

  if ('error' in outcome) {
    return tokenErrorResponse(context, call, outcome.error);
  }
  const body = issueTokens(context, { ...outcome.grant, clientId: SANDBOX_CLIENT_ID, origin: call.origin });
  return jsonResponse(200, body, identityHeaders(call));
}

type TokenOutcome =
  | { grant: { user: SandboxContext['identity']['user']; scopes: string[]; nonce: string | null } }
  | { error: TokenErrorSpec };

function redeemAuthorizationCode(context: SandboxContext, form: Record<string, string>): TokenOutcome {
  const { identity, clock } = context;
  const code = form.code;
  if (code === undefined || code === '') {
    return { error: ENTRA_ERRORS.missingParameter('code') };
  }

  const record = identity.findAuthorizationCode(code);
  if (record === undefined) {
    return { error: ENTRA_ERRORS.invalidCode() };
  }
  if (record.redeemed) {
    return { error: ENTRA_ERRORS.codeRedeemed() };
  }
  if (clock.now() >= record.expiresAt) {
    return { error: ENTRA_ERRORS.codeExpired() };
  }
  if (form.redirect_uri !== record.redirectUri) {
    return { error: ENTRA_ERRORS.codeRedirectMismatch() };
  }

  const verifier = form.code_verifier;
  if (verifier === undefined || verifier === '') {
    return { error: ENTRA_ERRORS.missingParameter('code_verifier') };
  }
  if (createHash('sha256').update(verifier).digest('base64url') !== record.codeChallenge) {
    return { error: ENTRA_ERRORS.pkceMismatch() };
  }

  const scopes = form.scope === undefined ? record.scopes : splitScopes(form.scope);
  const consentProblem = grantConsent(context, record.user, scopes);
  if (consentProblem !== null) {
    return { error: consentProblem };
  }

  record.redeemed = true;
  return { grant: { user: record.user, scopes, nonce: record.nonce } };
}

function redeemRefreshToken(context: SandboxContext, form: Record<string, string>): TokenOutcome {
  const { identity } = context;
  const refreshToken = form.refresh_token;
  if (refreshToken === undefined || refreshToken === '') {
    return { error: ENTRA_ERRORS.missingParameter('refresh_token') };
  }

  const injected = identity.refreshFailures.shift();
  if (injected !== undefined) {
    return { error: injected };
  }

  const record = identity.findRefreshToken(refreshToken);
  if (record === undefined || record.clientId !== SANDBOX_CLIENT_ID) {
    return { error: ENTRA_ERRORS.invalidRefreshToken() };
  }
  if (record.revoked) {
    return { error: ENTRA_ERRORS.refreshTokenRevoked() };
  }
  if (identity.isInactive(record)) {
    return { error: ENTRA_ERRORS.refreshTokenInactive(REFRESH_TOKEN_INACTIVITY_DAYS) };
  }

  const scopes = splitScopes(form.scope);
  if (scopes.length === 0) {
    return { error: ENTRA_ERRORS.missingParameter('scope') };
  }
  const foreign = classifyScopes(scopes).foreign[0];
  if (foreign !== undefined) {
    return { error: ENTRA_ERRORS.invalidScope(foreign) };
  }

  // A refresh cannot gain permissions the user never consented to.
  const permissions = classifyScopes(scopes).graph;
  if (identity.adminConsentRequired || !identity.hasConsent(record.user, SANDBOX_CLIENT_ID, permissions)) {
    return { error: ENTRA_ERRORS.consentRequired(SANDBOX_CLIENT_ID) };
  }

  // Entra rotates refresh tokens: the response carries a new one, and the old one stays
  // valid until it expires on its own.
  record.lastUsedAt = context.clock.now();
  return { grant: { user: record.user, scopes, nonce: null } };
}

function redeemDeviceCode(context: SandboxContext, form: Record<string, string>): TokenOutcome {
  const deviceCodeValue = form.device_code;
  if (deviceCodeValue === undefined || deviceCodeValue === '') {
    return { error: ENTRA_ERRORS.missingParameter('device_code') };
  }

  const record = context.identity.findDeviceCode(deviceCodeValue);
  if (record === undefined || record.clientId !== SANDBOX_CLIENT_ID) {
    return { error: ENTRA_ERRORS.invalidDeviceCode() };
  }
  if (record.redeemed) {
    return { error: ENTRA_ERRORS.deviceCodeRedeemed() };
  }
  if (context.clock.now() >= record.expiresAt) {
    return { error: ENTRA_ERRORS.deviceCodeExpired() };
  }
  if (record.approvedBy === null) {
    return { error: ENTRA_ERRORS.authorizationPending() };
  }

  const consentProblem = grantConsent(context, record.approvedBy, record.scopes);
  if (consentProblem !== null) {
    return { error: consentProblem };
  }

  record.redeemed = true;
  return { grant: { user: record.approvedBy, scopes: record.scopes, nonce: null } };
}

/**
 * Records the user's consent to the requested Graph permissions, as the consent prompt of an
 * interactive or device code sign-in does. While admin consent is required, it returns the
 * consent_required error instead.
 */
function grantConsent(
  context: SandboxContext,
  user: SandboxContext['identity']['user'],
  scopes: string[],
): TokenErrorSpec | null {
  const { graph, foreign } = classifyScopes(scopes);
  if (foreign[0] !== undefined) {
    return ENTRA_ERRORS.invalidScope(foreign[0]);
  }
  if (context.identity.adminConsentRequired) {
    return ENTRA_ERRORS.consentRequired(SANDBOX_CLIENT_ID);
  }
  context.identity.grantConsent(user, SANDBOX_CLIENT_ID, graph);
  return null;
}
