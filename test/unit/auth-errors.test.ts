import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { AuthError as MsalAuthError, ClientAuthError, ClientConfigurationError, InteractionRequiredAuthError, ServerError } from '@azure/msal-node';

import {
  adminConsentUrl,
  AuthError,
  authorityTenant,
  CONSUMER_TENANT_ID,
  personalAccountError,
  toAuthError,
  type AuthErrorContext,
} from '../../main/core/auth/auth-errors.ts';

const CLIENT_ID = '0d3f5a8e-2b1c-4f6e-9a7d-1c2b3a4d5e6f';

const context: AuthErrorContext = {
  clientId: CLIENT_ID,
  authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
  scopes: ['Presence.ReadWrite'],
  username: 'adele@contoso.onmicrosoft.com',
};

/** Builds a token-endpoint error the way MSAL does from a response body. */
function serverError(error: string, description: string, suberror?: string, errorNo?: string): ServerError {
  return new ServerError(error, 'corr-1', `Error(s): ${errorNo ?? 'N/A'} - Timestamp: N/A - Description: ${description} - Correlation ID: corr-1 - Trace ID: N/A`, suberror, errorNo);
}

describe('toAuthError', () => {
  it('maps bare invalid_grant to signed-out', () => {
    const mapped = toAuthError(serverError('invalid_grant', 'AADSTS700082: The refresh token has expired due to inactivity.', undefined, '700082'), context);

    assert.equal(mapped.kind, 'signed-out');
    assert.equal(mapped.aadstsCode, 'AADSTS700082');
    assert.match(mapped.message, /adele@contoso\.onmicrosoft\.com/);
    assert.match(mapped.message, /sign in again/);
  });

  it('maps InteractionRequiredAuthError to signed-out', () => {
    const error = new InteractionRequiredAuthError('invalid_grant', 'corr-2', 'AADSTS50173: revoked', 'bad_token');

    assert.equal(toAuthError(error, context).kind, 'signed-out');
  });

  it('maps no_tokens_found to signed-out', () => {
    const error = new InteractionRequiredAuthError('no_tokens_found', 'corr-3');

    assert.equal(toAuthError(error, context).kind, 'signed-out');
  });

  it('maps consent_required to admin consent', () => {
    const error = new InteractionRequiredAuthError('consent_required', 'corr-4', 'AADSTS65001: The user or administrator has not consented.');

    const mapped = toAuthError(error, context);

    assert.equal(mapped.kind, 'admin-consent-needed');
    assert.equal(mapped.tenantId, 'contoso.onmicrosoft.com');
    assert.equal(mapped.adminConsentUrl, `https://login.microsoftonline.com/contoso.onmicrosoft.com/adminconsent?client_id=${CLIENT_ID}`);
    assert.match(mapped.message, /^Sign-in needs admin consent in tenant contoso\.onmicrosoft\.com: ask an admin to approve Presence\.ReadWrite for app /);
  });

  it('maps AADSTS65001 in invalid_grant to admin consent', () => {
    const mapped = toAuthError(serverError('invalid_grant', 'AADSTS65001: consent', undefined, '65001'), context);

    assert.equal(mapped.kind, 'admin-consent-needed');
  });

  it('prefers the known tenant ID for consent', () => {
    const error = new InteractionRequiredAuthError('consent_required', 'corr-5');
    const tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47';

    const mapped = toAuthError(error, { ...context, authority: 'https://127.0.0.1:8443/organizations', tenantId });

    assert.equal(mapped.adminConsentUrl, `https://127.0.0.1:8443/${tenantId}/adminconsent?client_id=${CLIENT_ID}`);
  });

  it('words consent for a multi-tenant authority', () => {
    const error = new InteractionRequiredAuthError('consent_required', 'corr-6');

    const mapped = toAuthError(error, { ...context, authority: 'https://login.microsoftonline.com/organizations' });

    assert.match(mapped.message, /in your organization's tenant/);
    assert.equal(mapped.adminConsentUrl, `https://login.microsoftonline.com/organizations/adminconsent?client_id=${CLIENT_ID}`);
  });

  it('maps network_error to transient', () => {
    const error = new ClientAuthError('network_error', 'corr-7');

    assert.equal(toAuthError(error, context).kind, 'transient');
  });

  it('maps an MSAL network client error to transient', () => {
    const error = new MsalAuthError('network_error', 'Network request to https://127.0.0.1:1/ failed: ECONNREFUSED');

    assert.equal(toAuthError(error, context).kind, 'transient');
  });

  it('maps temporarily_unavailable to transient', () => {
    assert.equal(toAuthError(serverError('temporarily_unavailable', 'AADSTS90033'), context).kind, 'transient');
  });

  it('maps a 5xx server error to transient', () => {
    const error = new ServerError('unknown_error', 'corr-8', 'boom', undefined, undefined, 503);

    assert.equal(toAuthError(error, context).kind, 'transient');
  });

  it('maps post_request_failed to transient', () => {
    const error = new MsalAuthError('post_request_failed', 'corr-9', 'slow_down');

    assert.equal(toAuthError(error, context).kind, 'transient');
  });

  it('maps an expired device code to timeout', () => {
    const error = new MsalAuthError('post_request_failed', 'corr-10', 'expired_token');

    assert.equal(toAuthError(error, context).kind, 'timeout');
  });

  it('maps a declined device code to cancelled', () => {
    const error = new MsalAuthError('post_request_failed', 'corr-11', 'authorization_declined');

    assert.equal(toAuthError(error, context).kind, 'cancelled');
  });

  it('maps device code cancel to cancelled', () => {
    const error = new ClientAuthError('device_code_polling_cancelled', 'corr-12');

    assert.equal(toAuthError(error, context).kind, 'cancelled');
  });

  it('maps the device code timeout to timeout', () => {
    const error = new ClientAuthError('user_timeout_reached', 'corr-13');

    assert.equal(toAuthError(error, context).kind, 'timeout');
  });

  it('maps browser access_denied to cancelled', () => {
    assert.equal(toAuthError(new ServerError('access_denied', 'corr-14', 'the user cancelled'), context).kind, 'cancelled');
  });

  it('maps discovery with a network cause to transient', () => {
    const error = new ClientAuthError('endpoints_resolution_error', 'corr-15');

    const mapped = toAuthError(error, { ...context, discoveryCause: "Authority.getEndpointMetadataFromNetwork: 'network_error: fetch failed'" });

    assert.equal(mapped.kind, 'transient');
    assert.match(mapped.message, /fetch failed/);
  });

  it('maps discovery with an issuer cause to configuration', () => {
    const error = new ClientAuthError('endpoints_resolution_error', 'corr-16');

    const mapped = toAuthError(error, { ...context, discoveryCause: 'issuer_validation_failed' });

    assert.equal(mapped.kind, 'configuration');
    assert.match(mapped.message, /issuer_validation_failed/);
  });

  it('maps discovery without a cause to configuration', () => {
    const mapped = toAuthError(new ClientAuthError('endpoints_resolution_error', 'corr-17'), context);

    assert.equal(mapped.kind, 'configuration');
    assert.match(mapped.message, /no cause was logged/);
  });

  it('maps an insecure authority to configuration', () => {
    const error = new ClientConfigurationError('authority_uri_insecure', 'corr-18');

    assert.equal(toAuthError(error, context).kind, 'configuration');
  });

  it('maps an unknown client ID to configuration', () => {
    const mapped = toAuthError(serverError('unauthorized_client', "AADSTS700016: Application with identifier 'x' was not found.", undefined, '700016'), context);

    assert.equal(mapped.kind, 'configuration');
    assert.match(mapped.message, /AADSTS700016: Application with identifier/);
  });

  it('maps a plain Error to transient', () => {
    assert.equal(toAuthError(new TypeError('socket hang up'), context).kind, 'transient');
  });

  it('passes an AuthError through', () => {
    const original = new AuthError('cancelled', 'Sign-in was cancelled.');

    assert.equal(toAuthError(original, context), original);
  });

  it('redacts a token in a server description', () => {
    const token = `eyJhbGciOiJSUzI1NiJ9.${'a'.repeat(40)}.${'b'.repeat(40)}`;

    const mapped = toAuthError(serverError('invalid_request', `AADSTS9002313: bad request near ${token}`), context);

    assert.doesNotMatch(mapped.message, /eyJhbGciOiJSUzI1NiJ9/);
  });

  it('keeps the MSAL error out of cause', () => {
    const mapped = toAuthError(serverError('invalid_grant', 'AADSTS700082'), context);

    assert.equal(mapped.cause, undefined);
  });
});

describe('auth error helpers', () => {
  it('reads the tenant of an authority', () => {
    assert.equal(authorityTenant('https://127.0.0.1:8443/11111111-2222-3333-4444-555555555555/'), '11111111-2222-3333-4444-555555555555');
  });

  it('defaults a tenantless authority', () => {
    assert.equal(authorityTenant('https://login.microsoftonline.com'), 'organizations');
  });

  it('encodes the admin consent URL', () => {
    assert.equal(adminConsentUrl('https://login.microsoftonline.com/organizations', 'contoso.com', 'a b'), 'https://login.microsoftonline.com/contoso.com/adminconsent?client_id=a%20b');
  });

  it('names the personal account', () => {
    const error = personalAccountError('someone@outlook.com');

    assert.equal(error.kind, 'personal-account');
    assert.equal(error.tenantId, CONSUMER_TENANT_ID);
    assert.match(error.message, /^Presence needs a work or school account; someone@outlook\.com is a personal Microsoft account/);
  });
});

describe('toAuthError descriptions', () => {
  it('drops the Entra trace suffix', () => {
    const mapped = toAuthError(serverError('invalid_client', 'AADSTS7000218: The request body must contain client_assertion. Trace ID: 1f2e Correlation ID: 3a4b Timestamp: 2026-12-04 09:00:00Z'), context);

    assert.match(mapped.message, /AADSTS7000218: The request body must contain client_assertion\./);
    assert.doesNotMatch(mapped.message, /Trace ID/);
  });
});
