/**
 * The sign-in error vocabulary: every failure of MSAL or of our sign-in wrapper becomes one
 * `AuthError` whose `kind` determines what the app shows and whether it retries. Messages name the
 * value that failed and the next step. They pass through the log's secret filter, and MSAL's
 * error text is never attached, so a token, code or refresh token does not reach them.
 */

import { InteractionRequiredAuthError, ServerError } from '@azure/msal-node';

import { redactSecrets } from '../log.ts';

export type AuthErrorKind =
  /** No usable account or refresh token: the user must sign in again. */
  | 'signed-out'
  /**
   * The identity platform wants the user in a browser (MFA, terms of use) before a token.
   * NOTE: `toAuthError` does not produce it: every `InteractionRequiredAuthError` maps to
   * `signed-out`, because a new sign-in is the app's only remedy for both.
   */
  | 'interaction-required'
  /** The tenant does not let users consent to the app; an admin must approve it once. */
  | 'admin-consent-needed'
  /** A personal Microsoft account signed in; Graph presence supports work or school accounts only. */
  | 'personal-account'
  /** Network, proxy or server trouble; the same call may work later. */
  | 'transient'
  | 'cancelled'
  | 'timeout'
  /** Wrong authority, client ID, scope or app registration; retrying will not help. */
  | 'configuration';

export interface AuthErrorDetails {
  adminConsentUrl?: string;
  tenantId?: string;
  /** MSAL's `errorCode` (for example `invalid_grant`), for logs and support. */
  msalErrorCode?: string;
  /** The first AADSTS code of a server error, for example `AADSTS700082`. */
  aadstsCode?: string;
  correlationId?: string;
}

/** A sign-in failure the app can act on by `kind`. */
export class AuthError extends Error {
  readonly kind: AuthErrorKind;
  readonly adminConsentUrl?: string;
  readonly tenantId?: string;
  readonly msalErrorCode?: string;
  readonly aadstsCode?: string;
  readonly correlationId?: string;

  constructor(kind: AuthErrorKind, message: string, details: AuthErrorDetails = {}) {
    super(redactSecrets(message));
    this.name = 'AuthError';
    this.kind = kind;
    this.adminConsentUrl = details.adminConsentUrl;
    this.tenantId = details.tenantId;
    this.msalErrorCode = details.msalErrorCode;
    this.aadstsCode = details.aadstsCode;
    this.correlationId = details.correlationId;
  }
}

/** Tenant ID that Entra puts in the `tid` claim of ID tokens for personal Microsoft accounts. */
export const CONSUMER_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

/** Facts about the failed sign-in that the mapping uses. */
export interface AuthErrorContext {
  clientId: string;
  /** The configured authority URL, for example `https://login.microsoftonline.com/organizations`. */
  authority: string;
  scopes: readonly string[];
  /** Tenant of the signed-in account when known; otherwise the authority's tenant is used. */
  tenantId?: string | null;
  username?: string | null;
  /** MSAL's own log line that explains an `endpoints_resolution_error`, when one was seen. */
  discoveryCause?: string | null;
}

/** Tenant values that stand for "any work or school tenant" rather than one directory. */
const MULTI_TENANT_SEGMENTS = new Set(['organizations', 'common', 'consumers']);

/** Returns the first path segment of the authority: a tenant GUID, domain or `organizations`. */
export function authorityTenant(authority: string): string {
  const segment = new URL(authority).pathname.split('/').find((part) => part !== '');
  return segment ?? 'organizations';
}

/**
 * Builds the admin-consent URL for `clientId` in `tenant` on the authority's host, so the
 * sandbox's own host is used in tests and `login.microsoftonline.com` in production.
 */
export function adminConsentUrl(authority: string, tenant: string, clientId: string): string {
  const origin = new URL(authority).origin;
  return `${origin}/${encodeURIComponent(tenant)}/adminconsent?client_id=${encodeURIComponent(clientId)}`;
}

/** Returns the error for an account whose `tid` is the consumer tenant. */
export function personalAccountError(username: string): AuthError {
  return new AuthError(
    'personal-account',
    `Presence needs a work or school account; ${username} is a personal Microsoft account. ` +
      'Sign out and sign in with the account you use for Teams.',
    { tenantId: CONSUMER_TENANT_ID },
  );
}

/** MSAL error fields read by the mapping; every MSAL `AuthError` has them. */
interface MsalErrorFields {
  errorCode: string;
  errorMessage: string;
  subError: string;
  correlationId: string;
  errorNo?: string;
  status?: number;
}

function isMsalError(error: unknown): error is Error & MsalErrorFields {
  return error instanceof Error && typeof (error as Partial<MsalErrorFields>).errorCode === 'string';
}

/** Server errors that mean the identity platform is briefly unavailable (RFC 6749 section 5.2). */
const TRANSIENT_SERVER_CODES = new Set(['temporarily_unavailable', 'server_error']);

/** Client-side MSAL codes for a request that never got a response. */
const TRANSIENT_CLIENT_CODES = new Set(['network_error', 'post_request_failed', 'loopback_server_timeout']);

/** Words in a discovery failure's cause that point at the network rather than the configuration. */
const NETWORK_CAUSE = /fetch failed|network|socket|timed? ?out|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|proxy/i;

/** Device-code polling errors, as MSAL puts the server's `error` into `post_request_failed`. */
const DEVICE_CODE_EXPIRED = new Set(['expired_token', 'code_expired']);
const DEVICE_CODE_DECLINED = new Set(['authorization_declined', 'access_denied']);

function findAadstsCode(error: MsalErrorFields): string | undefined {
  if (error.errorNo !== undefined && /^\d+$/.test(error.errorNo)) {
    return `AADSTS${error.errorNo}`;
  }
  return /AADSTS\d+/.exec(error.errorMessage)?.[0];
}

/** Returns the server's description without MSAL's trailing ids, shortened for a message. */
function shortDescription(error: MsalErrorFields): string {
  const match = /Description: (.*?)(?: - Correlation ID:|$)/s.exec(error.errorMessage);
  // Entra appends "Trace ID: ... Correlation ID: ... Timestamp: ..." on a new line or after a space.
  const firstLine = (match?.[1] ?? error.errorMessage).split(/\r?\n/)[0] ?? '';
  const text = firstLine.replace(/\s*Trace ID:.*$/, '').trim();
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

function isConsentError(error: MsalErrorFields, aadstsCode: string | undefined): boolean {
  return error.errorCode === 'consent_required' || error.subError === 'consent_required' || aadstsCode === 'AADSTS65001';
}

function describeCode(error: MsalErrorFields, aadstsCode: string | undefined): string {
  return aadstsCode === undefined ? error.errorCode : `${error.errorCode}, ${aadstsCode}`;
}

/**
 * Maps anything thrown during sign-in or token acquisition to an `AuthError`. An `AuthError`
 * passes through unchanged. The original error is not attached as `cause`, because MSAL errors
 * can carry server text that the app should not show or log verbatim.
 */
export function toAuthError(error: unknown, context: AuthErrorContext): AuthError {
  if (error instanceof AuthError) {
    return error;
  }

  if (!isMsalError(error)) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return new AuthError('transient', `Sign-in failed at ${context.authority}: ${text}. Try again; check the network or proxy if it repeats.`);
  }

  const aadstsCode = findAadstsCode(error);
  const details: AuthErrorDetails = {
    msalErrorCode: error.errorCode,
    aadstsCode,
    correlationId: error.correlationId === '' ? undefined : error.correlationId,
  };
  const code = describeCode(error, aadstsCode);
  const account = context.username ?? 'the account';

  // Consent first: MSAL reports consent_required as InteractionRequiredAuthError, but a user
  // cannot fix it by signing in again; only an admin of the tenant can.
  if (isConsentError(error, aadstsCode)) {
    const tenant = context.tenantId ?? authorityTenant(context.authority);
    const where = MULTI_TENANT_SEGMENTS.has(tenant) ? "in your organization's tenant" : `in tenant ${tenant}`;
    return new AuthError(
      'admin-consent-needed',
      `Sign-in needs admin consent ${where}: ask an admin to approve ${context.scopes.join(', ')} for app ${context.clientId} (${code}).`,
      { ...details, tenantId: tenant, adminConsentUrl: adminConsentUrl(context.authority, tenant, context.clientId) },
    );
  }

  // A bare invalid_grant (refresh token expired or revoked) is a ServerError, not an
  // InteractionRequiredAuthError, in MSAL Node 7.2.4; both mean the refresh token is useless.
  if (error instanceof InteractionRequiredAuthError || (error instanceof ServerError && error.errorCode === 'invalid_grant')) {
    return new AuthError('signed-out', `Sign-in for ${account} is no longer valid (${code}): sign in again.`, details);
  }

  if (error.errorCode === 'endpoints_resolution_error') {
    const cause = context.discoveryCause ?? 'no cause was logged';
    if (NETWORK_CAUSE.test(cause)) {
      return new AuthError(
        'transient',
        `Could not reach the sign-in service at ${context.authority} (${code}): ${cause}. Check the network, proxy and TLS trust; the call can be retried.`,
        details,
      );
    }
    return new AuthError(
      'configuration',
      `Could not read the sign-in endpoints of authority ${context.authority} (${code}): ${cause}. Check the authority URL and the known authorities.`,
      details,
    );
  }

  if (error.errorCode === 'device_code_polling_cancelled') {
    return new AuthError('cancelled', 'Device code sign-in was cancelled.', details);
  }
  if (error.errorCode === 'user_timeout_reached' || error.errorCode === 'device_code_expired') {
    return new AuthError('timeout', 'The device code expired before sign-in finished: start sign-in again and enter the new code.', details);
  }
  if (error.errorCode === 'post_request_failed' && DEVICE_CODE_EXPIRED.has(error.errorMessage)) {
    return new AuthError('timeout', 'The device code expired before sign-in finished: start sign-in again and enter the new code.', details);
  }
  if (error.errorCode === 'post_request_failed' && DEVICE_CODE_DECLINED.has(error.errorMessage)) {
    return new AuthError('cancelled', `Sign-in was declined for app ${context.clientId} (${error.errorMessage}).`, details);
  }
  if (error instanceof ServerError && error.errorCode === 'access_denied') {
    return new AuthError('cancelled', `Sign-in was cancelled or denied in the browser (${code}).`, details);
  }

  const status = error instanceof ServerError ? error.status : undefined;
  if (TRANSIENT_CLIENT_CODES.has(error.errorCode) || TRANSIENT_SERVER_CODES.has(error.errorCode) || (status !== undefined && status >= 500)) {
    return new AuthError(
      'transient',
      `The sign-in service at ${context.authority} did not answer the token request (${code}). Check the network or proxy; the call can be retried.`,
      details,
    );
  }

  if (error instanceof ServerError) {
    const description = shortDescription(error);
    const suffix = description === '' ? '' : `: ${description}`;
    return new AuthError(
      'configuration',
      `The sign-in service rejected the request for app ${context.clientId} (${code})${suffix}. Check the client ID, tenant and app registration.`,
      details,
    );
  }

  return new AuthError(
    'configuration',
    `Sign-in failed for app ${context.clientId} at ${context.authority} (${code}). Check the authority and client ID settings.`,
    details,
  );
}
