/**
 * Gets tokens from the sandbox without MSAL: the authorization code flow with PKCE done with
 * plain HTTP requests. For Graph tests that need an access token but are not about sign-in.
 */

import { createHash, randomBytes } from 'node:crypto';
import { SANDBOX_CLIENT_ID } from './directory.ts';
import { sendRequest } from './http-client.ts';
import { readFormPost, SandboxSignInError } from './sign-in-browser.ts';

export interface SandboxTokens {
  accessToken: string;
  refreshToken: string | null;
  idToken: string | null;
  /** The `scope` field of the token response. */
  scope: string;
  expiresIn: number;
}

export interface DirectSignInOptions {
  /** Default `Presence.ReadWrite openid profile offline_access`, as MSAL sends it. */
  scopes?: string[];
  clientId?: string;
}

/** Signs in the sandbox's current user and returns the token response. */
export async function acquireSandboxTokens(
  sandbox: { authority: string; caPem: string },
  options: DirectSignInOptions = {},
): Promise<SandboxTokens> {
  const scope = (options.scopes ?? ['Presence.ReadWrite', 'openid', 'profile', 'offline_access']).join(' ');
  const clientId = options.clientId ?? SANDBOX_CLIENT_ID;
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  // Nothing listens here: the form_post page is read directly instead of being submitted.
  const redirectUri = 'http://localhost:1';

  const authorizeUrl = new URL(`${sandbox.authority}/oauth2/v2.0/authorize`);
  authorizeUrl.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    response_mode: 'form_post',
    redirect_uri: redirectUri,
    scope,
    state: randomBytes(8).toString('hex'),
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();

  const page = await sendRequest(authorizeUrl.toString(), { ca: sandbox.caPem });
  const code = readFormPost(page.body)?.fields.code;
  if (code === undefined) {
    throw new SandboxSignInError(`The sandbox authorize endpoint returned no code (status ${page.status}).`);
  }

  const response = await sendRequest(`${sandbox.authority}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: clientId,
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: redirectUri,
      scope,
    }).toString(),
    ca: sandbox.caPem,
  });
  const body = JSON.parse(response.body) as Record<string, unknown>;
  if (response.status !== 200 || typeof body.access_token !== 'string') {
    throw new SandboxSignInError(`The sandbox token endpoint returned ${response.status}: ${String(body.error_description ?? response.body)}`);
  }

  return {
    accessToken: body.access_token,
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : null,
    idToken: typeof body.id_token === 'string' ? body.id_token : null,
    scope: String(body.scope ?? ''),
    expiresIn: Number(body.expires_in),
  };
}
