/**
 * The sandbox's identity endpoints driven by real, unmodified @azure/msal-node over real TLS
 * sockets: interactive sign-in with PKCE and form_post, silent calls, refresh, device code and
 * the error paths the app must tell apart.
 */

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  InteractionRequiredAuthError,
  LogLevel,
  PublicClientApplication,
  ServerError,
  type AccountInfo,
  type AuthenticationResult,
} from '@azure/msal-node';
import {
  completeSandboxSignIn,
  CONSUMER_TENANT_ID,
  SANDBOX_CLIENT_ID,
  SANDBOX_TENANT_ID,
  SANDBOX_USER,
  sandboxNetworkClient,
  startSandbox,
  type RunningSandbox,
} from '../../main/sandbox/index.ts';

const SCOPES = ['Presence.ReadWrite'];

function createPca(sandbox: RunningSandbox, clientId = SANDBOX_CLIENT_ID): PublicClientApplication {
  return new PublicClientApplication({
    auth: {
      clientId,
      authority: sandbox.authority,
      knownAuthorities: [`127.0.0.1:${sandbox.port}`],
    },
    system: {
      networkClient: sandboxNetworkClient(sandbox.caPem),
      loggerOptions: {
        logLevel: LogLevel.Error,
        piiLoggingEnabled: false,
        loggerCallback: () => undefined,
      },
    },
  });
}

function signIn(pca: PublicClientApplication, sandbox: RunningSandbox): Promise<AuthenticationResult> {
  return pca.acquireTokenInteractive({
    scopes: SCOPES,
    openBrowser: (url) => completeSandboxSignIn(url, sandbox.caPem),
    successTemplate: 'signed in',
    errorTemplate: 'sign-in failed',
  });
}

/** Returns the refresh token secrets in the app's serialized MSAL cache. */
function cachedRefreshTokens(pca: PublicClientApplication): string[] {
  const cache = JSON.parse(pca.getTokenCache().serialize()) as { RefreshToken?: Record<string, { secret: string }> };
  return Object.values(cache.RefreshToken ?? {}).map((entry) => entry.secret);
}

function decodeClaims(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('sandbox identity with MSAL Node', () => {
  let sandbox: RunningSandbox;

  before(async () => {
    sandbox = await startSandbox({ logger: silentLogger() });
  });

  after(async () => {
    await sandbox.close();
  });

  beforeEach(() => {
    sandbox.control.clearFaults();
    sandbox.control.clearRequests();
    sandbox.control.setAccessTokenLifetime(3600);
    sandbox.control.requireAdminConsent(false);
  });

  test('interactive sign-in returns the account', async () => {
    const result = await signIn(createPca(sandbox), sandbox);

    assert.equal(result.account?.localAccountId, SANDBOX_USER.objectId);
    assert.equal(result.account?.tenantId, SANDBOX_TENANT_ID);
    assert.equal(result.account?.username, SANDBOX_USER.username);
    assert.equal(result.account?.homeAccountId, `${SANDBOX_USER.objectId}.${SANDBOX_TENANT_ID}`);
  });

  test('interactive sign-in sends discovery, authorize, token', async () => {
    await signIn(createPca(sandbox), sandbox);

    const actions = sandbox.control.requests().map((entry) => entry.action);
    assert.deepEqual(actions, ['openid-configuration', 'authorize', 'token']);
  });

  test('interactive sign-in echoes the requested scope spelling', async () => {
    const result = await signIn(createPca(sandbox), sandbox);

    assert.ok(result.scopes.includes('Presence.ReadWrite'), `scopes were ${result.scopes.join(' ')}`);
  });

  test('ID token carries the claims MSAL reads', async () => {
    const result = await signIn(createPca(sandbox), sandbox);
    const claims = decodeClaims(result.idToken);

    assert.equal(claims.aud, SANDBOX_CLIENT_ID);
    assert.equal(claims.iss, `${sandbox.origin}/${SANDBOX_TENANT_ID}/v2.0`);
    assert.equal(claims.oid, SANDBOX_USER.objectId);
    assert.equal(claims.tid, SANDBOX_TENANT_ID);
    assert.equal(claims.preferred_username, SANDBOX_USER.username);
    assert.equal(claims.ver, '2.0');
    assert.equal('nonce' in claims, false);
  });

  test('access token looks like a Graph token', async () => {
    const result = await signIn(createPca(sandbox), sandbox);
    const claims = decodeClaims(result.accessToken);

    assert.equal(claims.aud, 'https://graph.microsoft.com');
    assert.equal(claims.scp, 'Presence.ReadWrite');
    assert.equal(claims.oid, SANDBOX_USER.objectId);
    assert.equal(claims.tid, SANDBOX_TENANT_ID);
    assert.equal(claims.appid, SANDBOX_CLIENT_ID);
    assert.equal(typeof claims.exp, 'number');
  });

  test('silent call after sign-in uses the cache', async () => {
    const pca = createPca(sandbox);
    const first = await signIn(pca, sandbox);
    sandbox.control.clearRequests();

    const silent = await pca.acquireTokenSilent({ account: first.account as AccountInfo, scopes: SCOPES });

    assert.equal(silent.fromCache, true);
    assert.equal(sandbox.control.requests().length, 0);
  });

  test('silent call refreshes a token near expiry', async () => {
    // MSAL renews tokens within 300 s of expiry, so a 200 s lifetime is already due.
    sandbox.control.setAccessTokenLifetime(200);
    const pca = createPca(sandbox);
    const first = await signIn(pca, sandbox);
    sandbox.control.clearRequests();

    const silent = await pca.acquireTokenSilent({ account: first.account as AccountInfo, scopes: SCOPES });

    assert.equal(silent.fromCache, false);
    assert.notEqual(silent.accessToken, first.accessToken);
    const grants = sandbox.control.requests().map((entry) => (entry.body as Record<string, string>).grant_type);
    assert.deepEqual(grants, ['refresh_token']);
  });

  test('refresh rejected with invalid_grant is ServerError', async () => {
    const pca = createPca(sandbox);
    const first = await signIn(pca, sandbox);
    sandbox.control.failNextRefresh({
      error: 'invalid_grant',
      error_description: 'AADSTS700082: The refresh token has expired due to inactivity.',
    });

    const attempt = pca.acquireTokenSilent({ account: first.account as AccountInfo, scopes: SCOPES, forceRefresh: true });

    await assert.rejects(attempt, (error: unknown) => {
      assert.ok(error instanceof ServerError);
      assert.equal(error instanceof InteractionRequiredAuthError, false);
      assert.equal(error.errorCode, 'invalid_grant');
      assert.match(error.errorMessage, /AADSTS700082/);
      return true;
    });
  });

  test('revoked refresh token fails with AADSTS50173', async () => {
    const pca = createPca(sandbox);
    const first = await signIn(pca, sandbox);
    sandbox.control.revokeRefreshTokens();

    const attempt = pca.acquireTokenSilent({ account: first.account as AccountInfo, scopes: SCOPES, forceRefresh: true });

    await assert.rejects(attempt, (error: unknown) => {
      assert.ok(error instanceof ServerError);
      assert.equal(error.errorCode, 'invalid_grant');
      assert.match(error.errorMessage, /AADSTS50173/);
      return true;
    });
  });

  test('forced refresh rotates the refresh token', async () => {
    const pca = createPca(sandbox);
    const first = await signIn(pca, sandbox);
    const before = cachedRefreshTokens(pca);

    await pca.acquireTokenSilent({ account: first.account as AccountInfo, scopes: SCOPES, forceRefresh: true });

    const afterRefresh = cachedRefreshTokens(pca);
    assert.equal(before.length, 1);
    assert.equal(afterRefresh.length, 1);
    assert.notEqual(afterRefresh[0], before[0]);
  });

  test('organizations authority passes the issuer check', async () => {
    const pca = new PublicClientApplication({
      auth: {
        clientId: SANDBOX_CLIENT_ID,
        authority: `${sandbox.origin}/organizations`,
        knownAuthorities: [`127.0.0.1:${sandbox.port}`],
      },
      system: { networkClient: sandboxNetworkClient(sandbox.caPem) },
    });

    const result = await signIn(pca, sandbox);

    assert.equal(result.account?.tenantId, SANDBOX_TENANT_ID);
  });

  test('personal account has the consumer tenant', async () => {
    sandbox.control.setUser({ tenantId: CONSUMER_TENANT_ID, username: 'river@outlook.example' });
    try {
      const result = await signIn(createPca(sandbox), sandbox);

      assert.equal(decodeClaims(result.idToken).tid, CONSUMER_TENANT_ID);
      assert.equal(result.account?.username, 'river@outlook.example');
    } finally {
      sandbox.control.setUser({ tenantId: SANDBOX_TENANT_ID, username: SANDBOX_USER.username });
    }
  });

  test('admin consent required is interaction required', async () => {
    sandbox.control.requireAdminConsent(true);

    await assert.rejects(signIn(createPca(sandbox), sandbox), (error: unknown) => {
      assert.ok(error instanceof InteractionRequiredAuthError);
      assert.equal(error.subError, 'consent_required');
      assert.match(error.errorMessage, /AADSTS65001/);
      return true;
    });
  });

  test('unknown client ID fails in the browser step', async () => {
    const pca = createPca(sandbox, '00000000-1111-2222-3333-444444444444');

    await assert.rejects(signIn(pca, sandbox), /AADSTS700016/);
  });

  test('device code sign-in succeeds after approval', async () => {
    const pca = createPca(sandbox);
    let userCode = '';

    const result = await pca.acquireTokenByDeviceCode({
      scopes: SCOPES,
      deviceCodeCallback: (response) => {
        userCode = response.userCode;
        // Approve after at least one poll got authorization_pending.
        setTimeout(() => sandbox.control.approveDeviceCode(response.userCode), 1200);
      },
    });

    assert.equal(result?.account?.localAccountId, SANDBOX_USER.objectId);
    assert.match(userCode, /^[A-Z0-9]{9}$/);
    const pending = sandbox.control.requests().filter((entry) => entry.action === 'token' && entry.status === 400);
    assert.ok(pending.length >= 1, 'expected at least one authorization_pending answer');
  });

  test('device code expires on the sandbox clock', async () => {
    const pca = createPca(sandbox);

    const attempt = pca.acquireTokenByDeviceCode({
      scopes: SCOPES,
      deviceCodeCallback: () => {
        sandbox.control.advanceClock(16 * 60 * 1000);
      },
    });

    await assert.rejects(attempt, (error: unknown) => {
      assert.equal((error as { errorCode?: string }).errorCode, 'post_request_failed');
      assert.match(String((error as Error).message), /expired_token/);
      return true;
    });
  });
});

function silentLogger() {
  const logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    child: () => logger,
  };
  return logger;
}
