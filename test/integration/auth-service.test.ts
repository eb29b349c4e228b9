/**
 * AuthService against the sandbox: real MSAL Node, real HTTPS on 127.0.0.1 and the app's real
 * transport. Only the browser, the secret box and (where a test moves time) the clock are fakes.
 */

import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';

import { AuthError } from '../../main/core/auth/auth-errors.ts';
import { AuthService, type AuthServiceOptions } from '../../main/core/auth/auth-service.ts';
import { createTokenCacheStorage, type TokenCacheStorage } from '../../main/core/auth/cache-plugin.ts';
import { createNodeTransport, type NodeTransport } from '../../main/core/net/node-transport.ts';
import { createNodeBlobFile } from '../../main/core/node/blob-file.ts';
import { systemClock } from '../../main/core/node/clock.ts';
import type { Clock } from '../../main/core/ports.ts';
import {
  completeSandboxSignIn,
  CONSUMER_TENANT_ID,
  SANDBOX_CLIENT_ID,
  SANDBOX_TENANT_ID,
  SANDBOX_USER,
  startSandbox,
  type RequestLogEntry,
  type RunningSandbox,
} from '../../main/sandbox/index.ts';
import { MemoryBlobFile } from '../fakes/blob-file.ts';
import { FakeBrowserOpener } from '../fakes/browser-opener.ts';
import { FakeClock } from '../fakes/clock.ts';
import { MemoryLog } from '../fakes/logger.ts';
import { FakeSecretBox, isFakeCiphertext } from '../fakes/secret-box.ts';

const POSIX = process.platform !== 'win32';

let sandbox: RunningSandbox;
let transport: NodeTransport;
let folder = '';
const sandboxLog = new MemoryLog('warn');
/** Every service a test made, closed after the test so no loopback listener outlives it. */
const services: AuthService[] = [];
/** Every log a test made, checked for secrets at the end. */
const logs: MemoryLog[] = [];
/** Every AuthError message a test saw, checked for secrets at the end. */
const errorMessages: string[] = [];

interface Harness {
  service: AuthService;
  browser: FakeBrowserOpener;
  log: MemoryLog;
}

/** Returns a browser that completes the sign-in page as a user who is already signed in would. */
function signingInBrowser(): FakeBrowserOpener {
  return new FakeBrowserOpener((url) => completeSandboxSignIn(url, sandbox.caPem));
}

async function encryptedStorage(path: string, log: MemoryLog): Promise<TokenCacheStorage> {
  return createTokenCacheStorage({ secretBox: new FakeSecretBox('os'), file: createNodeBlobFile(path), allowPlaintext: false, logger: log.logger });
}

async function makeService(options: Partial<AuthServiceOptions> & { browser?: FakeBrowserOpener; clock?: Clock } = {}): Promise<Harness> {
  const log = new MemoryLog();
  logs.push(log);
  const browser = options.browser ?? signingInBrowser();
  const cache =
    options.cache ?? (await createTokenCacheStorage({ secretBox: new FakeSecretBox('os'), file: new MemoryBlobFile(), allowPlaintext: false, logger: log.logger }));

  const service = new AuthService({
    clientId: SANDBOX_CLIENT_ID,
    authority: sandbox.authority,
    transport,
    clock: systemClock,
    logger: log.logger,
    ...options,
    cache,
    browser,
  });
  services.push(service);
  return { service, browser, log };
}

function requestsOf(action: RequestLogEntry['action']): RequestLogEntry[] {
  return sandbox.control.requests().filter((entry) => entry.action === action);
}

function grantTypes(): string[] {
  return requestsOf('token').map((entry) => String((entry.body as Record<string, unknown> | null)?.grant_type));
}

function loopbackPortOf(authorizeUrl: string): number {
  return Number(new URL(new URL(authorizeUrl).searchParams.get('redirect_uri') ?? '').port);
}

/** Resolves true when something accepts a TCP connection on 127.0.0.1:`port`. */
function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function expectAuthError(promise: Promise<unknown>): Promise<AuthError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AuthError, `expected an AuthError, got ${String(error)}`);
    errorMessages.push(error.message);
    return error;
  }
  assert.fail('expected the call to reject with an AuthError');
}

before(async () => {
  sandbox = await startSandbox({ port: 0, logger: sandboxLog.logger });
  transport = createNodeTransport({ extraCaPem: sandbox.caPem });
  folder = await mkdtemp(join(tmpdir(), 'presence-tray-auth-'));
});

after(async () => {
  transport.close();
  await sandbox.close();
  await rm(folder, { recursive: true, force: true });
});

beforeEach(() => {
  sandbox.control.setAccessTokenLifetime(3600);
  sandbox.control.requireAdminConsent(false);
  sandbox.control.setUser({ ...SANDBOX_USER, tenantId: SANDBOX_TENANT_ID });
  sandbox.control.clearFaults();
  sandbox.control.clearRequests();
});

afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.close()));
});

describe('interactive sign-in', () => {
  it('returns the ID token account', async () => {
    const { service } = await makeService();

    const account = await service.signInInteractive();

    assert.equal(account.objectId, SANDBOX_USER.objectId);
    assert.equal(account.tenantId, SANDBOX_TENANT_ID);
    assert.equal(account.username, SANDBOX_USER.username);
    assert.equal(account.displayName, SANDBOX_USER.displayName);
    assert.equal(account.homeAccountId, `${SANDBOX_USER.objectId}.${SANDBOX_TENANT_ID}`);
    assert.deepEqual(service.currentAccount(), account);
  });

  it('uses PKCE and form_post', async () => {
    const { service } = await makeService();

    await service.signInInteractive();

    const authorize = requestsOf('authorize')[0];
    assert.equal(authorize?.query.code_challenge_method, 'S256');
    assert.equal(authorize?.query.response_mode, 'form_post');
    assert.equal(authorize?.query.scope, 'Presence.ReadWrite openid profile offline_access');
    assert.equal(authorize?.query.prompt, undefined);
  });

  it('closes the loopback port', async () => {
    const { service, browser } = await makeService();

    await service.signInInteractive();

    assert.equal(await isListening(loopbackPortOf(browser.opened[0] ?? '')), false);
  });

  it('maps a discovery failure to transient', async () => {
    const closed = await startSandbox({ port: 0, logger: sandboxLog.logger });
    const authority = closed.authority;
    await closed.close();
    const { service } = await makeService({ authority });

    const error = await expectAuthError(service.signInInteractive({ timeoutMs: 30_000 }));

    assert.equal(error.kind, 'transient');
    assert.equal(error.msalErrorCode, 'endpoints_resolution_error');
    assert.match(error.message, /ECONNREFUSED/);
  });
});

describe('abandoned interactive sign-in', () => {
  it('times out and frees the port', async () => {
    const clock = new FakeClock(Date.now());
    const browser = new FakeBrowserOpener();
    const { service } = await makeService({ browser, clock });

    const signIn = expectAuthError(service.signInInteractive({ timeoutMs: 60_000 }));
    const port = loopbackPortOf(await browser.nextOpen());
    assert.equal(await isListening(port), true);
    await clock.advance(60_000);
    const error = await signIn;

    assert.equal(error.kind, 'timeout');
    assert.equal(await isListening(port), false);
    assert.equal(service.currentAccount(), null);
  });

  it('allows a second sign-in', async () => {
    const clock = new FakeClock(Date.now());
    const browser = new FakeBrowserOpener();
    const { service } = await makeService({ browser, clock });
    const first = expectAuthError(service.signInInteractive({ timeoutMs: 60_000 }));
    await browser.nextOpen();
    await clock.advance(60_000);
    await first;

    browser.action = (url) => completeSandboxSignIn(url, sandbox.caPem);
    const account = await service.signInInteractive();

    assert.equal(account.objectId, SANDBOX_USER.objectId);
    assert.equal(browser.opened.length, 2);
  });

  it('cancels on abort signal', async () => {
    const browser = new FakeBrowserOpener();
    const { service } = await makeService({ browser });
    const controller = new AbortController();

    const signIn = expectAuthError(service.signInInteractive({ signal: controller.signal }));
    const port = loopbackPortOf(await browser.nextOpen());
    controller.abort();
    const error = await signIn;

    assert.equal(error.kind, 'cancelled');
    assert.equal(await isListening(port), false);
  });

  it('cancels on cancelSignIn', async () => {
    const browser = new FakeBrowserOpener();
    const { service } = await makeService({ browser });

    const signIn = expectAuthError(service.signInInteractive());
    await browser.nextOpen();
    service.cancelSignIn();

    assert.equal((await signIn).kind, 'cancelled');
  });

  it('is replaced by a new sign-in', async () => {
    const browser = new FakeBrowserOpener();
    const { service } = await makeService({ browser });
    const first = expectAuthError(service.signInInteractive());
    const firstPort = loopbackPortOf(await browser.nextOpen());

    browser.action = (url) => completeSandboxSignIn(url, sandbox.caPem);
    const second = await service.signInInteractive();

    assert.equal((await first).kind, 'cancelled');
    assert.equal(await isListening(firstPort), false);
    assert.equal(second.objectId, SANDBOX_USER.objectId);
  });

  it('keeps one of two concurrent', async () => {
    const { service, browser } = await makeService();

    const [first, second] = await Promise.allSettled([service.signInInteractive(), service.signInInteractive()]);

    assert.equal(first.status, 'rejected');
    assert.equal(first.status === 'rejected' && first.reason instanceof AuthError ? first.reason.kind : null, 'cancelled');
    assert.equal(second.status, 'fulfilled');
    for (const url of browser.opened) {
      assert.equal(await isListening(loopbackPortOf(url)), false);
    }
  });

  it('maps a browser failure to configuration', async () => {
    const browser = new FakeBrowserOpener();
    browser.openError = new Error('spawn xdg-open ENOENT');
    const { service } = await makeService({ browser });

    const error = await expectAuthError(service.signInInteractive());

    assert.equal(error.kind, 'configuration');
    assert.match(error.message, /xdg-open ENOENT.*device code/);
    assert.equal(await isListening(loopbackPortOf(browser.opened[0] ?? '')), false);
  });

  it('stops before the browser opens', async () => {
    const browser = new FakeBrowserOpener();
    const { service } = await makeService({ browser });
    const controller = new AbortController();
    controller.abort();

    const error = await expectAuthError(service.signInInteractive({ signal: controller.signal }));

    assert.equal(error.kind, 'cancelled');
    assert.equal(browser.opened.length, 0);
  });
});

describe('device code sign-in', () => {
  it('signs in after approval', async () => {
    const { service } = await makeService();
    const codes: string[] = [];

    const account = await service.signInDeviceCode({
      onCode: (info) => {
        codes.push(info.userCode);
        sandbox.control.approveDeviceCode(info.userCode);
      },
    });

    assert.equal(codes.length, 1);
    assert.equal(account.objectId, SANDBOX_USER.objectId);
    assert.ok(grantTypes().includes('device_code'));
  });

  it('reports the code details', async () => {
    const { service } = await makeService();
    const before = Date.now();
    let received: { verificationUri: string; message: string; expiresAt: number } | null = null;

    await service.signInDeviceCode({
      onCode: (info) => {
        received = info;
        sandbox.control.approveDeviceCode(info.userCode);
      },
    });

    assert.ok(received !== null);
    const info = received as { verificationUri: string; message: string; expiresAt: number };
    assert.match(info.verificationUri, /^https:\/\/127\.0\.0\.1:\d+\/devicelogin$/);
    assert.ok(info.message.length > 0);
    assert.ok(info.expiresAt >= before + 890_000);
  });

  it('cancels on abort signal', async () => {
    const { service } = await makeService();
    const controller = new AbortController();

    const error = await expectAuthError(service.signInDeviceCode({ onCode: () => controller.abort(), signal: controller.signal }));

    assert.equal(error.kind, 'cancelled');
    assert.equal(service.currentAccount(), null);
  });

  it('times out with MSAL timeout', async () => {
    const { service } = await makeService();

    const error = await expectAuthError(service.signInDeviceCode({ onCode: () => {}, timeoutMs: 1_000 }));

    assert.equal(error.kind, 'timeout');
  });
});

describe('silent token', () => {
  it('comes from the cache', async () => {
    const { service } = await makeService();
    await service.signInInteractive();
    sandbox.control.clearRequests();

    const token = await service.getAccessToken();

    assert.ok(token.length > 0);
    assert.equal(requestsOf('token').length, 0);
  });

  it('refreshes inside the expiry window', async () => {
    sandbox.control.setAccessTokenLifetime(200);
    const { service } = await makeService();
    const first = (await service.signInInteractive(), await service.getAccessToken());
    sandbox.control.clearRequests();

    const second = await service.getAccessToken();

    assert.deepEqual(grantTypes(), ['refresh_token']);
    assert.notEqual(second, first);
  });

  it('coalesces concurrent forced refreshes', async () => {
    const { service } = await makeService();
    await service.signInInteractive();
    sandbox.control.clearRequests();

    const tokens = await Promise.all([
      service.getAccessToken({ forceRefresh: true }),
      service.getAccessToken({ forceRefresh: true }),
      service.getAccessToken(),
    ]);

    assert.equal(requestsOf('token').length, 1);
    assert.equal(new Set(tokens).size, 1);
  });

  it('rejects when nobody signed in', async () => {
    const { service } = await makeService();

    const error = await expectAuthError(service.getAccessToken());

    assert.equal(error.kind, 'signed-out');
    assert.equal(requestsOf('token').length, 0);
  });
});

describe('renew ahead', () => {
  it('skips a fresh token', async () => {
    const clock = new FakeClock(Date.now());
    const { service } = await makeService({ clock });
    await service.signInInteractive();
    sandbox.control.clearRequests();

    await service.renewAhead();

    assert.equal(requestsOf('token').length, 0);
  });

  it('refreshes ten minutes ahead', async () => {
    const clock = new FakeClock(Date.now());
    const { service } = await makeService({ clock });
    await service.signInInteractive();
    const before = await service.renewAhead();
    sandbox.control.clearRequests();
    await clock.advance(51 * 60_000);

    const after = await service.renewAhead();

    // MSAL keeps expiry in whole seconds of real time, so a refresh within the same second
    // can return the same expiry.
    assert.deepEqual(grantTypes(), ['refresh_token']);
    assert.ok(after >= before);
  });
});

describe('refresh token rejected', () => {
  it('maps invalid_grant to signed-out', async () => {
    const { service } = await makeService();
    await service.signInInteractive();
    sandbox.control.failNextRefresh({ error: 'invalid_grant', error_description: 'AADSTS700082: The refresh token has expired due to inactivity.' });

    const error = await expectAuthError(service.getAccessToken({ forceRefresh: true }));

    assert.equal(error.kind, 'signed-out');
    assert.equal(error.aadstsCode, 'AADSTS700082');
  });

  it('sends no storm of requests', async () => {
    const { service } = await makeService();
    await service.signInInteractive();
    sandbox.control.revokeRefreshTokens();
    sandbox.control.clearRequests();

    for (let call = 1; call <= 5; call += 1) {
      const error = await expectAuthError(service.getAccessToken({ forceRefresh: true }));
      assert.equal(error.kind, 'signed-out');
    }

    assert.equal(requestsOf('token').length, 1);
  });

  it('recovers after a new sign-in', async () => {
    const { service } = await makeService();
    await service.signInInteractive();
    sandbox.control.revokeRefreshTokens();
    await expectAuthError(service.getAccessToken({ forceRefresh: true }));

    await service.signInInteractive();
    const token = await service.getAccessToken();

    assert.ok(token.length > 0);
  });
});

describe('admin consent', () => {
  it('returns the consent URL', async () => {
    sandbox.control.requireAdminConsent(true);
    const { service } = await makeService();

    const error = await expectAuthError(service.signInInteractive());

    assert.equal(error.kind, 'admin-consent-needed');
    assert.equal(error.tenantId, SANDBOX_TENANT_ID);
    assert.equal(error.adminConsentUrl, `${sandbox.origin}/${SANDBOX_TENANT_ID}/adminconsent?client_id=${SANDBOX_CLIENT_ID}`);
    assert.match(error.message, new RegExp(`^Sign-in needs admin consent in tenant ${SANDBOX_TENANT_ID}: ask an admin to approve Presence\\.ReadWrite for app ${SANDBOX_CLIENT_ID}`));
  });

  it('makes one attempt', async () => {
    sandbox.control.requireAdminConsent(true);
    const { service } = await makeService();

    await expectAuthError(service.signInInteractive());

    assert.ok(requestsOf('token').length <= 1);
    assert.equal(requestsOf('authorize').length, 1);
  });
});

describe('personal account', () => {
  it('rejects the sign-in', async () => {
    sandbox.control.setUser({ tenantId: CONSUMER_TENANT_ID, username: 'someone@outlook.example' });
    const { service } = await makeService();

    const error = await expectAuthError(service.signInInteractive());

    assert.equal(error.kind, 'personal-account');
    assert.match(error.message, /^Presence needs a work or school account; someone@outlook\.example is a personal Microsoft account/);
    assert.equal(service.currentAccount(), null);
  });

  it('keeps no token for it', async () => {
    sandbox.control.setUser({ tenantId: CONSUMER_TENANT_ID, username: 'someone@outlook.example' });
    const { service } = await makeService();
    await expectAuthError(service.signInInteractive());
    sandbox.control.clearRequests();

    const error = await expectAuthError(service.getAccessToken());

    assert.equal(error.kind, 'signed-out');
    assert.equal(requestsOf('token').length, 0);
  });
});

describe('sign-out', () => {
  it('forgets the account', async () => {
    const { service } = await makeService();
    await service.signInInteractive();

    await service.signOut();

    assert.equal(service.currentAccount(), null);
    assert.equal((await expectAuthError(service.getAccessToken())).kind, 'signed-out');
  });

  it('sends select_account next', async () => {
    const { service } = await makeService();
    await service.signInInteractive();
    await service.signOut();
    sandbox.control.clearRequests();

    await service.signInInteractive();

    assert.equal(requestsOf('authorize')[0]?.query.prompt, 'select_account');
  });

  it('makes no network request', async () => {
    const { service } = await makeService();
    await service.signInInteractive();
    sandbox.control.clearRequests();

    await service.signOut();

    assert.equal(sandbox.control.requests().length, 0);
  });
});

describe('token cache persistence', () => {
  it('survives a restart', async () => {
    const path = join(folder, 'restart', 'token-cache.bin');
    const firstLog = new MemoryLog();
    const first = await makeService({ cache: await encryptedStorage(path, firstLog) });
    const account = await first.service.signInInteractive();
    await first.service.close();
    sandbox.control.clearRequests();

    const second = await makeService({ cache: await encryptedStorage(path, firstLog), homeAccountId: account.homeAccountId });
    const restored = await second.service.restore();
    const token = await second.service.getAccessToken();

    assert.deepEqual(restored, account);
    assert.ok(token.length > 0);
    assert.equal(requestsOf('token').length, 0);
  });

  it('restores the only account', async () => {
    const path = join(folder, 'only', 'token-cache.bin');
    const log = new MemoryLog();
    const first = await makeService({ cache: await encryptedStorage(path, log) });
    await first.service.signInInteractive();

    const second = await makeService({ cache: await encryptedStorage(path, log) });

    assert.equal((await second.service.restore())?.objectId, SANDBOX_USER.objectId);
  });

  it('stores ciphertext only', async () => {
    const path = join(folder, 'cipher', 'token-cache.bin');
    const { service } = await makeService({ cache: await encryptedStorage(path, new MemoryLog()) });
    await service.signInInteractive();
    await service.getAccessToken();

    const bytes = await readFile(path);

    assert.ok(isFakeCiphertext(bytes));
    for (const secret of sandbox.control.issuedSecrets()) {
      assert.equal(bytes.includes(secret), false, 'an issued secret is in the cache file in clear');
    }
  });

  it('writes no file in memory mode', async () => {
    const sub = join(folder, 'memory');
    const log = new MemoryLog();
    const cache = await createTokenCacheStorage({ secretBox: new FakeSecretBox('none'), file: createNodeBlobFile(join(sub, 'token-cache.bin')), allowPlaintext: false, logger: log.logger });
    const { service } = await makeService({ cache });

    await service.signInInteractive();
    const token = await service.getAccessToken();

    assert.equal(cache.mode, 'memory');
    assert.ok(token.length > 0);
    await assert.rejects(readdir(sub), { code: 'ENOENT' });
  });

  it('writes plaintext with mode 0600', { skip: !POSIX && 'POSIX file modes only' }, async () => {
    const path = join(folder, 'plain', 'token-cache.json');
    const log = new MemoryLog();
    const cache = await createTokenCacheStorage({ secretBox: new FakeSecretBox('none'), file: createNodeBlobFile(path), allowPlaintext: true, logger: log.logger });
    const { service } = await makeService({ cache });

    await service.signInInteractive();

    assert.equal(cache.mode, 'plaintext-file');
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.match(await readFile(path, 'utf8'), /"RefreshToken"/);
  });

  it('quarantines a corrupt file', async () => {
    const sub = join(folder, 'corrupt');
    const path = join(sub, 'token-cache.bin');
    const first = await makeService({ cache: await encryptedStorage(path, new MemoryLog()) });
    const account = await first.service.signInInteractive();
    await writeFile(path, 'not a token cache');

    const second = await makeService({ cache: await encryptedStorage(path, new MemoryLog()), homeAccountId: account.homeAccountId });
    const restored = await second.service.restore();
    const files = await readdir(sub);

    assert.equal(restored, null);
    assert.ok(files.some((name) => name.startsWith('token-cache.bin.corrupt-')));
    assert.equal((await expectAuthError(second.service.getAccessToken())).kind, 'signed-out');
  });

  it('signs in after quarantine', async () => {
    const sub = join(folder, 'corrupt-then-sign-in');
    const path = join(sub, 'token-cache.bin');
    await rm(sub, { recursive: true, force: true });
    await createNodeBlobFile(path).write(new TextEncoder().encode('garbage'));
    const { service } = await makeService({ cache: await encryptedStorage(path, new MemoryLog()) });
    await service.restore();

    await service.signInInteractive();

    assert.ok(isFakeCiphertext(await readFile(path)));
  });
});

describe('secrets', () => {
  it('never reach the logs', () => {
    const text = logs.map((log) => log.text()).join('\n');
    const secrets = sandbox.control.issuedSecrets();

    assert.ok(secrets.length > 0);
    for (const secret of secrets) {
      assert.equal(text.includes(secret), false, 'an issued token or code appears in a log line');
    }
  });

  it('never reach error messages', () => {
    const text = errorMessages.join('\n');

    assert.ok(errorMessages.length > 0);
    for (const secret of sandbox.control.issuedSecrets()) {
      assert.equal(text.includes(secret), false, 'an issued token or code appears in an error message');
    }
  });
});
