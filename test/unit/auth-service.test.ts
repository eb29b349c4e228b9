import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { AccountInfo } from '@azure/msal-node';

import { AuthError } from '../../main/core/auth/auth-errors.ts';
import { AuthService, summarizeAccount } from '../../main/core/auth/auth-service.ts';
import { createTokenCacheStorage } from '../../main/core/auth/cache-plugin.ts';
import type { TokenSource as GraphTokenSource } from '../../main/core/graph/presence-client.ts';
import type { HttpTransport } from '../../main/core/ports.ts';
import { MemoryBlobFile } from '../fakes/blob-file.ts';
import { FakeBrowserOpener } from '../fakes/browser-opener.ts';
import { FakeClock } from '../fakes/clock.ts';
import { MemoryLog } from '../fakes/logger.ts';
import { FakeSecretBox } from '../fakes/secret-box.ts';

/** A transport that fails every request; these tests must not reach the network. */
const offlineTransport: HttpTransport = {
  send: () => Promise.reject(new Error('offline transport: no request is expected in this test')),
  describeProxy: () => null,
};

async function serviceFor(authority: string): Promise<AuthService> {
  const log = new MemoryLog();
  const cache = await createTokenCacheStorage({ secretBox: new FakeSecretBox('os'), file: new MemoryBlobFile(), allowPlaintext: false, logger: log.logger });
  return new AuthService({
    clientId: '6f1c9d2e-4b7a-4e3f-9a85-2d0c7b16e4a9',
    authority,
    transport: offlineTransport,
    cache,
    browser: new FakeBrowserOpener(),
    clock: new FakeClock(),
    logger: log.logger,
  });
}

function account(overrides: Partial<AccountInfo> = {}): AccountInfo {
  return {
    homeAccountId: 'oid-1.tid-1',
    environment: 'login.microsoftonline.com',
    tenantId: 'tid-from-account',
    username: 'adele@contoso.example',
    localAccountId: 'oid-from-account',
    name: 'Adele Vance',
    idTokenClaims: { oid: 'oid-1', tid: 'tid-1', preferred_username: 'adele@contoso.example', name: 'Adele Vance' },
    ...overrides,
  };
}

describe('AuthService construction', () => {
  it('rejects an http authority', async () => {
    await assert.rejects(serviceFor('http://127.0.0.1:8443/tenant'), (error: unknown) => error instanceof AuthError && error.kind === 'configuration');
  });

  it('starts with no account', async () => {
    const service = await serviceFor('https://login.microsoftonline.com/organizations');

    assert.equal(service.currentAccount(), null);
  });

  it('serves as the Graph token source', async () => {
    const service = await serviceFor('https://login.microsoftonline.com/organizations');

    // The assignment is the check: it fails to compile if the shapes drift apart.
    const source: GraphTokenSource = service;

    assert.equal(source.account?.(), null);
  });

  it('rejects a token before sign-in', async () => {
    const service = await serviceFor('https://login.microsoftonline.com/organizations');

    await assert.rejects(service.getAccessToken(), (error: unknown) => error instanceof AuthError && error.kind === 'signed-out');
  });
});

describe('summarizeAccount', () => {
  it('reads oid and tid claims', () => {
    const summary = summarizeAccount(account());

    assert.equal(summary.objectId, 'oid-1');
    assert.equal(summary.tenantId, 'tid-1');
    assert.equal(summary.username, 'adele@contoso.example');
    assert.equal(summary.displayName, 'Adele Vance');
    assert.equal(summary.homeAccountId, 'oid-1.tid-1');
  });

  it('falls back without claims', () => {
    const summary = summarizeAccount(account({ idTokenClaims: undefined, name: undefined }));

    assert.equal(summary.objectId, 'oid-from-account');
    assert.equal(summary.tenantId, 'tid-from-account');
    assert.equal(summary.displayName, 'adele@contoso.example');
  });
});
