/**
 * Token endpoint errors in Entra's JSON shape. MSAL Node decides between
 * InteractionRequiredAuthError and ServerError from `error` and `suberror`, so those two fields
 * must be exactly what Entra sends. The AADSTS numbers come from Microsoft's error code
 * reference and public reports, and the descriptions are paraphrased. MSAL does not read them,
 * so a wrong number would mislead only a person reading a log.
 */

/** An error as a test or the sandbox specifies it, before trace IDs and times are added. */
export interface TokenErrorSpec {
  error: string;
  error_description: string;
  suberror?: string;
  error_codes?: number[];
}

/** Builds an error whose description starts with `AADSTS<code>:` as Entra's do. */
export function entraError(error: string, code: number | null, text: string, suberror?: string): TokenErrorSpec {
  const spec: TokenErrorSpec = {
    error,
    error_description: code === null ? text : `AADSTS${code}: ${text}`,
  };
  if (code !== null) {
    spec.error_codes = [code];
  }
  if (suberror !== undefined) {
    spec.suberror = suberror;
  }
  return spec;
}

/**
 * Renders the JSON body Entra returns with status 400: the description gains the trace ID,
 * correlation ID and timestamp lines, and `error_codes` is filled from the AADSTS number.
 */
export function renderTokenError(
  spec: TokenErrorSpec,
  context: { nowMs: number; traceId: string; correlationId: string },
): Record<string, unknown> {
  const timestamp = formatEntraTimestamp(context.nowMs);
  const codeInText = /^AADSTS(\d+)/.exec(spec.error_description);
  const errorCodes = spec.error_codes ?? (codeInText?.[1] === undefined ? [] : [Number(codeInText[1])]);

  const body: Record<string, unknown> = {
    error: spec.error,
    error_description:
      `${spec.error_description} Trace ID: ${context.traceId} ` +
      `Correlation ID: ${context.correlationId} Timestamp: ${timestamp}`,
    error_codes: errorCodes,
    timestamp,
    trace_id: context.traceId,
    correlation_id: context.correlationId,
  };
  if (spec.suberror !== undefined) {
    body.suberror = spec.suberror;
  }
  return body;
}

/** Entra writes times as `2026-12-04 09:00:00Z`. */
export function formatEntraTimestamp(nowMs: number): string {
  return new Date(nowMs).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

/** The errors the sandbox's identity endpoints produce. */
export const ENTRA_ERRORS = {
  missingParameter: (name: string) =>
    entraError('invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`),
  unknownTenant: (tenant: string) =>
    entraError('invalid_tenant', 90002, `Tenant '${tenant}' not found. Check the tenant ID or domain in the authority URL.`),
  unknownClient: (clientId: string, tenant: string) =>
    entraError(
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. ` +
        'The app may not be registered in this tenant, or the request went to the wrong tenant.',
    ),
  redirectUriMismatch: (redirectUri: string, clientId: string) =>
    entraError(
      'invalid_request',
      50011,
      `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured ` +
        `for the application '${clientId}'. The sandbox registers http://localhost with any port.`,
    ),
  unsupportedGrantType: (grantType: string) =>
    entraError('unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`),
  invalidScope: (scope: string) =>
    entraError(
      'invalid_scope',
      70011,
      `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid: ` +
        'the sandbox issues tokens for Microsoft Graph only.',
    ),
  invalidCode: () => entraError('invalid_grant', 70000, "The provided value for the input parameter 'code' is not valid."),
  codeRedeemed: () =>
    entraError('invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code.'),
  codeExpired: () => entraError('invalid_grant', 70008, 'The provided authorization code or refresh token has expired.'),
  codeClientMismatch: () =>
    entraError('invalid_grant', 70000, 'The authorization code was issued to another application.'),
  codeRedirectMismatch: () =>
    entraError('invalid_grant', 70000, "The 'redirect_uri' does not match the one used in the authorization request."),
  pkceMismatch: () =>
    entraError('invalid_grant', 50148, 'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.'),
  invalidRefreshToken: () =>
    entraError('invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid: the refresh token is not valid.'),
  refreshTokenRevoked: () =>
    entraError(
      'invalid_grant',
      50173,
      'The provided grant has expired due to it being revoked, a fresh auth token is needed. ' +
        'The user might have changed or reset their password.',
    ),
  refreshTokenInactive: (inactiveDays: number) =>
    entraError(
      'invalid_grant',
      700082,
      `The refresh token has expired due to inactivity. The token was issued and last used more than ${inactiveDays} days ago.`,
    ),
  consentRequired: (clientId: string) =>
    entraError(
      'invalid_grant',
      65001,
      `The user or administrator has not consented to use the application with ID '${clientId}' named ` +
        "'Presence Tray'. Send an interactive authorization request for this user and resource.",
      'consent_required',
    ),
  authorizationPending: () =>
    entraError('authorization_pending', 70016, 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.'),
  deviceCodeExpired: () => entraError('expired_token', 70019, 'Verification code expired. Have the user retry the sign-in.'),
  invalidDeviceCode: () =>
    entraError('invalid_grant', 70000, "The provided value for the input parameter 'device_code' is not valid."),
  deviceCodeRedeemed: () =>
    entraError('invalid_grant', 54005, 'The device code was already redeemed. Start a new device code sign-in.'),
  wrongContentType: () =>
    entraError(
      'invalid_request',
      900144,
      "The request body must contain the following parameter: 'grant_type'. " +
        'Send the form as application/x-www-form-urlencoded.',
    ),
} as const;
