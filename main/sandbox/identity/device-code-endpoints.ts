/** The devicecode endpoint and the device login page at `verification_uri`. */

import type { SandboxCall, SandboxContext } from '../call.ts';
import { SANDBOX_CLIENT_ID } from '../directory.ts';
import { htmlResponse, jsonResponse, parseForm, type SandboxResponse } from '../http-io.ts';
import { ENTRA_ERRORS } from './entra-errors.ts';
import { DEVICE_CODE_LIFETIME_SECONDS, SandboxControlError } from './identity-state.ts';
import { deviceLoginPage, messagePage } from './pages.ts';
import { classifyScopes, splitScopes } from './scopes.ts';
import { identityHeaders, tokenErrorResponse } from './identity-responses.ts';

/** Polling interval sent with device codes; Entra sends 5 s, the sandbox 1 s to keep tests short. */
const DEVICE_CODE_INTERVAL_SECONDS = 1;
/** Serves the devicecode endpoint: a new device code and user code for the requested scopes. */
export function deviceCode(context: SandboxContext, call: SandboxCall, tenant: string): SandboxResponse {
  const form = parseForm(call.bodyText);
  const clientId = form.client_id;
  if (clientId === undefined || clientId === '') {
    return tokenErrorResponse(context, call, ENTRA_ERRORS.missingParameter('client_id'));
  }
  if (clientId.toLowerCase() !== SANDBOX_CLIENT_ID) {
    return tokenErrorResponse(context, call, ENTRA_ERRORS.unknownClient(clientId, tenant));
  }

  const scopes = splitScopes(form.scope);
  if (scopes.length === 0) {
    return tokenErrorResponse(context, call, ENTRA_ERRORS.missingParameter('scope'));
  }
  const foreign = classifyScopes(scopes).foreign[0];
  if (foreign !== undefined) {
    return tokenErrorResponse(context, call, ENTRA_ERRORS.invalidScope(foreign));
  }

  const record = context.identity.issueDeviceCode(SANDBOX_CLIENT_ID, scopes);
  const verificationUri = `${call.origin}/devicelogin`;
  return jsonResponse(
    200,
    {
      user_code: record.userCode,
      device_code: record.deviceCode,
      verification_uri: verificationUri,
      expires_in: DEVICE_CODE_LIFETIME_SECONDS,
      interval: DEVICE_CODE_INTERVAL_SECONDS,
      message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${record.userCode} to authenticate.`,
    },
    identityHeaders(call),
  );
}

/** Serves the page at `verification_uri`: GET shows a code form, POST approves the code as the current user. */
export function deviceLogin(context: SandboxContext, call: SandboxCall): SandboxResponse {
  if (call.method === 'GET') {
    return htmlResponse(200, deviceLoginPage(null));
  }
  if (call.method !== 'POST') {
    return htmlResponse(405, messagePage('Method not allowed', 'Use GET or POST for /devicelogin.'), { allow: 'GET, POST' });
  }

  const userCode = parseForm(call.bodyText).user_code ?? '';
  try {
    const approved = context.identity.approveDeviceCode(userCode);
    return htmlResponse(
      200,
      messagePage('You are signed in', `Code ${approved} approved for ${context.identity.user.username}. You can close this window.`),
    );
  } catch (error) {
    if (error instanceof SandboxControlError) {
      return htmlResponse(400, deviceLoginPage(error.message));
    }
    throw error;
  }
}
