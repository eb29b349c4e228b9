/**
 * The presence client, the Node transport and real MSAL Node against the sandbox over real
 * sockets, with every request sent through a loopback CONNECT proxy.
 *
 * The URLs name a "trap" port where a server counts and drops connections, and the proxy
 * tunnels that port to the sandbox. A request that skipped the proxy would land in the trap.
 */

import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';

import { type AccountInfo, LogLevel, PublicClientApplication } from '@azure/msal-node';

import { GraphError } from '../../main/core/graph/errors.ts';
import type { SignedInAccount } from '../../main/core/graph/explain.ts';
import { type CallOptions, PresenceClient, type TokenSource } from '../../main/core/graph/presence-client.ts';
import { createMsalNetworkClient } from '../../main/core/net/msal-network.ts';
import { createNodeTransport, type NodeTransport } from '../../main/core/net/node-transport.ts';
import { systemClock } from '../../main/core/node/clock.ts';
import {
  completeSandboxSignIn,
  SANDBOX_CLIENT_ID,
  SANDBOX_TENANT_ID,
  SANDBOX_USER,
  startSandbox,
  type RequestLogEntry,
  type RunningSandbox,
} from '../../main/sandbox/index.ts';
import { isGraphPath, validateRequestAgainstOpenApi } from '../../main/sandbox/openapi-check.ts';
import { MemoryLog } from '../fakes/logger.ts';

const OID = SANDBOX_USER.objectId;
const OTHER_USER = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const SCOPES = ['Presence.ReadWrite'];

/** Access tokens from real MSAL: a silent call, forced after a 401. */
class MsalTokens implements TokenSource {
  refreshes = 0;

  constructor(
    private readonly pca: PublicClientApplication,
    private readonly signedIn: AccountInfo,
  ) {}

  async getAccessToken(options?: { forceRefresh?: boolean }): Promise<string> {
    if (options?.forceRefresh === true) {
      this.refreshes += 1;
    }
    const result = await this.pca.acquireTokenSilent({ account: this.signedIn, scopes: SCOPES, forceRefresh: options?.forceRefresh ?? false });
    return result.accessToken;
  }

  account(): SignedInAccount {
    return { objectId: this.signedIn.localAccountId, tenantId: this.signedIn.tenantId };
  }
}

describe('presence client against the sandbox', () => {
  let sandbox: RunningSandbox;
  let trap: net.Server;
  let trapConnections = 0;
  let proxy: http.Server;
  const connectTargets: string[] = [];
  let transport: NodeTransport;
  let tokens: MsalTokens;
  let log: MemoryLog;
  /** The trap address every request goes to, so only the proxy can reach the sandbox. */
  let origin: string;
  let client: PresenceClient;

  before(async () => {
    sandbox = await startSandbox({ logger: new MemoryLog().logger });

    trap = net.createServer((socket) => {
      trapConnections += 1;
      socket.destroy();
    });
    trap.listen(0, '127.0.0.1');
    await once(trap, 'listening');
    const trapPort = (trap.address() as net.AddressInfo).port;

    proxy = http.createServer((_req, res) => {
      res.statusCode = 405;
      res.end();
    });
    proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
      connectTargets.push(req.url ?? '');
      if (req.url !== `127.0.0.1:${trapPort}`) {
        socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const upstream = net.connect(sandbox.port, '127.0.0.1', () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;

    origin = `https://127.0.0.1:${trapPort}`;
    transport = createNodeTransport({ extraCaPem: sandbox.caPem, env: { HTTPS_PROXY: proxyUrl } });
    const pca = new PublicClientApplication({
      auth: { clientId: SANDBOX_CLIENT_ID, authority: `${origin}/${SANDBOX_TENANT_ID}`, knownAuthorities: [`127.0.0.1:${trapPort}`] },
      system: {
        networkClient: createMsalNetworkClient(transport),
        loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => undefined },
      },
    });
    const signIn = await pca.acquireTokenInteractive({
      scopes: SCOPES,
      openBrowser: (url) => completeSandboxSignIn(url.replace(origin, sandbox.origin), sandbox.caPem),
      successTemplate: 'signed in',
      errorTemplate: 'sign-in failed',
    });
    assert.ok(signIn.account !== null, 'sign-in returned no account');
    tokens = new MsalTokens(pca, signIn.account);

    log = new MemoryLog();
    client = new PresenceClient({
      transport,
      graphBaseUrl: origin,
      tokens,
      clock: systemClock,
      logger: log.logger,
      apiVersion: 'v1.0',
    });
  });

  after(async () => {
    transport?.close();
    proxy?.closeAllConnections();
    await Promise.all([
      sandbox?.close(),
      new Promise((resolve) => proxy?.close(resolve)),
      new Promise((resolve) => trap?.close(resolve)),
    ]);
  });

  beforeEach(async () => {
    // A fresh client per test: a client remembers Graph's last Retry-After and waits it out.
    client = new PresenceClient({ transport, graphBaseUrl: origin, tokens, clock: systemClock, logger: log.logger, apiVersion: 'v1.0' });
    sandbox.control.clearFaults();
    await client.clearPresence(OID, { sessionId: SANDBOX_CLIENT_ID }, within(5_000));
    sandbox.control.clearRequests();
  });

  function within(budgetMs: number, extra: Partial<CallOptions> = {}): CallOptions {
    return { deadlineMs: systemClock.monotonicMs() + budgetMs, ...extra };
  }

  function graphRequests(action: string): RequestLogEntry[] {
    return sandbox.control.requests().filter((entry) => entry.action === action);
  }

  async function expectGraphError(call: Promise<unknown>): Promise<GraphError> {
    try {
      await call;
    } catch (error) {
      assert.ok(error instanceof GraphError, `expected a GraphError, got ${String(error)}`);
      return error;
    }
    assert.fail('expected the call to fail');
  }

  test('setPresence Busy reaches sandbox', async () => {
    const result = await client.setPresence(
      OID,
      { sessionId: SANDBOX_CLIENT_ID, availability: 'Busy', activity: 'InACall', expirationDuration: 'PT10M' },
      within(5_000),
    );

    const [entry] = graphRequests('setPresence');
    assert.deepEqual(entry?.body, { sessionId: SANDBOX_CLIENT_ID, availability: 'Busy', activity: 'InACall', expirationDuration: 'PT10M' });
    assert.equal(entry?.path, `/v1.0/users/${OID}/presence/setPresence`);
    assert.equal(entry?.headers['client-request-id'], result.clientRequestId);
    assert.equal(result.requestId, entry?.requestId);
    assert.equal(sandbox.control.presenceOf(OID).availability, 'Busy');
    assert.equal(sandbox.control.presenceOf(OID).activity, 'InACall');
  });

  test('getPresence reads the session', async () => {
    await client.setPresence(OID, { sessionId: SANDBOX_CLIENT_ID, availability: 'Away', activity: 'Away', expirationDuration: 'PT5M' }, within(5_000));

    const presence = await client.getPresence(OID, within(5_000));

    assert.equal(presence.availability, 'Away');
    assert.equal(presence.activity, 'Away');
    assert.equal(presence['id'], OID);
  });

  test('clear then clear again', async () => {
    await client.setPresence(OID, { sessionId: SANDBOX_CLIENT_ID, availability: 'Available', activity: 'Available', expirationDuration: 'PT5M' }, within(5_000));

    const first = await client.clearPresence(OID, { sessionId: SANDBOX_CLIENT_ID }, within(5_000));
    const second = await client.clearPresence(OID, { sessionId: SANDBOX_CLIENT_ID }, within(5_000));

    assert.equal(first.outcome, 'cleared');
    assert.equal(second.outcome, 'already-cleared');
    assert.equal(second.attempts, 1);
    assert.equal(graphRequests('clearPresence').length, 2);
  });

  test('beta route with extra header', async () => {
    const result = await client.clearPresence(
      OID,
      { sessionId: SANDBOX_CLIENT_ID },
      within(5_000, { apiVersion: 'beta', extraHeaders: { 'X-Test-Run': 'graph-sandbox' } }),
    );

    const [entry] = graphRequests('clearPresence');
    assert.equal(result.outcome, 'already-cleared');
    assert.equal(entry?.path, `/beta/communications/presences/${OID}/clearPresence`);
    assert.equal(entry?.headers['x-test-run'], 'graph-sandbox');
  });

  test('Retry-After 1 s honoured', async () => {
    sandbox.control.injectFaults({ action: 'clearPresence', responses: [{ status: 429, headers: { 'Retry-After': '1' } }] });

    const result = await client.clearPresence(OID, { sessionId: SANDBOX_CLIENT_ID }, within(10_000));

    const entries = graphRequests('clearPresence');
    assert.equal(result.attempts, 2);
    assert.equal(entries.length, 2);
    // Lower bound only: a loaded machine may wait longer, never shorter. Timers may fire up
    // to a millisecond early against the wall clock.
    assert.ok((entries[1]?.at ?? 0) - (entries[0]?.at ?? 0) >= 990, 'the retry came before Retry-After passed');
    assert.equal(entries[0]?.headers['client-request-id'], entries[1]?.headers['client-request-id']);
  });

  test('Retry-After 600 s past deadline', async () => {
    sandbox.control.injectFaults({ action: 'clearPresence', responses: [{ status: 429, headers: { 'Retry-After': '600' } }] });

    const error = await expectGraphError(client.clearPresence(OID, { sessionId: SANDBOX_CLIENT_ID }, within(60_000)));

    assert.equal(error.kind, 'throttled');
    assert.equal(error.retryAfterMs, 600_000);
    assert.equal(graphRequests('clearPresence').length, 1);
  });

  test('503 then success', async () => {
    sandbox.control.injectFaults({
      action: 'setPresence',
      responses: [{ status: 503, graphError: { code: 'ServiceUnavailable', message: 'try later' } }],
    });

    const result = await client.setPresence(
      OID,
      { sessionId: SANDBOX_CLIENT_ID, availability: 'Available', activity: 'Available', expirationDuration: 'PT5M' },
      within(10_000),
    );

    assert.equal(result.attempts, 2);
  });

  test('reset on pooled connection resent', async () => {
    sandbox.control.injectFaults({ action: 'clearPresence', responses: [{ reset: true }] });

    const result = await client.clearPresence(OID, { sessionId: SANDBOX_CLIENT_ID }, within(10_000));

    // The transport resends once on a new connection, as for a keep-alive connection the
    // server closed, so the client sees one attempt.
    assert.equal(result.outcome, 'already-cleared');
    assert.equal(result.attempts, 1);
    assert.equal(graphRequests('clearPresence').length, 2);
  });

  test('reset on new connection retried', async () => {
    sandbox.control.injectFaults({ action: 'clearPresence', responses: [{ reset: true }] });
    transport.closeIdleConnections();

    const result = await client.clearPresence(OID, { sessionId: SANDBOX_CLIENT_ID }, within(10_000));

    assert.equal(result.outcome, 'already-cleared');
    assert.equal(result.attempts, 2);
    assert.equal(graphRequests('clearPresence').length, 2);
  });

  test('silent server times out', async () => {
    sandbox.control.injectFaults({ action: 'clearPresence', responses: [{ noAnswer: true }] });

    const error = await expectGraphError(client.clearPresence(OID, { sessionId: SANDBOX_CLIENT_ID }, within(1_500)));

    assert.equal(error.kind, 'timeout');
    assert.equal(error.attempts, 1);
  });

  test('lost clear response then 404', async () => {
    await client.setPresence(OID, { sessionId: SANDBOX_CLIENT_ID, availability: 'Busy', activity: 'InACall', expirationDuration: 'PT5M' }, within(5_000));
    sandbox.control.injectFaults({ action: 'clearPresence', responses: [{ status: 504, afterHandling: true }] });

    const result = await client.clearPresence(OID, { sessionId: SANDBOX_CLIENT_ID }, within(10_000));

    assert.equal(result.outcome, 'already-cleared');
    assert.equal(result.attempts, 2);
  });

  test('401 refreshes through MSAL', async () => {
    sandbox.control.injectFaults({
      action: 'clearPresence',
      responses: [{ status: 401, graphError: { code: 'InvalidAuthenticationToken', message: 'Access token has expired.' } }],
    });
    const refreshesBefore = tokens.refreshes;

    const result = await client.clearPresence(OID, { sessionId: SANDBOX_CLIENT_ID }, within(10_000));

    const grants = sandbox.control.requests().filter((entry) => entry.action === 'token');
    assert.equal(result.attempts, 2);
    assert.equal(tokens.refreshes, refreshesBefore + 1);
    assert.equal(grants.length, 1);
    assert.equal((grants[0]?.body as Record<string, unknown>)['grant_type'], 'refresh_token');
  });

  test('another user is account mismatch', async () => {
    const error = await expectGraphError(client.clearPresence(OTHER_USER, { sessionId: SANDBOX_CLIENT_ID }, within(5_000)));

    assert.equal(error.kind, 'forbidden');
    assert.equal(error.deniedReason, 'account-mismatch');
    assert.equal(graphRequests('clearPresence').length, 1);
  });

  test('requests match the OpenAPI', async () => {
    await client.setPresence(OID, { sessionId: SANDBOX_CLIENT_ID, availability: 'DoNotDisturb', activity: 'Presenting', expirationDuration: 'PT4H' }, within(5_000));
    await client.getPresence(OID, within(5_000));
    await client.setUserPreferredPresence(OID, { availability: 'Busy', activity: 'Busy', expirationDuration: 'PT1H' }, within(5_000));
    await client.clearUserPreferredPresence(OID, within(5_000));
    await client.setStatusMessage(OID, { message: 'In the lab', expiry: { dateTime: '2026-12-04T17:00:00', timeZone: 'UTC' } }, within(5_000));
    await client.clearPresence(OID, { sessionId: SANDBOX_CLIENT_ID }, within(5_000, { apiVersion: 'beta' }));

    const graph = sandbox.control.requests().filter((entry) => isGraphPath(entry.path));
    assert.equal(graph.length, 6);
    for (const entry of graph) {
      const check = validateRequestAgainstOpenApi(entry);
      assert.deepEqual(check.problems, [], `${entry.method} ${entry.path}`);
    }
  });

  test('every request went through the proxy', () => {
    assert.equal(trapConnections, 0);
    assert.ok(connectTargets.length > 0);
    assert.deepEqual(new Set(connectTargets).size, 1);
  });

  test('log holds no issued secret', () => {
    const text = log.text();
    for (const secret of sandbox.control.issuedSecrets()) {
      assert.equal(text.includes(secret), false, 'an issued token or code appears in the log');
    }
  });
});
