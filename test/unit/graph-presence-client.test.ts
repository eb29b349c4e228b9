import assert from 'node:assert/strict';
import { test } from 'node:test';

import { GraphError } from '../../main/core/graph/errors.ts';
import { type CallOptions, PresenceClient, type TokenSource } from '../../main/core/graph/presence-client.ts';
import type { SignedInAccount } from '../../main/core/graph/explain.ts';
import { HttpAbortError, HttpNetworkError, HttpTimeoutError } from '../../main/core/net/errors.ts';
import type { HttpRequest, HttpResponse, HttpTransport } from '../../main/core/ports.ts';
import { InvalidPresencePairError } from '../../main/core/presence/pairs.ts';
import { FakeClock } from '../fakes/clock.ts';
import { MemoryLog } from '../fakes/logger.ts';

const USER = '5e1b7f3a-2c4d-4e6f-8a9b-0c1d2e3f4a5b';
const OTHER_USER = '11111111-2222-4333-8444-555555555555';
const CLIENT_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Step = HttpResponse | Error;

/** A transport that replies from a script and records each request with its fake send time. */
class ScriptedTransport implements HttpTransport {
  readonly sent: Array<{ request: HttpRequest; atMs: number }> = [];

  constructor(
    private readonly clock: FakeClock,
    private readonly script: Step[],
  ) {}

  async send(request: HttpRequest): Promise<HttpResponse> {
    this.sent.push({ request, atMs: this.clock.monotonicMs() });
    const step = this.script.shift();
    if (step === undefined) {
      throw new Error(`unexpected request ${request.method} ${request.url}`);
    }
    if (step instanceof Error) {
      throw step;
    }
    return step;
  }

  describeProxy(): string | null {
    return null;
  }

  header(index: number, name: string): string | undefined {
    return this.sent[index]?.request.headers[name];
  }
}

class FakeTokens implements TokenSource {
  readonly calls: Array<{ forceRefresh?: boolean } | undefined> = [];
  private issued = 0;

  constructor(private readonly signedIn: SignedInAccount | null = null) {}

  async getAccessToken(options?: { forceRefresh?: boolean }): Promise<string> {
    this.calls.push(options);
    this.issued += 1;
    return `secret-access-token-${this.issued}`;
  }

  account(): SignedInAccount | null {
    return this.signedIn;
  }
}

function reply(status: number, headers: Record<string, string> = {}, body = ''): HttpResponse {
  return { status, headers: { 'request-id': `req-${status}`, ...headers }, body };
}

function graphError(status: number, code: string, headers: Record<string, string> = {}): HttpResponse {
  return reply(status, { 'content-type': 'application/json', ...headers }, JSON.stringify({ error: { code, message: `${code} happened` } }));
}

interface Setup {
  clock: FakeClock;
  transport: ScriptedTransport;
  tokens: FakeTokens;
  log: MemoryLog;
  client: PresenceClient;
}

function setup(script: Step[], options: { account?: SignedInAccount | null; apiVersion?: 'v1.0' | 'beta' } = {}): Setup {
  const clock = new FakeClock();
  const transport = new ScriptedTransport(clock, script);
  const tokens = new FakeTokens(options.account ?? null);
  const log = new MemoryLog();
  const client = new PresenceClient({
    transport,
    graphBaseUrl: 'https://graph.example.test',
    tokens,
    clock,
    logger: log.logger,
    random: () => 0.5,
    apiVersion: options.apiVersion ?? 'v1.0',
  });
  return { clock, transport, tokens, log, client };
}

function within(clock: FakeClock, budgetMs: number, extra: Partial<CallOptions> = {}): CallOptions {
  return { deadlineMs: clock.monotonicMs() + budgetMs, ...extra };
}

/** Settles a promise into a value or an error at once, so a rejection is never unhandled. */
function settle<T>(promise: Promise<T>): Promise<{ value: T } | { error: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

async function expectGraphError(outcome: Promise<{ value: unknown } | { error: unknown }>): Promise<GraphError> {
  const result = await outcome;
  assert.ok('error' in result, 'expected the call to fail');
  assert.ok(result.error instanceof GraphError, `expected a GraphError, got ${String(result.error)}`);
  return result.error;
}

const BUSY = { sessionId: CLIENT_ID, availability: 'Busy', activity: 'InACall', expirationDuration: 'PT10M' };

// --- requests as sent ---

test('setPresence Busy body exact', async () => {
  const { client, transport, clock } = setup([reply(200)]);

  await client.setPresence(USER, BUSY, within(clock, 5_000));

  assert.equal(
    transport.sent[0]?.request.body,
    `{"sessionId":"${CLIENT_ID}","availability":"Busy","activity":"InACall","expirationDuration":"PT10M"}`,
  );
});

test('setPresence v1.0 route and method', async () => {
  const { client, transport, clock } = setup([reply(200)]);

  await client.setPresence(USER, BUSY, within(clock, 5_000));

  assert.equal(transport.sent[0]?.request.method, 'POST');
  assert.equal(transport.sent[0]?.request.url, `https://graph.example.test/v1.0/users/${USER}/presence/setPresence`);
});

test('request headers set', async () => {
  const { client, transport, clock } = setup([reply(200)]);

  await client.setPresence(USER, BUSY, within(clock, 5_000));

  assert.equal(transport.header(0, 'authorization'), 'Bearer secret-access-token-1');
  assert.equal(transport.header(0, 'content-type'), 'application/json');
  assert.equal(transport.header(0, 'return-client-request-id'), 'true');
  assert.match(transport.header(0, 'client-request-id') ?? '', GUID);
});

test('clearPresence beta route', async () => {
  const { client, transport, clock } = setup([reply(200)], { apiVersion: 'beta' });

  await client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 5_000));

  assert.equal(transport.sent[0]?.request.url, `https://graph.example.test/beta/communications/presences/${USER}/clearPresence`);
  assert.equal(transport.sent[0]?.request.body, `{"sessionId":"${CLIENT_ID}"}`);
});

test('apiVersion per call wins', async () => {
  const { client, transport, clock } = setup([reply(200)], { apiVersion: 'v1.0' });

  await client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 5_000, { apiVersion: 'beta' }));

  assert.match(transport.sent[0]?.request.url ?? '', /\/beta\/communications\/presences\//);
});

test('extra header sent', async () => {
  const { client, transport, clock } = setup([reply(200)]);

  await client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 5_000, { extraHeaders: { 'X-Trace': 'abc' } }));

  assert.equal(transport.header(0, 'x-trace'), 'abc');
});

test('caller client-request-id used', async () => {
  const { client, transport, clock } = setup([reply(200)]);
  const own = '6b3d1c1e-7a7e-4f55-9d5e-2b1f0c9a8e7d';

  const result = await client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 5_000, { extraHeaders: { 'Client-Request-Id': own } }));

  assert.equal(transport.header(0, 'client-request-id'), own);
  assert.equal(result.clientRequestId, own);
});

// --- checks before sending ---

test('Busy/Busy rejected before sending', async () => {
  const { client, transport, clock } = setup([]);

  await assert.rejects(
    client.setPresence(USER, { ...BUSY, activity: 'Busy' }, within(clock, 5_000)),
    InvalidPresencePairError,
  );
  assert.equal(transport.sent.length, 0);
});

test('expiration PT4H1M rejected before sending', async () => {
  const { client, transport, clock } = setup([]);

  await assert.rejects(client.setPresence(USER, { ...BUSY, expirationDuration: 'PT4H1M' }, within(clock, 5_000)), /PT5M to PT4H/);
  assert.equal(transport.sent.length, 0);
});

test('presence id not a GUID rejected', async () => {
  const { client, transport, clock } = setup([]);

  await assert.rejects(client.clearPresence('me', { sessionId: CLIENT_ID }, within(clock, 5_000)), /Invalid presence ID "me"/);
  assert.equal(transport.sent.length, 0);
});

test('session id not a GUID rejected', async () => {
  const { client, transport, clock } = setup([]);

  await assert.rejects(client.clearPresence(USER, { sessionId: 'my-app' }, within(clock, 5_000)), /Invalid session ID "my-app"/);
  assert.equal(transport.sent.length, 0);
});

test('Authorization override rejected', async () => {
  const { client, transport, clock } = setup([]);

  await assert.rejects(
    client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 5_000, { extraHeaders: { Authorization: 'Bearer x' } })),
    /cannot be overridden/,
  );
  assert.equal(transport.sent.length, 0);
});

test('deadline already passed sends nothing', async () => {
  const { client, transport, clock } = setup([]);

  const error = await expectGraphError(settle(client.clearPresence(USER, { sessionId: CLIENT_ID }, { deadlineMs: clock.monotonicMs() })));

  assert.equal(error.kind, 'timeout');
  assert.equal(error.attempts, 0);
  assert.equal(transport.sent.length, 0);
});

// --- success statuses ---

for (const status of [200, 202, 204]) {
  test(`clearPresence ${status} is cleared`, async () => {
    const { client, clock } = setup([reply(status)]);

    const result = await client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 5_000));

    assert.equal(result.outcome, 'cleared');
    assert.equal(result.status, status);
  });
}

test('clearPresence 404 is already cleared', async () => {
  const { client, transport, clock } = setup([graphError(404, 'NotFound')]);

  const result = await client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 5_000));

  assert.equal(result.outcome, 'already-cleared');
  assert.equal(result.attempts, 1);
  assert.equal(transport.sent.length, 1);
});

test('result carries request ids', async () => {
  const { client, transport, clock } = setup([reply(200, { 'request-id': 'graph-req-7' })]);

  const result = await client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 5_000));

  assert.equal(result.requestId, 'graph-req-7');
  assert.equal(result.clientRequestId, transport.header(0, 'client-request-id'));
});

test('setPresence 404 is not found', async () => {
  const { client, clock } = setup([graphError(404, 'NotFound')]);

  const error = await expectGraphError(settle(client.setPresence(USER, BUSY, within(clock, 5_000))));

  assert.equal(error.kind, 'not-found');
});

// --- Retry-After and backoff ---

test('Retry-After 41 s waited exactly', async () => {
  const { client, transport, clock } = setup([graphError(429, 'TooManyRequests', { 'retry-after': '41' }), reply(200)]);

  const outcome = settle(client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 60_000)));
  await clock.advance(40_999);
  assert.equal(transport.sent.length, 1);
  await clock.advance(1);
  const result = await outcome;

  assert.equal(transport.sent.length, 2);
  assert.equal(transport.sent[1]?.atMs, 41_000);
  assert.ok('value' in result);
  assert.equal(result.value.attempts, 2);
});

test('Retry-After 600 s past deadline', async () => {
  const { client, transport, clock } = setup([graphError(429, 'TooManyRequests', { 'retry-after': '600' })]);

  const error = await expectGraphError(settle(client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 60_000))));

  assert.equal(error.kind, 'throttled');
  assert.equal(error.retryAfterMs, 600_000);
  assert.equal(error.status, 429);
  assert.equal(error.code, 'TooManyRequests');
  assert.equal(error.attempts, 1);
  assert.equal(transport.sent.length, 1);
  assert.equal(clock.pendingTimers(), 0);
});

test('later call waits out Retry-After', async () => {
  const { client, transport, clock } = setup([graphError(429, 'TooManyRequests', { 'retry-after': '41' }), reply(200, {}, '{"availability":"Busy","activity":"InACall"}')]);
  await expectGraphError(settle(client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 10_000))));

  const read = settle(client.getPresence(USER, within(clock, 60_000)));
  await clock.advance(40_999);
  assert.equal(transport.sent.length, 1);
  await clock.advance(1);
  const result = await read;

  assert.ok('value' in result);
  assert.equal(transport.sent[1]?.atMs, 41_000);
});

test('later call past Retry-After fails unsent', async () => {
  const { client, transport, clock } = setup([graphError(429, 'TooManyRequests', { 'retry-after': '600' })]);
  await expectGraphError(settle(client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 10_000))));

  const error = await expectGraphError(settle(client.getPresence(USER, within(clock, 15_000))));

  assert.equal(error.kind, 'throttled');
  assert.equal(error.attempts, 0);
  assert.equal(transport.sent.length, 1);
});

test('Retry-After HTTP date waited', async () => {
  const clockStart = new FakeClock().wallMs();
  const retryAt = new Date(clockStart + 30_000).toUTCString();
  const { client, transport, clock } = setup([graphError(503, 'ServiceUnavailable', { 'retry-after': retryAt }), reply(200)]);

  const outcome = settle(client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 60_000)));
  await clock.advance(29_999);
  assert.equal(transport.sent.length, 1);
  await clock.advance(1);
  await outcome;

  assert.equal(transport.sent[1]?.atMs, 30_000);
});

test('no Retry-After backs off with jitter', async () => {
  const { client, transport, clock } = setup([graphError(503, 'ServiceUnavailable'), graphError(504, 'GatewayTimeout'), reply(200)]);

  const outcome = settle(client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 60_000)));
  await clock.advance(10_000);
  await outcome;

  // random() = 0.5: half of 500 ms, then half of 1000 ms.
  assert.equal(transport.sent[1]?.atMs, 250);
  assert.equal(transport.sent[2]?.atMs, 750);
});

test('same client-request-id on retries', async () => {
  const { client, transport, clock } = setup([graphError(429, 'TooManyRequests', { 'retry-after': '1' }), reply(200)]);

  const outcome = settle(client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 60_000)));
  await clock.advance(1_000);
  await outcome;

  assert.equal(transport.header(0, 'client-request-id'), transport.header(1, 'client-request-id'));
});

test('fresh client-request-id per call', async () => {
  const { client, transport, clock } = setup([reply(200), reply(200)]);

  await client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 5_000));
  await client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 5_000));

  assert.notEqual(transport.header(0, 'client-request-id'), transport.header(1, 'client-request-id'));
});

test('onRetry reports the wait', async () => {
  const { client, clock } = setup([graphError(429, 'TooManyRequests', { 'retry-after': '41' }), reply(200)]);
  const notices: Array<{ attempt: number; waitMs: number; status: number | null }> = [];

  const outcome = settle(
    client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 60_000, { onRetry: (notice) => notices.push(notice) })),
  );
  await clock.advance(41_000);
  await outcome;

  assert.equal(notices.length, 1);
  assert.equal(notices[0]?.attempt, 1);
  assert.equal(notices[0]?.waitMs, 41_000);
  assert.equal(notices[0]?.status, 429);
});

test('500 not retried', async () => {
  const { client, transport, clock } = setup([graphError(500, 'InternalServerError')]);

  const error = await expectGraphError(settle(client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 60_000))));

  assert.equal(error.kind, 'server');
  assert.equal(transport.sent.length, 1);
});

test('400 not retried', async () => {
  const { client, transport, clock } = setup([graphError(400, 'BadRequest')]);

  const error = await expectGraphError(settle(client.setPresence(USER, BUSY, within(clock, 60_000))));

  assert.equal(error.kind, 'bad-request');
  assert.equal(error.code, 'BadRequest');
  assert.match(error.message, /BadRequest happened/);
  assert.equal(transport.sent.length, 1);
});

// --- 401 and 403 ---

test('401 refreshes token once', async () => {
  const { client, transport, tokens, clock } = setup([graphError(401, 'InvalidAuthenticationToken'), reply(200)]);

  const result = await client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 5_000));

  assert.equal(result.outcome, 'cleared');
  assert.deepEqual(tokens.calls, [undefined, { forceRefresh: true }]);
  assert.equal(transport.header(1, 'authorization'), 'Bearer secret-access-token-2');
  assert.equal(transport.sent[1]?.atMs, 0);
});

test('401 twice is unauthorized', async () => {
  const { client, transport, tokens, clock } = setup([graphError(401, 'InvalidAuthenticationToken'), graphError(401, 'InvalidAuthenticationToken')]);

  const error = await expectGraphError(settle(client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 5_000))));

  assert.equal(error.kind, 'unauthorized');
  assert.equal(error.deniedReason, 'token-rejected');
  assert.equal(error.attempts, 2);
  assert.equal(transport.sent.length, 2);
  assert.equal(tokens.calls.length, 2);
});

test('403 missing permission not retried', async () => {
  const { client, transport, clock } = setup([graphError(403, 'Forbidden')], { account: { objectId: USER, tenantId: TENANT } });

  const error = await expectGraphError(settle(client.setPresence(USER, BUSY, within(clock, 5_000))));

  assert.equal(error.kind, 'forbidden');
  assert.equal(error.deniedReason, 'missing-permission');
  assert.match(error.message, /Presence\.ReadWrite/);
  assert.equal(transport.sent.length, 1);
});

test('403 on another user is mismatch', async () => {
  const { client, transport, clock } = setup([graphError(403, 'Forbidden')], { account: { objectId: USER, tenantId: TENANT } });

  const error = await expectGraphError(settle(client.clearPresence(OTHER_USER, { sessionId: CLIENT_ID }, within(clock, 5_000))));

  assert.equal(error.kind, 'forbidden');
  assert.equal(error.deniedReason, 'account-mismatch');
  assert.match(error.message, /--presence-id/);
  assert.equal(transport.sent.length, 1);
});

test('401 on another user not refreshed', async () => {
  const { client, transport, tokens, clock } = setup([graphError(401, 'InvalidAuthenticationToken')], {
    account: { objectId: USER, tenantId: TENANT },
  });

  const error = await expectGraphError(settle(client.clearPresence(OTHER_USER, { sessionId: CLIENT_ID }, within(clock, 5_000))));

  assert.equal(error.kind, 'unauthorized');
  assert.equal(error.deniedReason, 'account-mismatch');
  assert.equal(transport.sent.length, 1);
  assert.equal(tokens.calls.length, 1);
});

test('403 personal account explained', async () => {
  const { client, clock } = setup([graphError(403, 'Forbidden')], {
    account: { objectId: USER, tenantId: '9188040d-6c67-4c5b-b112-36a304b66dad' },
  });

  const error = await expectGraphError(settle(client.getPresence(USER, within(clock, 5_000))));

  assert.equal(error.deniedReason, 'personal-account');
  assert.match(error.message, /work or school account/);
});

// --- network errors, timeouts, cancel ---

test('network error retried within deadline', async () => {
  const connectionRefused = new HttpNetworkError('https://graph.example.test/v1.0', 'ECONNREFUSED', 'connect ECONNREFUSED');
  const { client, transport, clock } = setup([connectionRefused, connectionRefused, reply(200)]);

  const outcome = settle(client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 1_500)));
  await clock.advance(1_500);
  const result = await outcome;

  assert.ok('value' in result);
  assert.equal(result.value.attempts, 3);
  assert.equal(transport.sent[1]?.atMs, 250);
  assert.equal(transport.sent[2]?.atMs, 750);
});

test('network error past deadline', async () => {
  const reset = new HttpNetworkError('https://graph.example.test/v1.0', 'ECONNRESET', 'socket hang up');
  const { client, transport, clock } = setup([reset, reset]);

  const outcome = settle(client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 600)));
  await clock.advance(600);
  const error = await expectGraphError(outcome);

  assert.equal(error.kind, 'network');
  assert.equal(error.status, null);
  assert.match(error.message, /ECONNRESET/);
  assert.equal(transport.sent.length, 2);
});

test('attempt timeout bounded by budget', async () => {
  const { client, transport, clock } = setup([reply(200)]);

  await client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 1_500));

  assert.equal(transport.sent[0]?.request.timeoutMs, 1_500);
});

test('attempt timeout capped without deadline', async () => {
  const { client, transport, clock } = setup([reply(200)]);

  await client.clearPresence(USER, { sessionId: CLIENT_ID }, { deadlineMs: Infinity });

  assert.equal(transport.sent[0]?.request.timeoutMs, 10_000);
  assert.equal(clock.pendingTimers(), 0);
});

test('attempt timeout past deadline', async () => {
  const timedOut = new HttpTimeoutError('https://graph.example.test/v1.0', 1_500);
  const clock = new FakeClock();
  const transport: HttpTransport = {
    describeProxy: () => null,
    async send(request) {
      // The attempt used the whole budget before it timed out.
      await clock.advance(request.timeoutMs ?? 0);
      throw timedOut;
    },
  };
  const client = new PresenceClient({
    transport,
    graphBaseUrl: 'https://graph.example.test',
    tokens: new FakeTokens(),
    clock,
    logger: new MemoryLog().logger,
    random: () => 0.5,
    apiVersion: 'v1.0',
  });

  const error = await expectGraphError(settle(client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 1_500))));

  assert.equal(error.kind, 'timeout');
  assert.equal(error.attempts, 1);
});

test('abort during wait', async () => {
  const { client, transport, clock } = setup([graphError(429, 'TooManyRequests', { 'retry-after': '41' })]);
  const controller = new AbortController();

  const outcome = settle(
    client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 60_000, { signal: controller.signal })),
  );
  await clock.advance(1_000);
  controller.abort();
  const error = await expectGraphError(outcome);

  assert.equal(error.kind, 'aborted');
  assert.equal(transport.sent.length, 1);
  assert.equal(clock.pendingTimers(), 0);
});

test('abort from transport', async () => {
  const { client, clock } = setup([new HttpAbortError('https://graph.example.test/v1.0')]);

  const error = await expectGraphError(settle(client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 5_000))));

  assert.equal(error.kind, 'aborted');
});

test('unknown transport error passes through', async () => {
  const { client, clock } = setup([new TypeError('Unsupported URL scheme')]);

  await assert.rejects(client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 5_000)), TypeError);
});

// --- reads and the other actions ---

test('getPresence returns fields', async () => {
  const body = JSON.stringify({ id: USER, availability: 'Busy', activity: 'InACall', statusMessage: null, sequenceNumber: 'C1' });
  const { client, transport, clock } = setup([reply(200, { 'content-type': 'application/json' }, body)]);

  const presence = await client.getPresence(USER, within(clock, 5_000));

  assert.equal(transport.sent[0]?.request.method, 'GET');
  assert.equal(transport.sent[0]?.request.url, `https://graph.example.test/v1.0/users/${USER}/presence`);
  assert.equal(transport.sent[0]?.request.body, undefined);
  assert.equal(presence.availability, 'Busy');
  assert.equal(presence.activity, 'InACall');
  assert.equal(presence['sequenceNumber'], 'C1');
  assert.equal(presence.status, 200);
});

test('getPresence null availability kept', async () => {
  const body = JSON.stringify({ id: USER, availability: null, activity: null });
  const { client, clock } = setup([reply(200, {}, body)]);

  const presence = await client.getPresence(USER, within(clock, 5_000));

  assert.equal(presence.availability, null);
});

test('getPresence unreadable body', async () => {
  const { client, clock } = setup([reply(200, {}, '<html>')]);

  const error = await expectGraphError(settle(client.getPresence(USER, within(clock, 5_000))));

  assert.equal(error.kind, 'server');
  assert.match(error.message, /unreadable presence/);
});

test('preferred presence Busy/Busy sent', async () => {
  const { client, transport, clock } = setup([reply(200)]);

  await client.setUserPreferredPresence(USER, { availability: 'Busy', activity: 'Busy', expirationDuration: 'PT8H' }, within(clock, 5_000));

  assert.match(transport.sent[0]?.request.url ?? '', /\/presence\/setUserPreferredPresence$/);
  assert.equal(transport.sent[0]?.request.body, '{"availability":"Busy","activity":"Busy","expirationDuration":"PT8H"}');
});

test('preferred presence Busy/InACall rejected', async () => {
  const { client, transport, clock } = setup([]);

  await assert.rejects(
    client.setUserPreferredPresence(USER, { availability: 'Busy', activity: 'InACall' }, within(clock, 5_000)),
    InvalidPresencePairError,
  );
  assert.equal(transport.sent.length, 0);
});

test('clear preferred presence has no body', async () => {
  const { client, transport, clock } = setup([reply(200)]);

  await client.clearUserPreferredPresence(USER, within(clock, 5_000));

  assert.match(transport.sent[0]?.request.url ?? '', /\/presence\/clearUserPreferredPresence$/);
  assert.equal(transport.sent[0]?.request.body, undefined);
  assert.equal(transport.header(0, 'content-type'), undefined);
});

test('status message body', async () => {
  const { client, transport, clock } = setup([reply(200)]);

  await client.setStatusMessage(
    USER,
    { message: 'In the lab', expiry: { dateTime: '2026-12-04T17:00:00', timeZone: 'UTC' } },
    within(clock, 5_000),
  );

  assert.deepEqual(JSON.parse(transport.sent[0]?.request.body ?? ''), {
    statusMessage: {
      message: { content: 'In the lab', contentType: 'text' },
      expiryDateTime: { dateTime: '2026-12-04T17:00:00', timeZone: 'UTC' },
    },
  });
});

test('status message expiry with offset rejected', async () => {
  const { client, transport, clock } = setup([]);

  await assert.rejects(
    client.setStatusMessage(USER, { message: 'x', expiry: { dateTime: '2026-12-04T17:00:00Z', timeZone: 'UTC' } }, within(clock, 5_000)),
    /without offset/,
  );
  assert.equal(transport.sent.length, 0);
});

// --- logs ---

test('log has ids, never the token', async () => {
  const { client, log, clock } = setup([graphError(401, 'InvalidAuthenticationToken'), reply(200, { 'request-id': 'graph-req-9' })]);

  const result = await client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 5_000));
  const text = log.text();

  assert.doesNotMatch(text, /secret-access-token/);
  assert.match(text, /\[test\.graph\]/);
  assert.match(text, /requestId="graph-req-9"/);
  assert.match(text, new RegExp(`clientRequestId="${result.clientRequestId}"`));
  assert.match(text, /attempt=2/);
});

test('error message never has the token', async () => {
  const { client, clock } = setup([graphError(403, 'Forbidden')]);

  const error = await expectGraphError(settle(client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 5_000))));

  assert.doesNotMatch(error.message, /secret-access-token/);
  assert.doesNotMatch(JSON.stringify(error), /secret-access-token/);
});

test('retry log gives the wait', async () => {
  const { client, log, clock } = setup([graphError(429, 'TooManyRequests', { 'retry-after': '2' }), reply(200)]);

  const outcome = settle(client.clearPresence(USER, { sessionId: CLIENT_ID }, within(clock, 60_000)));
  await clock.advance(2_000);
  await outcome;

  const retry = log.lines.find((line) => line.message.includes('retrying'));
  assert.equal(retry?.fields['waitMs'], 2_000);
  assert.equal(retry?.fields['status'], 429);
});
