/** The authorize endpoint, which returns the form_post page MSAL Node 7 requires. */

import type { SandboxCall, SandboxContext } from '../call.ts';
import { SANDBOX_CLIENT_ID } from '../directory.ts';
import { htmlResponse, type SandboxResponse } from '../http-io.ts';
import { ENTRA_ERRORS, entraError, type TokenErrorSpec } from './entra-errors.ts';
import { errorPage, formPostPage } from './pages.ts';
import { classifyScopes, splitScopes } from './scopes.ts';

const PROMPT_VALUES = ['login', 'none', 'consent', 'select_account', 'create'];

const CODE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
/**
 * Serves the authorize endpoint. Problems with the client or redirect URI show an error page,
 * as Entra does, because the response cannot safely go back. Every later problem goes back to
 * the app through the form_post page.
 */
export function authorize(context: SandboxContext, call: SandboxCall, tenant: string): SandboxResponse {
  const query = call.query;
  const clientId = query.get('client_id');
  const redirectUri = query.get('redirect_uri');

  if (clientId === null || clientId === '') {
    return htmlResponse(400, errorPage('Sign-in failed', ENTRA_ERRORS.missingParameter('client_id').error_description));
  }
  if (clientId.toLowerCase() !== SANDBOX_CLIENT_ID) {
    return htmlResponse(400, errorPage('Sign-in failed', ENTRA_ERRORS.unknownClient(clientId, tenant).error_description));
  }
  if (redirectUri === null || redirectUri === '') {
    return htmlResponse(400, errorPage('Sign-in failed', ENTRA_ERRORS.missingParameter('redirect_uri').error_description));
  }
  if (!isLoopbackRedirectUri(redirectUri)) {
    return htmlResponse(400, errorPage('Sign-in failed', ENTRA_ERRORS.redirectUriMismatch(redirectUri, clientId).error_description));
  }

  const state = query.get('state');
  const backToApp = (fields: Record<string, string>): SandboxResponse => {
    const withState = state === null ? fields : { ...fields, state };
    return htmlResponse(200, formPostPage(redirectUri, withState));
  };
  const failure = (spec: TokenErrorSpec): SandboxResponse =>
    backToApp({ error: spec.error, error_description: spec.error_description });

  const problem = checkAuthorizeParameters(query);
  if (problem !== null) {
    return failure(problem);
  }

  const scopes = splitScopes(query.get('scope') ?? undefined);
  const foreign = classifyScopes(scopes).foreign[0];
  if (foreign !== undefined) {
    return failure(ENTRA_ERRORS.invalidScope(foreign));
  }

  const user = context.identity.user;
  const code = context.identity.issueAuthorizationCode({
    clientId: SANDBOX_CLIENT_ID,
    redirectUri,
    scopes,
    codeChallenge: query.get('code_challenge') ?? '',
    nonce: query.get('nonce'),
    user: { ...user },
  });

  return backToApp({
    code,
    client_info: Buffer.from(JSON.stringify({ uid: user.objectId, utid: user.tenantId })).toString('base64url'),
  });
}

/** Entra registers `http://localhost` for desktop apps and ignores the port. */
function isLoopbackRedirectUri(uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  return (
    url.protocol === 'http:' &&
    url.hostname === 'localhost' &&
    url.pathname === '/' &&
    url.search === '' &&
    url.hash === '' &&
    url.username === '' &&
    url.password === ''
  );
}

function checkAuthorizeParameters(query: URLSearchParams): TokenErrorSpec | null {
  const responseType = query.get('response_type');
  if (responseType === null) {
    return ENTRA_ERRORS.missingParameter('response_type');
  }
  if (responseType !== 'code') {
    return entraError('unsupported_response_type', null, `The sandbox supports only response_type=code, not '${responseType}'.`);
  }

  // MSAL Node 7 reads the authorization response only from a form_post body.
  const responseMode = query.get('response_mode');
  if (responseMode !== 'form_post') {
    return entraError(
      'invalid_request',
      null,
      `The sandbox answers only with response_mode=form_post (received '${responseMode ?? ''}'), as MSAL Node 7 requires.`,
    );
  }

  if (query.get('scope') === null || query.get('scope') === '') {
    return ENTRA_ERRORS.missingParameter('scope');
  }

  const challenge = query.get('code_challenge');
  if (challenge === null) {
    return entraError('invalid_request', null, 'The sandbox requires PKCE: the code_challenge parameter is missing.');
  }
  if (query.get('code_challenge_method') !== 'S256') {
    return entraError('invalid_request', null, "The sandbox requires code_challenge_method=S256.");
  }
  if (!CODE_CHALLENGE.test(challenge)) {
    return entraError('invalid_request', null, 'The code_challenge is not a base64url SHA-256 hash (43 characters).');
  }

  const prompt = query.get('prompt');
  if (prompt !== null && !PROMPT_VALUES.includes(prompt)) {
    return entraError('invalid_request', null, `Invalid prompt '${prompt}': use one of ${PROMPT_VALUES.join(', ')}.`);
  }
  return null;
}
